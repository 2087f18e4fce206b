//! Time entries and the timer. Roles: see each endpoint.

use base64::Engine;
use chrono::NaiveDate;
use poem_openapi::param::{Path, Query};
use poem_openapi::types::MaybeUndefined;
use poem_openapi::{payload::Json, ApiResponse, Object, OpenApi};

use super::can::EntryCanDto;
use super::dto::{opt_id, Text};
use super::fast_json::FastJson;
use super::rules::{no_null, DateText, IdList, InstantText, Limited, Required, TagText, UuidText};
use super::{ApiTags, HttpState};
use crate::domain::codes;
use crate::domain::time::{days_range, duration_secs, local_date};
use crate::domain::tracking::Entry;
use crate::domain::{EntryId, ProjectId, TaskId};
use crate::http::auth::SignedIn;
use crate::http::problem::{invalid_field, ApiError};
use crate::service::{
    rfc3339, Actor, BulkChange, EntryFilter, EntryInput, EntryView, ServiceError, Services,
};

pub struct EntriesApi(pub HttpState);

/// A time entry. `end` is null while its timer runs.
#[derive(Object, serde::Serialize)]
struct EntryDto {
    id: String,
    user_id: String,
    /// The owner's display name (managers and admins see others' entries).
    #[oai(nullable)]
    user_name: Option<String>,
    project_id: String,
    project_name: String,
    project_color: String,
    /// The project's client, if it has one.
    #[oai(nullable)]
    client_name: Option<String>,
    #[oai(nullable)]
    task_id: Option<String>,
    #[oai(nullable)]
    task_title: Option<String>,
    note: String,
    tags: Vec<String>,
    start: String,
    #[oai(nullable)]
    end: Option<String>,
    /// Whole seconds; for a running entry, up to the moment of the response.
    duration_seconds: i64,
    billable: bool,
    #[oai(nullable)]
    rate_cents: Option<i64>,
    currency: String,
    created_at: String,
    updated_at: String,
    /// What the caller may do with this entry.
    can: EntryCanDto,
}

fn entry_dto(svc: &Services, actor: &Actor, e: Entry) -> Result<EntryDto, ServiceError> {
    Ok(view_dto(svc, svc.entries().view(actor, e)?))
}

/// Many entries for one response: their names are looked up once each.
fn entry_dtos(
    svc: &Services,
    actor: &Actor,
    entries: Vec<Entry>,
) -> Result<Vec<EntryDto>, ServiceError> {
    Ok(svc
        .entries()
        .views(actor, entries)?
        .into_iter()
        .map(|v| view_dto(svc, v))
        .collect())
}

fn view_dto(svc: &Services, v: EntryView) -> EntryDto {
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
        duration_seconds: duration_secs(e.start_ms, e.end_ms.unwrap_or_else(|| svc.now_ms())),
        note: e.note,
        tags: e.tags,
        start: rfc3339(e.start_ms),
        end: e.end_ms.map(rfc3339),
        billable: e.billable,
        rate_cents: e.rate_cents,
        currency: e.currency,
        created_at: rfc3339(e.created_at_ms),
        updated_at: rfc3339(e.updated_at_ms),
    }
}

#[derive(Object, serde::Serialize)]
struct EntryPageDto {
    items: Vec<EntryDto>,
    /// Null on the last page.
    #[oai(nullable)]
    next_cursor: Option<String>,
    /// Sum of `duration_seconds` over `items`.
    total_seconds: i64,
}

/// Fields left out stay unchanged. Instants are RFC 3339 with any offset.
#[derive(Object)]
struct EntryReq {
    #[oai(deserialize_with = "no_null")]
    project_id: Option<Text>,
    /// A task of the entry's project; `null` clears it.
    #[oai(nullable)]
    task_id: MaybeUndefined<Text>,
    #[oai(deserialize_with = "no_null")]
    start: Option<InstantText>,
    #[oai(deserialize_with = "no_null")]
    end: Option<InstantText>,
    #[oai(deserialize_with = "no_null")]
    note: Option<Limited<2000>>,
    /// At most 20 (duplicates and blank ones are dropped).
    #[oai(deserialize_with = "no_null")]
    tags: Option<Vec<TagText>>,
    #[oai(deserialize_with = "no_null")]
    billable: Option<bool>,
}

/// A finished entry. Instants are RFC 3339 with any offset.
#[derive(Object)]
struct NewEntryReq {
    project_id: Required<Text>,
    /// A task of the entry's project.
    #[oai(nullable)]
    task_id: MaybeUndefined<Text>,
    start: Required<InstantText>,
    end: Required<InstantText>,
    #[oai(deserialize_with = "no_null")]
    note: Option<Limited<2000>>,
    /// At most 20 (duplicates and blank ones are dropped).
    #[oai(deserialize_with = "no_null")]
    tags: Option<Vec<TagText>>,
    #[oai(deserialize_with = "no_null")]
    billable: Option<bool>,
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
        }
    }
}

/// A timer to start now: its project, and optionally a task, note, tags and billable flag.
#[derive(Object)]
struct StartReq {
    project_id: Required<Text>,
    /// A task of the entry's project.
    #[oai(nullable)]
    task_id: MaybeUndefined<Text>,
    #[oai(deserialize_with = "no_null")]
    note: Option<Limited<2000>>,
    /// At most 20 (duplicates and blank ones are dropped).
    #[oai(deserialize_with = "no_null")]
    tags: Option<Vec<TagText>>,
    #[oai(deserialize_with = "no_null")]
    billable: Option<bool>,
}

impl From<StartReq> for EntryReq {
    fn from(b: StartReq) -> Self {
        Self {
            project_id: b.project_id.0,
            task_id: b.task_id,
            start: None,
            end: None,
            note: b.note,
            tags: b.tags,
            billable: b.billable,
        }
    }
}

/// The same change for many entries; all are changed or none.
#[derive(Object)]
struct BulkReq {
    /// 1 to 500 entry ids.
    ids: IdList,
    #[oai(default)]
    add_tags: Vec<TagText>,
    #[oai(default)]
    remove_tags: Vec<Text>,
    /// Move every entry to this project (their tasks are cleared).
    #[oai(deserialize_with = "no_null")]
    project_id: Option<Text>,
}

#[derive(Object)]
struct BulkDto {
    /// The entries that changed (unchanged ones are left out).
    items: Vec<EntryDto>,
}

/// One line, e.g. `1h30 acme/backups #ops yesterday rotated RAID keys` (docs/user-guide.md).
#[derive(Object)]
struct QuickReq {
    text: Text,
}

#[derive(Object)]
struct TimerDto {
    /// Null when no timer runs.
    #[oai(nullable)]
    running: Option<EntryDto>,
}

#[derive(Object)]
struct StartedDto {
    started: EntryDto,
    /// The timer that was running until this one started, if any.
    #[oai(nullable)]
    stopped: Option<StoppedDto>,
}

/// A stopped timer's entry. `capped`: it ran longer than the longest entry allowed
/// (`tracking.max_entry_hours`), so it ends that long after its start; the person should
/// correct it.
#[derive(Object)]
struct StoppedDto {
    #[oai(flatten)]
    entry: EntryDto,
    capped: bool,
}

fn stopped_dto(svc: &Services, actor: &Actor, e: Entry) -> Result<StoppedDto, ServiceError> {
    Ok(StoppedDto {
        capped: crate::domain::range::capped(&e, e.updated_at_ms),
        entry: entry_dto(svc, actor, e)?,
    })
}

#[derive(ApiResponse)]
enum Created {
    #[oai(status = 201)]
    Created(Json<EntryDto>),
}

#[derive(ApiResponse)]
enum Started {
    #[oai(status = 201)]
    Started(Json<StartedDto>),
}

#[derive(ApiResponse)]
enum Deleted {
    #[oai(status = 204)]
    Deleted,
}

fn instant(field: &str, t: Option<InstantText>) -> Result<Option<i64>, ServiceError> {
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

fn entry_input(b: EntryReq) -> Result<EntryInput, ServiceError> {
    let project_id = b
        .project_id
        .map(|t| {
            t.0.parse::<ProjectId>()
                .map_err(|_| ServiceError::NotFound {
                    kind: "project",
                    code: codes::PROJECT_NOT_FOUND,
                })
        })
        .transpose()?;
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

fn entry_id(id: &str) -> Result<EntryId, ServiceError> {
    id.parse().map_err(|_| ServiceError::NotFound {
        kind: "entry",
        code: codes::ENTRY_NOT_FOUND,
    })
}

/// A bound of the listed range by the range rule (`domain::range::date_bound`): 422 for text
/// that is not a date, never a panic; outside the window, its edge.
fn date(svc: &Services, field: &str, d: &str) -> Result<NaiveDate, ServiceError> {
    Ok(crate::domain::range::date_bound(
        field,
        d,
        svc.now_ms(),
        &svc.settings().tracking,
    )?)
}

fn encode_cursor(c: (i64, EntryId)) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!("{}:{}", c.0, c.1))
}

fn decode_cursor(s: &str) -> Result<(i64, EntryId), ServiceError> {
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

#[OpenApi(tag = "ApiTags::Tracking")]
impl EntriesApi {
    /// Entries starting in the local dates `from..=to` (default: today in the caller's time
    /// zone), newest first; without `user_id`, the caller's own. Members read their own,
    /// managers also those on projects they manage, admins and auditors anyone's.
    /// Roles: admin, manager, member, auditor.
    #[oai(path = "/entries", method = "get")]
    #[allow(clippy::too_many_arguments)]
    async fn list(
        &self,
        actor: SignedIn,
        from: Query<Option<DateText>>,
        to: Query<Option<DateText>>,
        user_id: Query<Option<UuidText>>,
        project_id: Query<Option<UuidText>>,
        client_id: Query<Option<UuidText>>,
        task_id: Query<Option<UuidText>>,
        tag: Query<Option<String>>,
        billable: Query<Option<bool>>,
        /// Text the note contains.
        q: Query<Option<String>>,
        /// Page size (default 100; other values are moved into 1–2000, enough for a month).
        #[oai(validator(minimum(value = "0"), maximum(value = "4294967295")))]
        limit: Query<Option<u32>>,
        cursor: Query<Option<String>>,
    ) -> Result<FastJson<EntryPageDto>, ApiError> {
        let svc = &self.0.svc;
        let me = actor.user.clone();
        let tz = me.time_zone.tz();
        let today = local_date(svc.now_ms(), tz);
        let from = from
            .0
            .as_deref()
            .map(|d| date(svc, "from", d))
            .transpose()?
            .unwrap_or(today);
        let to =
            to.0.as_deref()
                .map(|d| date(svc, "to", d))
                .transpose()?
                .unwrap_or(from);
        if to < from {
            return Err(
                invalid_field("to", "before_from", "the range ends before it starts").into(),
            );
        }
        let (from_ms, to_ms) = days_range(from, to, tz);
        let user = opt_id("user_id", user_id.0.as_deref())?;
        let project = opt_id("project_id", project_id.0.as_deref())?;
        let client = opt_id("client_id", client_id.0.as_deref())?;
        let filter = EntryFilter {
            project,
            client,
            task: opt_id("task_id", task_id.0.as_deref())?,
            tag: tag.0.filter(|t| !t.is_empty()),
            billable: billable.0,
            text: q.0.filter(|t| !t.is_empty()),
        };
        let before = cursor.0.as_deref().map(decode_cursor).transpose()?;
        let page = svc
            .entries()
            .list(
                &actor,
                user,
                from_ms,
                to_ms,
                &filter,
                before,
                limit.0.unwrap_or(100) as usize,
            )
            .await?;
        Ok(FastJson(EntryPageDto {
            items: entry_dtos(svc, &actor, page.items)?,
            next_cursor: page.next.map(encode_cursor),
            total_seconds: page.total_seconds,
        }))
    }

    /// Records a finished entry for the caller. Roles: admin, manager, member.
    #[oai(path = "/entries", method = "post")]
    async fn create(&self, actor: SignedIn, body: Json<NewEntryReq>) -> Result<Created, ApiError> {
        let e = self
            .0
            .svc
            .entries()
            .create(&actor, entry_input(body.0.into())?)
            .await?;
        Ok(Created::Created(Json(entry_dto(&self.0.svc, &actor, e)?)))
    }

    /// Records an entry from one typed line. A line that cannot be parsed is refused with
    /// `validation.failed`, a `quick.*` field code naming the token and why, and nothing is
    /// created. Roles: admin, manager, member.
    #[oai(path = "/entries/quick", method = "post")]
    async fn quick(&self, actor: SignedIn, body: Json<QuickReq>) -> Result<Created, ApiError> {
        let e = self
            .0
            .svc
            .entries()
            .quick_add(&actor, &body.0.text.0)
            .await?;
        Ok(Created::Created(Json(entry_dto(&self.0.svc, &actor, e)?)))
    }

    /// Adds or removes tags on, or moves, up to 500 entries in one transaction: all change or
    /// none do. Roles: as for editing each entry.
    #[oai(path = "/entries/bulk", method = "post")]
    async fn bulk(&self, actor: SignedIn, body: Json<BulkReq>) -> Result<Json<BulkDto>, ApiError> {
        let b = body.0;
        let ids = b
            .ids
            .iter()
            .map(|t| entry_id(&t.0))
            .collect::<Result<Vec<_>, _>>()?;
        let project_id = b
            .project_id
            .map(|t| {
                t.0.parse::<ProjectId>()
                    .map_err(|_| ServiceError::NotFound {
                        kind: "project",
                        code: codes::PROJECT_NOT_FOUND,
                    })
            })
            .transpose()?;
        let change = BulkChange {
            add_tags: b.add_tags.into_iter().map(|t| t.0).collect(),
            remove_tags: b.remove_tags.into_iter().map(|t| t.0).collect(),
            project_id,
        };
        let updated = self
            .0
            .svc
            .entries()
            .bulk_update(&actor, &ids, change)
            .await?;
        Ok(Json(BulkDto {
            items: entry_dtos(&self.0.svc, &actor, updated)?,
        }))
    }

    /// Roles: the entry's owner, the project's managers, admin.
    #[oai(path = "/entries/:id", method = "patch")]
    async fn update(
        &self,
        actor: SignedIn,
        id: Path<String>,
        body: Json<EntryReq>,
    ) -> Result<Json<EntryDto>, ApiError> {
        let e = self
            .0
            .svc
            .entries()
            .update(&actor, entry_id(&id.0)?, entry_input(body.0)?)
            .await?;
        Ok(Json(entry_dto(&self.0.svc, &actor, e)?))
    }

    /// Roles: the entry's owner, the project's managers, admin.
    #[oai(path = "/entries/:id", method = "delete")]
    async fn delete(&self, actor: SignedIn, id: Path<String>) -> Result<Deleted, ApiError> {
        self.0
            .svc
            .entries()
            .delete(&actor, entry_id(&id.0)?)
            .await?;
        Ok(Deleted::Deleted)
    }

    /// Starts the timer again with an earlier entry's project, note, tags and billable flag.
    /// Roles: the entry's owner.
    #[oai(path = "/entries/:id/continue", method = "post")]
    async fn continue_entry(&self, actor: SignedIn, id: Path<String>) -> Result<Started, ApiError> {
        let (started, stopped) = self
            .0
            .svc
            .entries()
            .continue_entry(&actor, entry_id(&id.0)?)
            .await?;
        Ok(self.started(&actor, started, stopped)?)
    }

    /// The caller's running timer, if any. Roles: admin, manager, member.
    #[oai(path = "/timer", method = "get")]
    async fn timer(&self, actor: SignedIn) -> Result<Json<TimerDto>, ApiError> {
        let running = self.0.svc.entries().running_timer(&actor)?;
        Ok(Json(TimerDto {
            running: running
                .map(|e| entry_dto(&self.0.svc, &actor, e))
                .transpose()?,
        }))
    }

    /// Starts a timer now; a running one stops at the same instant, in one transaction.
    /// Roles: admin, manager, member.
    #[oai(path = "/timer/start", method = "post")]
    async fn start(&self, actor: SignedIn, body: Json<StartReq>) -> Result<Started, ApiError> {
        let (started, stopped) = self
            .0
            .svc
            .entries()
            .start_timer(&actor, entry_input(body.0.into())?)
            .await?;
        Ok(self.started(&actor, started, stopped)?)
    }

    /// Stops the running timer. One that ran longer than the longest entry allowed ends that
    /// long after its start and answers `capped: true`. Roles: admin, manager, member.
    #[oai(path = "/timer/stop", method = "post")]
    async fn stop(&self, actor: SignedIn) -> Result<Json<StoppedDto>, ApiError> {
        let e = self.0.svc.entries().stop_timer(&actor).await?;
        Ok(Json(stopped_dto(&self.0.svc, &actor, e)?))
    }
}

impl EntriesApi {
    fn started(
        &self,
        actor: &Actor,
        started: Entry,
        stopped: Option<Entry>,
    ) -> Result<Started, ServiceError> {
        let svc = &self.0.svc;
        Ok(Started::Started(Json(StartedDto {
            started: entry_dto(svc, actor, started)?,
            stopped: stopped.map(|e| stopped_dto(svc, actor, e)).transpose()?,
        })))
    }
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
            start: "2026-03-01T08:00:00Z".into(),
            end: some("2026-03-01T08:45:00Z"),
            duration_seconds: 2700,
            billable: full,
            rate_cents: full.then_some(9000),
            currency: "EUR".into(),
            created_at: "2026-03-01T08:45:01Z".into(),
            updated_at: "2026-03-01T08:45:02Z".into(),
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
