//! Time entries and the timer. Roles: see each endpoint.

use poem_openapi::param::{Header, Path, Query};
use poem_openapi::{payload::Json, OpenApi};

use super::dto::opt_id;
use super::entries_dto::*;
use super::entries_json::PageBody;
use super::fast_json::FastJson;
use super::rules::{DateText, IdempotencyKey, InstantText, UuidText};
use super::{ApiTags, HttpState};
use crate::domain::time::{days_range, local_date};
use crate::domain::tracking::Entry;
use crate::http::auth::SignedIn;
use crate::http::problem::{invalid_field, ApiError};
use crate::service::{Actor, BulkChange, EntryFilter, Once, ServiceError};

pub struct EntriesApi(pub HttpState);

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
        /// A ticket id (`tickets.patterns`), any letter case: entries whose note or task title
        /// refers to it.
        ticket: Query<Option<String>>,
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
            ticket: ticket
                .0
                .filter(|t| !t.trim().is_empty())
                .map(|t| t.trim().to_owned()),
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
        let views = svc.entries().views(&actor, page.items)?;
        let next_cursor = page.next.map(encode_cursor);
        let body = PageBody {
            items: &views,
            next_cursor: next_cursor.as_deref(),
            total_seconds: page.total_seconds,
            now_ms: svc.now_ms(),
        };
        Ok(FastJson::written_by(body.size_hint(), |out| {
            body.write(out)
        }))
    }

    /// Records a finished entry for the caller. A start over a year ago or after tomorrow
    /// (the caller's time zone) needs `confirm: true`, else `422 entry.needs_confirmation`.
    /// Roles: admin, manager, member.
    #[oai(path = "/entries", method = "post")]
    async fn create(&self, actor: SignedIn, body: Json<NewEntryReq>) -> Result<Created, ApiError> {
        let confirmed = body.0.confirm;
        let e = self
            .0
            .svc
            .entries()
            .create_confirmed(&actor, entry_input(body.0.into())?, confirmed)
            .await?;
        Ok(Created::Created(Json(entry_dto(&self.0.svc, &actor, e)?)))
    }

    /// Records an entry from one typed line. A line that cannot be parsed is refused with
    /// `validation.failed`, a `quick.*` field code naming the token and why, and nothing is
    /// created; a day over a year ago or after tomorrow needs `confirm: true`
    /// (`entry.needs_confirmation` otherwise). Roles: admin, manager, member.
    #[oai(path = "/entries/quick", method = "post")]
    ///
    /// With an `Idempotency-Key`, a retry within 24 hours answers with the entry the first
    /// attempt made (as it is now) and makes nothing; `at` says when the line was typed.
    async fn quick(
        &self,
        actor: SignedIn,
        body: Json<QuickReq>,
        /// Makes the request safe to retry: 1–255 visible ASCII characters, e.g. a UUID.
        #[oai(name = "Idempotency-Key")]
        idempotency_key: Header<Option<IdempotencyKey>>,
    ) -> Result<Created, ApiError> {
        let once = once(idempotency_key)?;
        let at = instant("at", body.0.at)?;
        let e = self
            .0
            .svc
            .entries()
            .quick_add_at(&actor, &body.0.text.0, body.0.confirm, at, once.as_ref())
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
        let project_id = b.project_id.map(|t| project_id(&t.0)).transpose()?;
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
        let confirmed = body.0.confirm;
        let e = self
            .0
            .svc
            .entries()
            .update_confirmed(&actor, entry_id(&id.0)?, entry_input(body.0)?, confirmed)
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

    /// Starts a timer now (or `at`) on `project_id`, or from the typed line in `text`
    /// (`acme/backups #ops rotating keys`: a `quick.*` field code on `text` when it does not
    /// parse); a running one stops at the same instant, in one transaction. A running timer that started after `at` stays: `timer.started_later`.
    /// With an `Idempotency-Key`, a retry within 24 hours answers as the first attempt did and
    /// starts nothing. Roles: admin, manager, member.
    #[oai(path = "/timer/start", method = "post")]
    async fn start(
        &self,
        actor: SignedIn,
        body: Json<StartReq>,
        /// Makes the request safe to retry: 1–255 visible ASCII characters, e.g. a UUID.
        #[oai(name = "Idempotency-Key")]
        idempotency_key: Header<Option<IdempotencyKey>>,
    ) -> Result<Started, ApiError> {
        let once = once(idempotency_key)?;
        let mut body = body.0;
        let at = instant("at", body.at.take())?;
        let entries = self.0.svc.entries();
        let (started, stopped) = match body.text.take() {
            Some(text) => {
                body.text_alone()?;
                (entries.start_timer_text(&actor, &text.0, at, once.as_ref())).await?
            }
            None => {
                let input = entry_input(body.into())?;
                entries
                    .start_timer_at(&actor, input, at, once.as_ref())
                    .await?
            }
        };
        Ok(self.started(&actor, started, stopped)?)
    }

    /// Stops the running timer now (or `at`). One that ran longer than the longest entry
    /// allowed ends that long after its start and answers `capped: true`; one that started
    /// after `at` keeps running: `timer.started_later`. With an `Idempotency-Key`, a retry
    /// within 24 hours answers as the first attempt did. Roles: admin, manager, member.
    #[oai(path = "/timer/stop", method = "post")]
    async fn stop(
        &self,
        actor: SignedIn,
        /// When the person pressed Stop, for a stop sent later (a device that was offline): at
        /// most 7 days ago. Default: now.
        at: Query<Option<InstantText>>,
        /// Makes the request safe to retry: 1–255 visible ASCII characters, e.g. a UUID.
        #[oai(name = "Idempotency-Key")]
        idempotency_key: Header<Option<IdempotencyKey>>,
    ) -> Result<Json<StoppedDto>, ApiError> {
        let once = once(idempotency_key)?;
        let at = instant("at", at.0)?;
        let e = (self.0.svc.entries())
            .stop_timer_at(&actor, at, once.as_ref())
            .await?;
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

/// The service's form of an `Idempotency-Key` header, if one was sent.
fn once(key: Header<Option<IdempotencyKey>>) -> Result<Option<Once>, ServiceError> {
    key.0.map(|k| Once::new(&k.0)).transpose()
}
