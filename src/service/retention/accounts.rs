//! Retention of people's records: closed privacy requests are deleted, and accounts disabled
//! longer than the rule are erased exactly as an erasure request would erase them.

use super::{Pass, Tally};
use crate::domain::privacy::RequestStatus;
use crate::service::Retention;
use crate::service::{Result, ServiceError};
use crate::store::prelude::*;

/// Pseudonym accounts that erasures leave behind have addresses in this domain.
const PSEUDONYM_DOMAIN: &str = "@erased.invalid";

impl Retention<'_> {
    pub(super) async fn purge_privacy_requests(&self, p: &Pass<'_>) -> Result<Tally> {
        let mut t = Tally::default();
        let mut doomed = Vec::new();
        for r in self.store().privacy_requests()? {
            let closed_ms = match (r.status, r.closed_on) {
                (RequestStatus::Open, _) | (_, None) => continue,
                (_, Some(day)) => day
                    .succ_opt()
                    .and_then(|d| d.and_hms_opt(0, 0, 0))
                    .map(|d| d.and_utc().timestamp_millis())
                    .unwrap_or(i64::MAX),
            };
            if closed_ms >= p.cutoff {
                continue;
            }
            let held = match r.user_id {
                Some(u) => p.cov.user(u).is_some(),
                None => p.cov.instance().is_some(),
            };
            if held {
                t.held += 1;
            } else {
                doomed.push(r.id);
            }
        }
        t.expired = doomed.len() as u64;
        if !p.dry_run {
            for chunk in doomed.chunks(super::BATCH) {
                let ev = self.purge_event(p, chunk.len());
                self.store()
                    .write(|tx| {
                        chunk
                            .iter()
                            .try_for_each(|id| tx.delete_privacy_request(*id))?;
                        tx.append_audit(&ev).map(|_| ())
                    })
                    .await?;
            }
        }
        Ok(t)
    }

    /// Accounts disabled before the cutoff (and not already a pseudonym) are erased; each
    /// erasure is audited as `privacy.erased`, and the batch as `retention.purged`.
    pub(super) async fn erase_disabled_accounts(&self, p: &Pass<'_>) -> Result<Tally> {
        let mut t = Tally::default();
        let mut due = Vec::new();
        for u in self.store().all_users()? {
            let since = u.disabled_at_ms.unwrap_or(u.updated_at_ms);
            let pseudonym = u.email.as_str().ends_with(PSEUDONYM_DOMAIN);
            if !u.disabled || pseudonym || since >= p.cutoff {
                continue;
            }
            if p.cov.user(u.id).is_some() {
                t.held += 1;
            } else {
                due.push(u.id);
            }
        }
        if p.dry_run {
            t.expired = due.len() as u64;
            return Ok(t);
        }
        let mut failures = Vec::new();
        for id in due {
            match self.privacy().erase(p.actor, id, None).await {
                Ok(_) => t.expired += 1,
                Err(ServiceError::Held { .. }) => t.held += 1,
                Err(e) => failures.push(format!("{id}: {}", e.explain())),
            }
        }
        if t.expired > 0 {
            let ev = self.purge_event(p, t.expired as usize);
            self.store()
                .write(|tx| tx.append_audit(&ev).map(|_| ()))
                .await?;
        }
        if !failures.is_empty() {
            t.note = Some(format!("not erased: {}", failures.join("; ")));
        }
        Ok(t)
    }
}
