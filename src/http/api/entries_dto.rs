//! The entries API's request and answer types, and the conversions between them and the
//! service's: what `entries.rs` takes in and sends back.

use base64::Engine;
use chrono::NaiveDate;
use poem_openapi::types::MaybeUndefined;
use poem_openapi::{payload::Json, ApiResponse, Object};

use super::can::EntryCanDto;
use super::dto::{Text, TicketDto};
use super::rules::{no_null, IdList, InstantText, Limited, Required, TagText};
use crate::domain::codes;
use crate::domain::time::duration_secs;
use crate::domain::tracking::Entry;
use crate::domain::{EntryId, FieldError, ProjectId, TaskId};
use crate::http::problem::invalid_field;
use crate::service::{rfc3339, Actor, EntryInput, EntryView, ServiceError, Services};

/// A time entry. `end` is null while its timer runs.
#[derive(Object, serde::Serialize)]
pub(super) struct EntryDto {
    pub(super) id: String,
    pub(super) user_id: String,
    /// The owner's display name (managers and admins see others' entries).
    #[oai(nullable)]
    pub(super) user_name: Option<String>,
    pub(super) project_id: String,
    pub(super) project_name: String,
    pub(super) project_color: String,
    /// The project's client, if it has one.
    #[oai(nullable)]
    pub(super) client_name: Option<String>,
    #[oai(nullable)]
    pub(super) task_id: Option<String>,
    #[oai(nullable)]
    pub(super) task_title: Option<String>,
    pub(super) note: String,
    pub(super) tags: Vec<String>,
    /// The tickets the note and the task's title refer to, each once (read-only; empty without
    /// `tickets.patterns`).
    pub(super) tickets: Vec<TicketDto>,
    pub(super) start: String,
    #[oai(nullable)]
    pub(super) end: Option<String>,
    /// Whole seconds; for a running entry, up to the moment of the response.
    pub(super) duration_seconds: i64,
    pub(super) billable: bool,
    #[oai(nullable)]
    pub(super) rate_cents: Option<i64>,
    pub(super) currency: String,
    pub(super) created_at: String,
    pub(super) updated_at: String,
    /// In an approved or locked week of its owner: no one may change it until the week is
    /// reopened (`can` says `false` to everyone meanwhile).
    pub(super) locked: bool,
    /// What the caller may do with this entry.
    pub(super) can: EntryCanDto,
}

pub(super) fn entry_dto(svc: &Services, actor: &Actor, e: Entry) -> Result<EntryDto, ServiceError> {
    Ok(view_dto(svc.now_ms(), svc.entries().view(actor, e)?))
}

/// Many entries for one response: their names are looked up once each.
pub(super) fn entry_dtos(
    svc: &Services,
    actor: &Actor,
    entries: Vec<Entry>,
) -> Result<Vec<EntryDto>, ServiceError> {
    Ok(svc
        .entries()
        .views(actor, entries)?
        .into_iter()
        .map(|v| view_dto(svc.now_ms(), v))
        .collect())
}

/// `v` as the API writes it; a running entry's duration runs to `now_ms`.
pub(super) fn view_dto(now_ms: i64, v: EntryView) -> EntryDto {
    let (e, labels) = (v.entry, v.labels);
    EntryDto {
        can: v.can.into(),
        user_name: labels.user_name,
        client_name: labels.client_name,
        task_title: labels.task_title,
        id: e.id.to_string(),
        user_id: e.user_id.to_string(),
        project_id: e.project_id.to_string(),
        project_name: labels.project_name,
        project_color: labels.project_color,
        task_id: e.task_id.map(|t| t.to_string()),
        duration_seconds: duration_secs(e.start_ms, e.end_ms.unwrap_or(now_ms)),
        note: e.note,
        tags: e.tags,
        tickets: v.tickets.into_iter().map(TicketDto::from).collect(),
        start: rfc3339(e.start_ms),
        end: e.end_ms.map(rfc3339),
        billable: e.billable,
        rate_cents: e.rate_cents,
        currency: e.currency,
        created_at: rfc3339(e.created_at_ms),
        updated_at: rfc3339(e.updated_at_ms),
        locked: v.locked,
    }
}

#[derive(Object, serde::Serialize)]
pub(super) struct EntryPageDto {
    pub(super) items: Vec<EntryDto>,
    /// Null on the last page.
    #[oai(nullable)]
    pub(super) next_cursor: Option<String>,
    /// Sum of `duration_seconds` over `items`.
    pub(super) total_seconds: i64,
}

/// Fields left out stay unchanged. Instants are RFC 3339 with any offset.
#[derive(Object)]
pub(super) struct EntryReq {
    #[oai(deserialize_with = "no_null")]
    pub(super) project_id: Option<Text>,
    /// A task of the entry's project; `null` clears it.
    #[oai(nullable)]
    pub(super) task_id: MaybeUndefined<Text>,
    #[oai(deserialize_with = "no_null")]
    pub(super) start: Option<InstantText>,
    #[oai(deserialize_with = "no_null")]
    pub(super) end: Option<InstantText>,
    #[oai(deserialize_with = "no_null")]
    pub(super) note: Option<Limited<2000>>,
    /// At most 20 (duplicates and blank ones are dropped).
    #[oai(deserialize_with = "no_null")]
    pub(super) tags: Option<Vec<TagText>>,
    #[oai(deserialize_with = "no_null")]
    pub(super) billable: Option<bool>,
    /// Keep a start over a year ago or after tomorrow (in the caller's time zone); without it
    /// such a change is refused with `entry.needs_confirmation`.
    #[oai(default)]
    pub(super) confirm: bool,
}

/// A finished entry. Instants are RFC 3339 with any offset.
#[derive(Object)]
pub(super) struct NewEntryReq {
    pub(super) project_id: Required<Text>,
    /// A task of the entry's project.
    #[oai(nullable)]
    pub(super) task_id: MaybeUndefined<Text>,
    pub(super) start: Required<InstantText>,
    pub(super) end: Required<InstantText>,
    #[oai(deserialize_with = "no_null")]
    pub(super) note: Option<Limited<2000>>,
    /// At most 20 (duplicates and blank ones are dropped).
    #[oai(deserialize_with = "no_null")]
    pub(super) tags: Option<Vec<TagText>>,
    #[oai(deserialize_with = "no_null")]
    pub(super) billable: Option<bool>,
    /// Keep a start over a year ago or after tomorrow (in the caller's time zone); without it
    /// such a change is refused with `entry.needs_confirmation`.
    #[oai(default)]
    pub(super) confirm: bool,
}

impl From<NewEntryReq> for EntryReq {
    fn from(b: NewEntryReq) -> Self {
        Self {
            project_id: b.project_id.0,
            task_id: b.task_id,
            start: b.start.0,
            end: b.end.0,
            note: b.note,
            tags: b.tags,
            billable: b.billable,
            confirm: b.confirm,
        }
    }
}

/// A timer to start now: its project, and optionally a task, note, tags and billable flag; or
/// instead all of them but the task as one typed line in `text`.
#[derive(Object)]
pub(super) struct StartReq {
    /// Required unless `text` is given.
    #[oai(deserialize_with = "no_null")]
    pub(super) project_id: Option<Text>,
    /// The timer as one typed line, e.g. `acme/backups #ops #billable rotating keys`: the
    /// quick-add grammar (docs/user-guide.md) without a duration, time range or day. Instead of
    /// `project_id`, `task_id`, `note`, `tags` and `billable` (each `unexpected` beside it); a
    /// line that does not parse is refused with a `quick.*` field code on `text`.
    #[oai(deserialize_with = "no_null")]
    pub(super) text: Option<Text>,
    /// A task of the entry's project.
    #[oai(nullable)]
    pub(super) task_id: MaybeUndefined<Text>,
    #[oai(deserialize_with = "no_null")]
    pub(super) note: Option<Limited<2000>>,
    /// At most 20 (duplicates and blank ones are dropped).
    #[oai(deserialize_with = "no_null")]
    pub(super) tags: Option<Vec<TagText>>,
    #[oai(deserialize_with = "no_null")]
    pub(super) billable: Option<bool>,
    /// When the person pressed Start, for a start sent later (a device that was offline): at
    /// most 7 days ago, not after now (a device clock up to a minute ahead counts as now).
    /// Default: now.
    #[oai(deserialize_with = "no_null")]
    pub(super) at: Option<InstantText>,
}

impl StartReq {
    /// With `text`, the fields it replaces must be absent: each one present is `unexpected`.
    pub(super) fn text_alone(&self) -> Result<(), ServiceError> {
        let present = [
            ("project_id", self.project_id.is_some()),
            ("task_id", !self.task_id.is_undefined()),
            ("note", self.note.is_some()),
            ("tags", self.tags.is_some()),
            ("billable", self.billable.is_some()),
        ];
        let errors: Vec<FieldError> = present
            .into_iter()
            .filter(|(_, there)| *there)
            .map(|(field, _)| {
                let message = format!(
                    "the line in text names the project, tags, note and billable flag; \
                     leave out {field} or leave out text"
                );
                FieldError::new(field, "unexpected", message)
            })
            .collect();
        if errors.is_empty() {
            Ok(())
        } else {
            Err(ServiceError::Invalid(errors))
        }
    }
}

impl From<StartReq> for EntryReq {
    fn from(b: StartReq) -> Self {
        Self {
            project_id: b.project_id,
            task_id: b.task_id,
            start: None,
            end: None,
            note: b.note,
            tags: b.tags,
            billable: b.billable,
            confirm: false,
        }
    }
}

/// The same change for many entries; all are changed or none.
#[derive(Object)]
pub(super) struct BulkReq {
    /// 1 to 500 entry ids.
    pub(super) ids: IdList,
    #[oai(default)]
    pub(super) add_tags: Vec<TagText>,
    #[oai(default)]
    pub(super) remove_tags: Vec<Text>,
    /// Move every entry to this project (their tasks are cleared).
    #[oai(deserialize_with = "no_null")]
    pub(super) project_id: Option<Text>,
}

#[derive(Object)]
pub(super) struct BulkDto {
    /// The entries that changed (unchanged ones are left out).
    pub(super) items: Vec<EntryDto>,
}

/// One line, e.g. `1h30 acme/backups #ops yesterday rotated RAID keys` (docs/user-guide.md).
#[derive(Object)]
pub(super) struct QuickReq {
    pub(super) text: Text,
    /// Keep a day over a year ago or after tomorrow (`entry.needs_confirmation` otherwise).
    #[oai(default)]
    pub(super) confirm: bool,
    /// When the line was typed, for a line sent later (a device that was offline): a duration
    /// ends then and `today` is that day. At most 7 days ago; default now.
    #[oai(deserialize_with = "no_null")]
    pub(super) at: Option<InstantText>,
}

#[derive(Object)]
pub(super) struct TimerDto {
    /// Null when no timer runs.
    #[oai(nullable)]
    pub(super) running: Option<EntryDto>,
}

#[derive(Object)]
pub(super) struct StartedDto {
    pub(super) started: EntryDto,
    /// The timer that was running until this one started, if any.
    #[oai(nullable)]
    pub(super) stopped: Option<StoppedDto>,
}

/// A stopped timer's entry. `capped`: it ran longer than the longest entry allowed
/// (`tracking.max_entry_hours`), so it ends that long after its start; the person should
/// correct it.
#[derive(Object)]
pub(super) struct StoppedDto {
    #[oai(flatten)]
    pub(super) entry: EntryDto,
    pub(super) capped: bool,
}

pub(super) fn stopped_dto(
    svc: &Services,
    actor: &Actor,
    e: Entry,
) -> Result<StoppedDto, ServiceError> {
    Ok(StoppedDto {
        capped: crate::domain::range::at_limit(&e, &svc.settings().tracking),
        entry: entry_dto(svc, actor, e)?,
    })
}

#[derive(ApiResponse)]
pub(super) enum Created {
    #[oai(status = 201)]
    Created(Json<EntryDto>),
}

#[derive(ApiResponse)]
pub(super) enum Started {
    #[oai(status = 201)]
    Started(Json<StartedDto>),
}

#[derive(ApiResponse)]
pub(super) enum Deleted {
    #[oai(status = 204)]
    Deleted,
}

pub(super) fn instant(field: &str, t: Option<InstantText>) -> Result<Option<i64>, ServiceError> {
    t.map(|t| {
        chrono::DateTime::parse_from_rfc3339(t.0.trim())
            .map(|d| d.timestamp_millis())
            .map_err(|_| {
                invalid_field(
                    field,
                    "invalid_instant",
                    "use RFC 3339, e.g. 2026-11-23T09:15:00Z",
                )
            })
    })
    .transpose()
}

pub(super) fn entry_input(b: EntryReq) -> Result<EntryInput, ServiceError> {
    let project_id = b.project_id.map(|t| project_id(&t.0)).transpose()?;
    let task_id = match b.task_id {
        MaybeUndefined::Undefined => None,
        MaybeUndefined::Null => Some(None),
        MaybeUndefined::Value(t) => Some(Some(t.0.parse::<TaskId>().map_err(|_| {
            ServiceError::NotFound {
                kind: "task",
                code: codes::TASK_NOT_FOUND,
            }
        })?)),
    };
    Ok(EntryInput {
        project_id,
        task_id,
        start_ms: instant("start", b.start)?,
        end_ms: instant("end", b.end)?,
        note: b.note.map(|t| t.0),
        tags: b.tags.map(|v| v.into_iter().map(|t| t.0).collect()),
        billable: b.billable,
    })
}

/// A project id from a request body; one that does not parse names no project.
pub(super) fn project_id(id: &str) -> Result<ProjectId, ServiceError> {
    id.parse().map_err(|_| ServiceError::NotFound {
        kind: "project",
        code: codes::PROJECT_NOT_FOUND,
    })
}

pub(super) fn entry_id(id: &str) -> Result<EntryId, ServiceError> {
    id.parse().map_err(|_| ServiceError::NotFound {
        kind: "entry",
        code: codes::ENTRY_NOT_FOUND,
    })
}

/// A bound of the listed range by the range rule (`domain::range::date_bound`): 422 for text
/// that is not a date, never a panic; outside the window, its edge.
pub(super) fn date(svc: &Services, field: &str, d: &str) -> Result<NaiveDate, ServiceError> {
    Ok(crate::domain::range::date_bound(
        field,
        d,
        svc.now_ms(),
        &svc.settings().tracking,
    )?)
}

pub(super) fn encode_cursor(c: (i64, EntryId)) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!("{}:{}", c.0, c.1))
}

pub(super) fn decode_cursor(s: &str) -> Result<(i64, EntryId), ServiceError> {
    let bad = || invalid_field("cursor", "invalid", "not a cursor from this API");
    let raw = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(s)
        .map_err(|_| bad())?;
    let raw = String::from_utf8(raw).map_err(|_| bad())?;
    let (ms, id) = raw.split_once(':').ok_or_else(bad)?;
    Ok((
        ms.parse().map_err(|_| bad())?,
        id.parse().map_err(|_| bad())?,
    ))
}

#[cfg(test)]
mod tests {
    use poem_openapi::types::ToJSON;

    use super::*;

    fn dto(full: bool) -> EntryDto {
        let some = |s: &str| full.then(|| s.to_owned());
        EntryDto {
            id: "01900000-0000-7000-8000-000000000001".into(),
            user_id: "01900000-0000-7000-8000-000000000002".into(),
            user_name: some("Ada \"the\" Admin"),
            project_id: "01900000-0000-7000-8000-000000000003".into(),
            project_name: "Backups ✓".into(),
            project_color: "#2f6fde".into(),
            client_name: some("Acme\nCorp"),
            task_id: some("01900000-0000-7000-8000-000000000004"),
            task_title: some("Rotate keys"),
            note: "line one\tand \\ two".into(),
            tags: vec!["ops".into(), "ünïcode".into()],
            tickets: (0..usize::from(full) * 2)
                .map(|i| TicketDto {
                    id: format!("OPS-{i}"),
                    url: format!("https://t.example/browse/OPS-{i}"),
                    source: "jira".into(),
                })
                .collect(),
            start: "2026-03-01T08:00:00Z".into(),
            end: some("2026-03-01T08:45:00Z"),
            duration_seconds: 2700,
            billable: full,
            rate_cents: full.then_some(9000),
            currency: "EUR".into(),
            created_at: "2026-03-01T08:45:01Z".into(),
            updated_at: "2026-03-01T08:45:02Z".into(),
            locked: !full,
            can: EntryCanDto {
                edit: true,
                delete: full,
            },
        }
    }

    #[test]
    fn the_fast_page_body_is_the_json_the_spec_types_give() {
        for next_cursor in [None, Some("AAAA".to_owned())] {
            let page = EntryPageDto {
                items: vec![dto(true), dto(false)],
                next_cursor,
                total_seconds: 5400,
            };
            assert_eq!(
                serde_json::to_value(&page).unwrap(),
                page.to_json().unwrap()
            );
        }
    }
}
