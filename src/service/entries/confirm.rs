//! Entries whose start is valid but unusual (over a year ago, or after tomorrow in the
//! person's zone: `range::unusual_start`) are kept only when the request confirms them, so a
//! typing slip (2062 for 2026, the wrong month) is caught instead of silently stored.

use super::super::{Actor, Entries, Result, ServiceError};
use crate::domain::range;

impl Entries<'_> {
    /// `Unconfirmed` (`entry.needs_confirmation`) when `start_ms` is unusual for `actor`.
    pub(super) fn check_usual_start(&self, actor: &Actor, start_ms: i64) -> Result<()> {
        let now = self.now();
        if range::usual_anywhere(start_ms, now) {
            return Ok(()); // no need to read the person's zone
        }
        match range::unusual_start(start_ms, now, self.zone_of(actor)?) {
            Some(e) => Err(ServiceError::Unconfirmed(e.0)),
            None => Ok(()),
        }
    }
}
