//! Entries as a response shows them: each with the names it refers to and what the caller may
//! do with it, resolved once per response. A month of 1,500 entries on five projects reads five
//! projects, their client and one person, not 1,500 of each, and that person's week records
//! over the month once (an entry in an approved or locked week is `locked`, changed by no one).

use std::collections::HashMap;

use super::{change_rule, EntryPermissions};
use crate::domain::billing;
use crate::domain::tickets::Ticket;
use crate::domain::tracking::Entry;
use crate::domain::UserId;
use crate::service::error::granted;
use crate::service::labels::EntryLabels;
use crate::service::weeks::WeekLocks;
use crate::service::{Actor, Entries, Result};

/// One entry (its `rate_cents` the rate in force for it), its names and the caller's permissions on it (`can`: by the rule every change of
/// it checks, so a restricted person's entry is `false` for everyone else).
#[derive(Debug, Clone)]
pub struct EntryView {
    pub entry: Entry,
    pub labels: EntryLabels,
    pub can: EntryPermissions,
    /// The tickets its note and its task's title refer to (`tickets.patterns`).
    pub tickets: Vec<Ticket>,
    /// In an approved or locked week of its owner: no one may change it until that week is
    /// reopened (`can` is then `false` for everyone).
    pub locked: bool,
}

impl Entries<'_> {
    /// The views of `entries` for `actor`. Roles: whoever may read them (the caller listed,
    /// read or wrote them).
    pub fn views(&self, actor: &Actor, entries: Vec<Entry>) -> Result<Vec<EntryView>> {
        let mut names = self.labels().cache();
        let mut restricted: HashMap<UserId, bool> = HashMap::new();
        let locks = WeekLocks::of(self, &entries)?;
        entries
            .into_iter()
            .map(|mut entry| {
                // The rate in force for it now (the project's rates may have changed since it
                // was recorded); an entry of a deleted project keeps the rate it was given.
                if let Some(p) = names.project(entry.project_id)? {
                    entry.rate_cents = billing::rate_of(&entry, p.rate_cents, &p.rates);
                }
                let labels = names.entry(&entry)?;
                let tickets = (self.settings().tickets).tickets(
                    [entry.note.as_str()]
                        .into_iter()
                        .chain(labels.task_title.as_deref()),
                );
                let rule = change_rule(
                    actor,
                    &entry,
                    |u| match restricted.get(&u) {
                        Some(r) => Ok(*r),
                        None => {
                            let r = self.privacy().is_restricted(u)?;
                            restricted.insert(u, r);
                            Ok(r)
                        }
                    },
                    |p, me| Ok(names.project(p)?.is_some_and(|p| p.is_managed_by(me))),
                );
                let locked = locks.holds(&entry);
                let change = match rule {
                    Ok(may) => may && !locked,
                    Err(refused) => granted(Err(refused))?,
                };
                Ok(EntryView {
                    entry,
                    labels,
                    can: EntryPermissions {
                        edit: change,
                        delete: change,
                    },
                    tickets,
                    locked,
                })
            })
            .collect()
    }

    /// The view of one entry for `actor`.
    pub fn view(&self, actor: &Actor, entry: Entry) -> Result<EntryView> {
        Ok(self
            .views(actor, vec![entry])?
            .pop()
            .expect("one entry in, one view out"))
    }
}
