//! Key encoding: the only place that builds keys. Integers are fixed-width big-endian, signed
//! ones with the sign bit flipped, so byte order is numeric order; composite keys are
//! fixed-width parts concatenated.

use crate::domain::{ClientId, EntryId, EventId, HoldId, ProjectId, SessionKey, TaskId, UserId};

/// `users` key.
pub fn user(id: UserId) -> [u8; 16] {
    *id.as_bytes()
}

/// `clients` key.
pub fn client(id: ClientId) -> [u8; 16] {
    *id.as_bytes()
}

/// `projects` key.
pub fn project(id: ProjectId) -> [u8; 16] {
    *id.as_bytes()
}

/// `tasks` key.
pub fn task(id: TaskId) -> [u8; 16] {
    *id.as_bytes()
}

/// `entries` key.
pub fn entry(id: EntryId) -> [u8; 16] {
    *id.as_bytes()
}

/// `users_by_email` key: the normalised email's bytes.
pub fn email(e: &str) -> Vec<u8> {
    e.as_bytes().to_vec()
}

/// `sessions` / `tokens` key: SHA-256 of the secret.
pub fn secret(k: &SessionKey) -> [u8; 32] {
    k.0
}

/// `done_requests` key: user(16) ‖ SHA-256 of the request's idempotency key(32).
pub fn done_request(user: UserId, key: &[u8; 32]) -> [u8; 48] {
    let mut k = [0u8; 48];
    k[..16].copy_from_slice(user.as_bytes());
    k[16..].copy_from_slice(key);
    k
}

/// `sessions_by_user` key: user(16) ‖ session(32).
pub fn user_session(user: UserId, s: &SessionKey) -> [u8; 48] {
    let mut k = [0u8; 48];
    k[..16].copy_from_slice(user.as_bytes());
    k[16..].copy_from_slice(&s.0);
    k
}

/// Splits a `sessions_by_user` key back into its session part.
pub fn session_of_user_session(k: &[u8]) -> Option<SessionKey> {
    let b: [u8; 32] = k.get(16..48)?.try_into().ok()?;
    Some(SessionKey(b))
}

/// `entries_by_user_start` key: user(16) ‖ start_ms(8, sign-flipped) ‖ entry(16).
pub fn user_timeline(user: UserId, start_ms: i64, entry: EntryId) -> [u8; 40] {
    let mut k = [0u8; 40];
    k[..16].copy_from_slice(user.as_bytes());
    k[16..24].copy_from_slice(&instant(start_ms));
    k[24..].copy_from_slice(entry.as_bytes());
    k
}

/// The entry part of a `user_timeline` key.
pub fn entry_of_timeline(k: &[u8]) -> Option<EntryId> {
    Some(EntryId::from_bytes(k.get(24..40)?.try_into().ok()?))
}

/// `tags` key: the tag, lower-cased (tags match without regard to letter case).
pub fn tag(name: &str) -> Vec<u8> {
    name.to_lowercase().into_bytes()
}

/// `entries_by_tag` key: lower-cased tag ‖ 0xFF ‖ entry(16). 0xFF never occurs in UTF-8, so one
/// tag's rows never mix with a longer tag's.
pub fn tag_entry(name: &str, entry: EntryId) -> Vec<u8> {
    let mut k = tag_prefix(name);
    k.extend_from_slice(entry.as_bytes());
    k
}

/// The prefix of one tag's `entries_by_tag` rows.
pub fn tag_prefix(name: &str) -> Vec<u8> {
    let mut k = tag(name);
    k.push(0xFF);
    k
}

/// `security_events` key: instant(at) ‖ event id.
pub fn event(at_ms: i64, id: EventId) -> [u8; 24] {
    let mut k = [0u8; 24];
    k[..8].copy_from_slice(&instant(at_ms));
    k[8..].copy_from_slice(id.as_bytes());
    k
}

/// `security_events_by_user` key: user ‖ instant(at) ‖ event id.
pub fn user_event(user: UserId, at_ms: i64, id: EventId) -> [u8; 40] {
    let mut k = [0u8; 40];
    k[..16].copy_from_slice(user.as_bytes());
    k[16..].copy_from_slice(&event(at_ms, id));
    k
}

/// `weeks` key: user(16) ‖ the Monday as days from 0001-01-01 (4, big-endian), so one
/// person's weeks are together and in date order.
pub fn week(user: UserId, monday: chrono::NaiveDate) -> [u8; 20] {
    use chrono::Datelike;
    let mut k = [0u8; 20];
    k[..16].copy_from_slice(user.as_bytes());
    k[16..].copy_from_slice(&(monday.num_days_from_ce().max(0) as u32).to_be_bytes());
    k
}

/// `holds` key.
pub fn hold(id: HoldId) -> [u8; 16] {
    *id.as_bytes()
}

/// `audit` key: the record's sequence number.
pub fn seq(n: u64) -> [u8; 8] {
    n.to_be_bytes()
}

pub fn seq_from(k: &[u8]) -> Option<u64> {
    Some(u64::from_be_bytes(k.try_into().ok()?))
}

/// A signed instant in milliseconds, order-preserving.
pub fn instant(ms: i64) -> [u8; 8] {
    ((ms as u64) ^ (1 << 63)).to_be_bytes()
}

pub fn instant_from(k: &[u8]) -> Option<i64> {
    let b: [u8; 8] = k.try_into().ok()?;
    Some((u64::from_be_bytes(b) ^ (1 << 63)) as i64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn instant_keys_sort_like_numbers(a: i64, b: i64) {
            prop_assert_eq!(a.cmp(&b), instant(a).cmp(&instant(b)));
            prop_assert_eq!(instant_from(&instant(a)), Some(a));
        }

        #[test]
        fn seq_keys_sort_like_numbers(a: u64, b: u64) {
            prop_assert_eq!(a.cmp(&b), seq(a).cmp(&seq(b)));
            prop_assert_eq!(seq_from(&seq(a)), Some(a));
        }

        #[test]
        fn timeline_keys_sort_by_user_then_start(u: [u8; 16], a: i64, b: i64, e1: [u8; 16], e2: [u8; 16]) {
            let user = UserId::from_bytes(u);
            let ka = user_timeline(user, a, EntryId::from_bytes(e1));
            let kb = user_timeline(user, b, EntryId::from_bytes(e2));
            if a != b { prop_assert_eq!(a.cmp(&b), ka.cmp(&kb)); }
            prop_assert_eq!(entry_of_timeline(&ka), Some(EntryId::from_bytes(e1)));
        }

        #[test]
        fn user_session_keys_group_by_user(u1: [u8; 16], u2: [u8; 16], s1: [u8; 32], s2: [u8; 32]) {
            let (a, b) = (UserId::from_bytes(u1), UserId::from_bytes(u2));
            let ka = user_session(a, &SessionKey(s1));
            let kb = user_session(b, &SessionKey(s2));
            if u1 != u2 { prop_assert_eq!(u1.cmp(&u2), ka.cmp(&kb)); }
            prop_assert!(ka.starts_with(&user(a)));
            prop_assert_eq!(session_of_user_session(&ka), Some(SessionKey(s1)));
        }
    }
}
