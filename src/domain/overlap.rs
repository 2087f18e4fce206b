//! Overlapping entries: two entries of one person whose times intersect. They are flagged, not
//! refused (a person cannot have worked on both at once, so one of them is probably wrong).
//!
//! The rule is the one the web UI's entries lists use for their "overlaps" badge
//! (`overlapsOf` in web/js/track.js): per person, entries in start order, each compared with the
//! one reaching furthest so far; touching (one ends as the next starts) is not overlapping, and
//! a running entry lasts until now. The reports count and flag with this function, so the
//! summary's `overlapping_entries` and the detailed report's `overlaps` flags always agree.

use std::collections::{HashMap, HashSet};

use super::tracking::Entry;
use super::{EntryId, UserId};

/// The ids of the entries among `entries` whose time overlaps another of the same person's
/// entries among them; a running entry (no end) lasts until `now_ms`.
pub fn overlapping<'a>(
    entries: impl IntoIterator<Item = &'a Entry>,
    now_ms: i64,
) -> HashSet<EntryId> {
    let mut by_user: HashMap<UserId, Vec<&Entry>> = HashMap::new();
    for e in entries {
        by_user.entry(e.user_id).or_default().push(e);
    }
    let mut out = HashSet::new();
    for list in by_user.values_mut() {
        list.sort_by_key(|e| (e.start_ms, e.id));
        // The entry reaching furthest so far, and where it ends.
        let mut reach: Option<(EntryId, i64)> = None;
        for e in list.iter() {
            let end = e.end_ms.unwrap_or(now_ms);
            if let Some((other, reach_end)) = reach {
                if e.start_ms < reach_end {
                    out.insert(e.id);
                    out.insert(other);
                }
            }
            if reach.is_none_or(|(_, reach_end)| end > reach_end) {
                reach = Some((e.id, end));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::ProjectId;

    const H: i64 = 3_600_000;

    fn entry(user: u8, n: u8, start_h: i64, end_h: Option<i64>) -> Entry {
        let mut id = [0u8; 16];
        id[15] = n;
        let mut uid = [0u8; 16];
        uid[15] = user;
        Entry {
            id: EntryId::from_bytes(id),
            user_id: UserId::from_bytes(uid),
            project_id: ProjectId::from_bytes([9; 16]),
            task_id: None,
            tags: vec![],
            note: String::new(),
            start_ms: start_h * H,
            end_ms: end_h.map(|h| h * H),
            billable: false,
            rate_cents: None,
            currency: "EUR".into(),
            created_at_ms: 0,
            updated_at_ms: 0,
        }
    }

    fn ids(set: &HashSet<EntryId>) -> Vec<u8> {
        let mut v: Vec<u8> = set.iter().map(|i| i.as_bytes()[15]).collect();
        v.sort();
        v
    }

    #[test]
    fn touching_entries_do_not_overlap_but_intersecting_ones_do() {
        let es = [
            entry(1, 1, 9, Some(10)),
            entry(1, 2, 10, Some(11)),
            entry(1, 3, 10, Some(12)),
        ];
        assert_eq!(ids(&overlapping(&es, 0)), vec![2, 3]);
    }

    #[test]
    fn a_long_entry_overlaps_every_entry_inside_it() {
        let es = [
            entry(1, 1, 8, Some(18)),
            entry(1, 2, 9, Some(10)),
            entry(1, 3, 11, Some(12)),
            entry(1, 4, 18, Some(19)),
        ];
        assert_eq!(ids(&overlapping(&es, 0)), vec![1, 2, 3]);
    }

    #[test]
    fn entries_of_different_people_never_overlap() {
        let es = [entry(1, 1, 9, Some(11)), entry(2, 2, 9, Some(11))];
        assert!(overlapping(&es, 0).is_empty());
    }

    #[test]
    fn a_running_entry_lasts_until_now() {
        let es = [entry(1, 1, 9, None), entry(1, 2, 10, Some(11))];
        assert_eq!(ids(&overlapping(&es, 12 * H)), vec![1, 2]);
        assert!(overlapping(&es, 10 * H).is_empty());
    }
}
