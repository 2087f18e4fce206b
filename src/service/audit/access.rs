//! Reads of other people's data: recording them (`data.accessed`, beside the older `user.viewed`,
//! `users.listed`, `export.written` and `backup.created`) and answering "whose data was read or
//! exported, by whom, when" (`ophiontt audit accessed`, `GET /api/v1/audit/accessed`).

use crate::store::prelude::*;
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::domain::access::{access_of, Subjects, DATA_ACCESSED};
use crate::domain::codes;
use crate::domain::user::Email;
use crate::domain::{Permission, UserId};
use crate::service::{rfc3339, Actor, Audit, Result, ServiceError};

/// A read to record.
pub(in crate::service) struct Read {
    pub what: &'static str,
    pub subjects: Vec<UserId>,
    pub count: usize,
    pub from_ms: Option<i64>,
    pub to_ms: Option<i64>,
}

/// A user whose data was read, with the name and email they have now (none once erased).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubjectView {
    pub id: String,
    pub name: Option<String>,
    pub email: Option<String>,
}

/// One read of other people's data, for people.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessView {
    pub seq: u64,
    pub at_ms: i64,
    pub actor: String,
    /// The acting user's name and email, when the actor is a user.
    pub actor_name: Option<String>,
    pub actor_email: Option<String>,
    pub action: String,
    pub what: String,
    /// Everyone's data (a backup, the user list, the audit log).
    pub everyone: bool,
    /// The record was redacted and named no single user: whose data is no longer known.
    pub unknown_subjects: bool,
    pub subjects: Vec<SubjectView>,
    pub count: Option<u64>,
    /// What `count` counts: "records", or "bytes" for a personal data export (a ZIP's size).
    #[serde(default = "records")]
    pub count_unit: String,
    pub detail: Option<String>,
}

fn records() -> String {
    "records".to_owned()
}

/// What an access record's count counts: a privacy export records the ZIP's size (#14).
fn count_unit(action: &str) -> &'static str {
    if action == "privacy.exported" {
        "bytes"
    } else {
        "records"
    }
}

impl Audit<'_> {
    /// Records a read of other people's data as `data.accessed`; the same read again within ten
    /// minutes is not recorded again, even if the count changed meanwhile.
    pub(in crate::service) async fn record_access(&self, actor: &Actor, read: Read) -> Result<()> {
        let ids: Vec<String> = read.subjects.iter().map(|u| u.to_string()).collect();
        let target = (ids.len() == 1).then(|| format!("user:{}", ids[0]));
        let same = json!({
            "what": read.what,
            "subjects": ids,
            "from": read.from_ms.map(rfc3339),
            "to": read.to_ms.map(rfc3339),
        });
        let mut body = same.clone();
        body["count"] = json!(read.count);
        self.record_view_as(actor, DATA_ACCESSED, target, body, &same)
            .await
    }

    /// Every read of other people's data recorded in `[from_ms, to_ms)`, oldest first; with
    /// `user` (an email or id), only those that included that user's data. The query is itself
    /// recorded (`audit.viewed`). Roles: admin, auditor.
    pub async fn accessed(
        &self,
        actor: &Actor,
        from_ms: i64,
        to_ms: i64,
        user: Option<&str>,
    ) -> Result<Vec<AccessView>> {
        actor.require(Permission::ReadAudit)?;
        let subject = match user {
            Some(u) => Some(self.user_id_of(u)?),
            None => None,
        };
        let out = self.accesses(from_ms, to_ms, subject.clone()).await?;
        let body = json!({
            "query": "accessed",
            "from": rfc3339(from_ms),
            "to": rfc3339(to_ms),
            "user": subject,
        });
        self.record_view(actor, "audit.viewed", None, body).await?;
        Ok(out)
    }

    /// [`Self::accessed`] without the permission check and without recording the query: for
    /// a use case that checked and records its own (the breach register's proposal).
    pub(in crate::service) async fn accesses(
        &self,
        from_ms: i64,
        to_ms: i64,
        subject: Option<String>,
    ) -> Result<Vec<AccessView>> {
        // A walk over the audit log: off the worker threads.
        let recs = self
            .off_runtime(move |s| {
                Ok(s.store().audit_between(from_ms, to_ms, |r| {
                    access_of(r).is_some_and(|a| subject.as_ref().is_none_or(|s| a.concerns(s)))
                })?)
            })
            .await?;
        Ok(recs
            .iter()
            .filter_map(access_of)
            .map(|a| {
                let (actor_name, actor_email) = a
                    .actor
                    .strip_prefix("user:")
                    .map(|id| self.person(id))
                    .unwrap_or((None, None));
                let (everyone, unknown_subjects, ids) = match a.subjects {
                    Subjects::Everyone => (true, false, Vec::new()),
                    Subjects::Unknown => (false, true, Vec::new()),
                    Subjects::Users(ids) => (false, false, ids),
                };
                AccessView {
                    count_unit: count_unit(&a.action).to_owned(),
                    seq: a.seq,
                    at_ms: a.at_ms,
                    actor: a.actor,
                    actor_name,
                    actor_email,
                    action: a.action,
                    what: a.what,
                    everyone,
                    unknown_subjects,
                    subjects: ids
                        .into_iter()
                        .map(|id| {
                            let (name, email) = self.person(&id);
                            SubjectView { id, name, email }
                        })
                        .collect(),
                    count: a.count,
                    detail: a.detail,
                }
            })
            .collect())
    }

    /// The id of the user `u` names (an id, or an email of an account that exists).
    fn user_id_of(&self, u: &str) -> Result<String> {
        let not_found = || ServiceError::NotFound {
            kind: "user",
            code: codes::USER_NOT_FOUND,
        };
        if let Ok(id) = u.parse::<UserId>() {
            // An erased account's id still names whose data was read.
            return Ok(id.to_string());
        }
        let email = Email::parse(u).map_err(|_| not_found())?;
        let rec = self.store().user_by_email(&email)?.ok_or_else(not_found)?;
        Ok(rec.user.id.to_string())
    }

    /// The current name and email of user `id`, if the account exists.
    fn person(&self, id: &str) -> (Option<String>, Option<String>) {
        id.parse::<UserId>()
            .ok()
            .and_then(|id| self.store().user(id).ok().flatten())
            .map(|r| {
                (
                    Some(r.user.name.as_str().to_owned()),
                    Some(r.user.email.as_str().to_owned()),
                )
            })
            .unwrap_or((None, None))
    }
}
