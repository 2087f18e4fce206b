//! Security events (`security_events`, oldest first by instant) and their per-user index
//! (`security_events_by_user`).

use super::stored::StoredSecurityEvent;
use super::{codec, keys, Abort, Store, StoreError, TreeId, Tx};

/// Decodes a `security_events` value.
pub(super) fn decode(k: &[u8], v: &[u8]) -> Result<SecurityEvent, StoreError> {
    codec::decode::<StoredSecurityEvent>(TreeId::SecurityEvents, k, v).map(SecurityEvent::from)
}
use crate::domain::security::{EventFilter, SecurityEvent};
use crate::domain::{EventId, UserId};

/// Where the next (older) page starts.
pub type EventPos = (i64, EventId);

/// What the service layer reads of this area outside a transaction (see `store::prelude`).
pub trait SecurityStore {
    /// Newest first, strictly before `before`; returns the page and where the next one starts.
    /// With a user in the filter only that person's index is walked.
    fn security_events(
        &self,
        filter: &EventFilter,
        before: Option<EventPos>,
        limit: usize,
    ) -> Result<(Vec<SecurityEvent>, Option<EventPos>), StoreError>;

    /// Every event concerning `user`, oldest first.
    fn security_events_of(&self, user: UserId) -> Result<Vec<SecurityEvent>, StoreError>;

    /// Up to `limit` events that happened before `cutoff_ms`, oldest first, strictly after
    /// `after`: for walks over the expired events in chunks.
    fn security_events_before(
        &self,
        cutoff_ms: i64,
        after: Option<EventPos>,
        limit: usize,
    ) -> Result<Vec<SecurityEvent>, StoreError>;

    fn count_security_events(&self) -> usize;
}

/// What a write transaction does in this area; every replace or removal checks the record as read.
pub trait SecurityTx {
    fn put_security_event(&self, e: &SecurityEvent) -> Result<(), Abort>;

    fn delete_security_event(&self, e: &SecurityEvent) -> Result<(), Abort>;
}

impl SecurityTx for Tx<'_> {
    fn put_security_event(&self, e: &SecurityEvent) -> Result<(), Abort> {
        self.t(TreeId::SecurityEvents).insert(
            &keys::event(e.at_ms, e.id),
            codec::encode(&StoredSecurityEvent::from(e)),
        )?;
        if let Some(u) = e.user_id {
            self.t(TreeId::SecurityEventsByUser)
                .insert(&keys::user_event(u, e.at_ms, e.id)[..], &[])?;
        }
        Ok(())
    }

    fn delete_security_event(&self, e: &SecurityEvent) -> Result<(), Abort> {
        self.t(TreeId::SecurityEvents)
            .remove(&keys::event(e.at_ms, e.id))?;
        if let Some(u) = e.user_id {
            self.t(TreeId::SecurityEventsByUser)
                .remove(&keys::user_event(u, e.at_ms, e.id)[..])?;
        }
        Ok(())
    }
}

impl Store {
    fn event_at(&self, key: &[u8]) -> Result<Option<SecurityEvent>, StoreError> {
        Ok(super::get::<StoredSecurityEvent>(
            self.tree(TreeId::SecurityEvents),
            TreeId::SecurityEvents,
            key,
        )?
        .map(SecurityEvent::from))
    }
}

impl SecurityStore for Store {
    fn security_events(
        &self,
        filter: &EventFilter,
        before: Option<EventPos>,
        limit: usize,
    ) -> Result<(Vec<SecurityEvent>, Option<EventPos>), StoreError> {
        let end = before.map(|(at, id)| keys::event(at, id));
        let lower = filter.from_ms.map(|f| keys::instant(f).to_vec());
        let mut out = Vec::new();
        let mut push = |e: SecurityEvent| -> Option<EventPos> {
            if !filter.matches(&e) {
                return None;
            }
            if out.len() == limit {
                return out.last().map(|l: &SecurityEvent| (l.at_ms, l.id));
            }
            out.push(e);
            None
        };
        if let Some(u) = filter.user {
            let start = [&u.as_bytes()[..], lower.as_deref().unwrap_or(&[])].concat();
            let stop = match end {
                Some(k) => [&u.as_bytes()[..], &k[..]].concat(),
                None => [&u.as_bytes()[..], &[0xff; 25][..]].concat(),
            };
            for item in self
                .tree(TreeId::SecurityEventsByUser)
                .range(start..stop)
                .rev()
            {
                let (k, _) = item?;
                let Some(e) = self.event_at(&k[16..])? else {
                    continue;
                };
                if let Some(next) = push(e) {
                    return Ok((out, Some(next)));
                }
            }
        } else {
            let tree = self.tree(TreeId::SecurityEvents);
            let start = lower.unwrap_or_default();
            let iter = match end {
                Some(k) => tree.range(start..k.to_vec()),
                None => tree.range(start..),
            };
            for item in iter.rev() {
                let (k, v) = item?;
                let e = decode(&k, &v)?;
                if let Some(next) = push(e) {
                    return Ok((out, Some(next)));
                }
            }
        }
        Ok((out, None))
    }

    fn security_events_of(&self, user: UserId) -> Result<Vec<SecurityEvent>, StoreError> {
        let mut out = Vec::new();
        for item in self
            .tree(TreeId::SecurityEventsByUser)
            .scan_prefix(user.as_bytes())
        {
            let (k, _) = item?;
            if let Some(e) = self.event_at(&k[16..])? {
                out.push(e);
            }
        }
        Ok(out)
    }

    fn security_events_before(
        &self,
        cutoff_ms: i64,
        after: Option<EventPos>,
        limit: usize,
    ) -> Result<Vec<SecurityEvent>, StoreError> {
        let mut out = Vec::new();
        let start = after.map(|(at, id)| keys::event(at, id).to_vec());
        let end = keys::instant(cutoff_ms).to_vec();
        let tree = self.tree(TreeId::SecurityEvents);
        let iter = match &start {
            Some(s) => tree.range(s.clone()..end),
            None => tree.range(..end),
        };
        for item in iter {
            let (k, v) = item?;
            if start.as_deref() == Some(&k[..]) {
                continue;
            }
            out.push(decode(&k, &v)?);
            if out.len() == limit {
                break;
            }
        }
        Ok(out)
    }

    fn count_security_events(&self) -> usize {
        self.tree(TreeId::SecurityEvents).len()
    }
}
