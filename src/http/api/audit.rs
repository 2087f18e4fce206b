//! Reading and verifying the audit log. Roles: admin, auditor.

use chrono::{NaiveDate, TimeZone as _};
use poem_openapi::param::Query;
use poem_openapi::{payload::Json, Object, OpenApi};

use super::rules::{DateOrEmpty, DateOrInstant};
use super::{ApiTags, HttpState};
use crate::domain::audit::AuditFilter;
use crate::domain::audit::ACTIONS;
use crate::http::auth::SignedIn;
use crate::http::problem::{invalid_field, ApiError};
use crate::service::{rfc3339, ServiceError};

pub struct AuditApi(pub HttpState);

/// One record of the hash-chained audit log.
#[derive(Object)]
struct AuditRecordDto {
    seq: u64,
    at: String,
    /// `user:<id>`, `cli:<os user>`, `system` or `anonymous`.
    actor: String,
    #[oai(nullable)]
    actor_name: Option<String>,
    #[oai(nullable)]
    ip: Option<String>,
    action: String,
    #[oai(nullable)]
    target: Option<String>,
    /// What the target is, for people ("Time entry · Backups · 2026-12-01 09:00", "User · Ada
    /// Lovelace"), times in the caller's zone; null when there is no target or no label for its
    /// kind. An erased person's account is gone, so it reads "User · account gone".
    #[oai(nullable)]
    target_label: Option<String>,
    /// The change's details; null once redacted.
    #[oai(nullable)]
    body: Option<serde_json::Value>,
    redacted: bool,
    hash: String,
}

#[derive(Object)]
struct AuditPageDto {
    items: Vec<AuditRecordDto>,
    /// Null on the last page.
    #[oai(nullable)]
    next_cursor: Option<String>,
}

#[derive(Object)]
struct ActionsDto {
    items: Vec<String>,
}

#[derive(Object)]
struct VerifyDto {
    ok: bool,
    records: u64,
    #[oai(nullable)]
    first_bad_seq: Option<u64>,
    #[oai(nullable)]
    reason: Option<String>,
}

pub(super) fn day_start(
    field: &str,
    d: &str,
    tz: chrono_tz::Tz,
    plus_days: u64,
) -> Result<i64, ServiceError> {
    let date = NaiveDate::parse_from_str(d, "%Y-%m-%d")
        .map_err(|_| invalid_field(field, "invalid_date", "use a date like 2026-11-23"))?
        .checked_add_days(chrono::Days::new(plus_days))
        .ok_or_else(|| invalid_field(field, "invalid_date", "date out of range"))?;
    let local = date
        .and_hms_opt(0, 0, 0)
        .expect("midnight exists as a naive time");
    // On a DST gap at midnight, take the earliest valid instant.
    Ok(tz
        .from_local_datetime(&local)
        .earliest()
        .map(|t| t.timestamp_millis())
        .unwrap_or_else(|| tz.from_utc_datetime(&local).timestamp_millis()))
}

/// A user whose data was read.
#[derive(Object)]
struct SubjectDto {
    id: String,
    /// Their name and email now; null once the account is gone.
    #[oai(nullable)]
    name: Option<String>,
    #[oai(nullable)]
    email: Option<String>,
}

/// One recorded read of other people's data.
#[derive(Object)]
struct AccessDto {
    seq: u64,
    at: String,
    actor: String,
    #[oai(nullable)]
    actor_name: Option<String>,
    #[oai(nullable)]
    actor_email: Option<String>,
    action: String,
    /// What was read: "time entries", "account", "time entries export", "backup of all data"…
    what: String,
    /// Everyone's data was read (a backup, the user list, the audit log).
    everyone: bool,
    /// The record was redacted and named no single user.
    unknown_subjects: bool,
    subjects: Vec<SubjectDto>,
    #[oai(nullable)]
    count: Option<u64>,
    /// What `count` counts: "records", or "bytes" for a personal data export (the ZIP's size).
    count_unit: String,
    #[oai(nullable)]
    detail: Option<String>,
}

#[derive(Object)]
struct AccessListDto {
    items: Vec<AccessDto>,
}

fn bound(field: &str, text: &str, end: bool) -> Result<i64, ServiceError> {
    crate::domain::time::parse_bound(text, end)
        .map_err(|why| invalid_field(field, "invalid_date", &why))
}

/// The instants a `from`/`to` pair of dates (both inclusive, in `tz`) covers; empty means open.
pub(super) fn date_window(
    from: Option<&str>,
    to: Option<&str>,
    tz: chrono_tz::Tz,
) -> Result<(Option<i64>, Option<i64>), ServiceError> {
    let given = |d: Option<&str>| d.filter(|s| !s.is_empty()).map(str::to_owned);
    Ok((
        given(from)
            .map(|d| day_start("from", &d, tz, 0))
            .transpose()?,
        given(to).map(|d| day_start("to", &d, tz, 1)).transpose()?,
    ))
}

#[OpenApi(prefix_path = "/audit", tag = "ApiTags::Audit")]
impl AuditApi {
    /// Pages through the audit log, newest first. `from`/`to` are dates in the caller's time
    /// zone, both inclusive. Viewing the log is itself not a change and is not recorded here.
    /// Roles: admin, auditor.
    #[oai(path = "/", method = "get")]
    #[allow(clippy::too_many_arguments)]
    async fn list(
        &self,
        who: SignedIn,
        /// Page size (default 50; other values are moved into 1–500).
        #[oai(validator(minimum(value = "0"), maximum(value = "4294967295")))]
        limit: Query<Option<u32>>,
        /// `next_cursor` of the previous page.
        cursor: Query<Option<String>>,
        actor: Query<Option<String>>,
        action: Query<Option<String>>,
        from: Query<Option<DateOrEmpty>>,
        to: Query<Option<DateOrEmpty>>,
    ) -> Result<Json<AuditPageDto>, ApiError> {
        let me = who.user.clone();
        let tz = me.time_zone.tz();
        let before =
            match cursor.0.as_deref() {
                Some(c) => Some(c.parse::<u64>().map_err(|_| {
                    invalid_field("cursor", "invalid", "not a cursor from this API")
                })?),
                None => None,
            };
        let (from_ms, to_ms) = date_window(from.0.as_deref(), to.0.as_deref(), tz)?;
        let filter = AuditFilter {
            actor: actor.0.filter(|s| !s.is_empty()),
            action: action.0.filter(|s| !s.is_empty()),
            from_ms,
            to_ms,
        };
        let page = self
            .0
            .svc
            .audit()
            .page(&who, before, limit.0.unwrap_or(50) as usize, &filter, tz)
            .await?;
        Ok(Json(AuditPageDto {
            items: page
                .items
                .into_iter()
                .map(|item| {
                    let r = item.record;
                    AuditRecordDto {
                        seq: r.seq,
                        at: rfc3339(r.at_ms),
                        actor: r.actor,
                        actor_name: item.actor_name,
                        ip: r.ip,
                        action: r.action,
                        target: r.target,
                        target_label: item.target_label,
                        redacted: r.body.is_none(),
                        body: r.body,
                        hash: r.hash,
                    }
                })
                .collect(),
            next_cursor: page.next_cursor.map(|c| c.to_string()),
        }))
    }

    /// Every action name the log can hold. Roles: admin, auditor.
    #[oai(path = "/actions", method = "get")]
    async fn actions(&self, who: SignedIn) -> Result<Json<ActionsDto>, ApiError> {
        who.require(crate::domain::Permission::ReadAudit)
            .map_err(ApiError::from)?;
        Ok(Json(ActionsDto {
            items: ACTIONS.iter().map(|s| s.to_string()).collect(),
        }))
    }

    /// Who read or exported whose personal data, and when — for a breach notification. `from`
    /// and `to` are UTC dates (`to` inclusive) or RFC 3339 instants; `user` (email or id) keeps
    /// the reads that included that user's data. Oldest first; the query is itself recorded.
    /// Roles: admin, auditor.
    #[oai(path = "/accessed", method = "get")]
    async fn accessed(
        &self,
        who: SignedIn,
        from: Query<DateOrInstant>,
        to: Query<DateOrInstant>,
        user: Query<Option<String>>,
    ) -> Result<Json<AccessListDto>, ApiError> {
        let from_ms = bound("from", &from.0, false)?;
        let to_ms = bound("to", &to.0, true)?;
        if to_ms <= from_ms {
            return Err(
                invalid_field("to", "before_from", "the window ends before it starts").into(),
            );
        }
        let user = user.0.filter(|u| !u.trim().is_empty());
        let items = self
            .0
            .svc
            .audit()
            .accessed(&who, from_ms, to_ms, user.as_deref())
            .await?;
        Ok(Json(AccessListDto {
            items: items
                .into_iter()
                .map(|a| AccessDto {
                    seq: a.seq,
                    at: rfc3339(a.at_ms),
                    actor: a.actor,
                    actor_name: a.actor_name,
                    actor_email: a.actor_email,
                    action: a.action,
                    what: a.what,
                    everyone: a.everyone,
                    unknown_subjects: a.unknown_subjects,
                    subjects: a
                        .subjects
                        .into_iter()
                        .map(|s| SubjectDto {
                            id: s.id,
                            name: s.name,
                            email: s.email,
                        })
                        .collect(),
                    count: a.count,
                    count_unit: a.count_unit,
                    detail: a.detail,
                })
                .collect(),
        }))
    }

    /// Recomputes the hash chain and names the first record that fails. Roles: admin, auditor.
    #[oai(path = "/verify", method = "get")]
    async fn verify(&self, who: SignedIn) -> Result<Json<VerifyDto>, ApiError> {
        let r = self.0.svc.audit().verify(&who).await?;
        Ok(Json(VerifyDto {
            ok: r.ok,
            records: r.records,
            first_bad_seq: r.first_bad_seq,
            reason: r.reason,
        }))
    }
}
