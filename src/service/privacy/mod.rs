//! Privacy requests: the register (`register`), and the tools that perform each kind —
//! the data export ZIP (`export_zip`, gathered by `collect`), correction (`correct`),
//! restriction and objection (`restrict`), erasure (`erase`, with the ledger in `ledger`),
//! and a scan of the store for a person's data (`scan`). Each tool can be attached to a
//! register entry, which then records what was done.

mod collect;
mod correct;
mod erase;
mod export_zip;
mod ledger;
mod register;
mod restrict;
mod scan;

pub use collect::category_of_tree;
pub use correct::Correction;
pub use erase::Erased;
pub use ledger::{read_ledger_file, Reapplied};
pub use register::{NewRequest, RequestView};
pub use scan::ScanReport;

use crate::service::Privacy;
use crate::store::prelude::*;
use chrono::NaiveDate;

use super::{Actor, Result, ServiceError, Services};
use crate::domain::codes;
use crate::domain::privacy::RequestAction;
use crate::domain::{Permission, PrivacyRequestId, UserId};
use crate::store::{conflict, Abort, Tx};

impl Privacy<'_> {
    /// Today's date (UTC) on the service clock: the register's calendar.
    pub fn today(&self) -> NaiveDate {
        chrono::DateTime::from_timestamp_millis(self.now())
            .unwrap_or_default()
            .date_naive()
    }

    /// The user a tool acts on: an admin names anyone, anyone else only themself.
    fn privacy_subject(&self, actor: &Actor, user: UserId) -> Result<crate::store::UserRecord> {
        if actor.user_id() != Some(user) {
            actor.require(Permission::ManagePrivacy)?;
        }
        self.store().user(user)?.ok_or(ServiceError::NotFound {
            kind: "user",
            code: codes::USER_NOT_FOUND,
        })
    }
}

fn not_found() -> ServiceError {
    ServiceError::NotFound {
        kind: "privacy request",
        code: codes::PRIVACY_REQUEST_NOT_FOUND,
    }
}

/// Appends `action` to request `id` inside a write (a tool run for that request). The request
/// must exist, be open and concern `user`.
fn attach(
    tx: &Tx<'_>,
    id: Option<PrivacyRequestId>,
    user: UserId,
    action: &RequestAction,
) -> std::result::Result<(), Abort> {
    let Some(id) = id else { return Ok(()) };
    let Some(before) = tx.privacy_request(id)? else {
        return Err(conflict(codes::PRIVACY_REQUEST_NOT_FOUND));
    };
    let mut r = before.clone();
    if r.status != crate::domain::privacy::RequestStatus::Open {
        return Err(conflict(codes::PRIVACY_REQUEST_CLOSED));
    }
    if r.user_id != Some(user) {
        return Err(conflict(codes::PRIVACY_REQUEST_OTHER_SUBJECT));
    }
    r.updated_at_ms = action.at_ms;
    r.actions.push(action.clone());
    tx.put_privacy_request(Some(&before), &r)
}

/// A store error from a write that attached to a request, with "no such request" as a 404.
fn request_error(e: crate::store::StoreError) -> ServiceError {
    match e {
        crate::store::StoreError::Conflict(codes::PRIVACY_REQUEST_NOT_FOUND) => not_found(),
        e => e.into(),
    }
}
