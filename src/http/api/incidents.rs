//! The breach register (`/incidents/...`, GDPR Art. 33/34): incidents, their 72-hour authority
//! deadline, the people affected (proposed from the record of reads), their notification
//! through the outbox, and the report for the authority. Admins act; auditors read.

use poem_openapi::param::Path;
use poem_openapi::payload::{Binary, Json};
use poem_openapi::{ApiResponse, Object, OpenApi};

use super::incidents_dto::{
    IncidentDto, IncidentListDto, NoticeDraftDto, ProposalDto, ReportDto, SentDto,
};
use super::rules::{
    no_null, DateOrInstant, NonNegative, OptDateOrInstant, PlainNonBlank, PlainText, UuidText,
};
use super::{ApiTags, HttpState};
use crate::domain::{codes, IncidentId};
use crate::http::auth::SignedIn;
use crate::http::problem::ApiError;
use crate::service::incidents::{IncidentPatch, NewIncident};
use crate::service::{rfc3339, ServiceError};

pub struct IncidentsApi(pub HttpState);

#[derive(Object)]
struct CreateIncidentReq {
    /// What happened, in one line (newlines become spaces).
    title: PlainNonBlank<200>,
    #[oai(deserialize_with = "no_null")]
    description: Option<PlainText<4000>>,
    /// When the organisation became aware of it; default now. The 72 hours count from here.
    #[oai(deserialize_with = "no_null")]
    discovered_at: Option<OptDateOrInstant>,
    /// The start of the period the breach covers; default the discovery.
    #[oai(deserialize_with = "no_null")]
    occurred_from: Option<OptDateOrInstant>,
    /// Its end (a date: to the end of that day); none: ongoing or unknown.
    #[oai(deserialize_with = "no_null")]
    occurred_to: Option<OptDateOrInstant>,
}

#[derive(Object)]
struct UpdateIncidentReq {
    /// The `version` the change was made from.
    version: NonNegative,
    #[oai(deserialize_with = "no_null")]
    title: Option<PlainNonBlank<200>>,
    #[oai(deserialize_with = "no_null")]
    description: Option<PlainText<4000>>,
    #[oai(deserialize_with = "no_null")]
    discovered_at: Option<DateOrInstant>,
    #[oai(deserialize_with = "no_null")]
    occurred_from: Option<DateOrInstant>,
    /// Empty: ongoing or unknown.
    #[oai(deserialize_with = "no_null")]
    occurred_to: Option<OptDateOrInstant>,
    #[oai(deserialize_with = "no_null")]
    nature: Option<PlainText<4000>>,
    #[oai(deserialize_with = "no_null")]
    people_categories: Option<PlainText<4000>>,
    #[oai(deserialize_with = "no_null")]
    people_count: Option<NonNegative>,
    #[oai(deserialize_with = "no_null")]
    record_categories: Option<PlainText<4000>>,
    #[oai(deserialize_with = "no_null")]
    record_count: Option<NonNegative>,
    #[oai(deserialize_with = "no_null")]
    consequences: Option<PlainText<4000>>,
    #[oai(deserialize_with = "no_null")]
    measures: Option<PlainText<4000>>,
    #[oai(deserialize_with = "no_null")]
    contact: Option<PlainText<4000>>,
}

#[derive(Object)]
struct AuthorityReq {
    /// When the authority was notified; default now.
    #[oai(deserialize_with = "no_null")]
    notified_at: Option<OptDateOrInstant>,
    /// The authority's case number or the submission's reference.
    #[oai(deserialize_with = "no_null")]
    reference: Option<PlainText<200>>,
    /// Required when notified more than 72 hours after discovery.
    #[oai(deserialize_with = "no_null")]
    delay_reason: Option<PlainText<4000>>,
}

#[derive(Object)]
struct CloseIncidentReq {
    /// Required when the authority was not notified: why not.
    #[oai(deserialize_with = "no_null")]
    note: Option<PlainText<4000>>,
}

#[derive(Object)]
struct AffectedReq {
    /// The `version` the change was made from.
    version: NonNegative,
    /// Everyone affected (the whole list: people left out are taken off it).
    user_ids: Vec<UuidText>,
}

#[derive(Object)]
struct NotifyReq {
    /// The e-mail's subject (newlines become spaces).
    subject: PlainNonBlank<200>,
    /// The text; `{name}` becomes each person's name. Paragraphs are separated by a blank line.
    body: PlainNonBlank<20000>,
    /// Notify people who were notified before, too.
    #[oai(deserialize_with = "no_null")]
    resend: Option<bool>,
}

#[derive(ApiResponse)]
enum Created {
    #[oai(status = 201)]
    Created(Json<IncidentDto>),
}

#[derive(ApiResponse)]
enum TextReport {
    /// The report as Markdown, as an attachment.
    #[oai(status = 200, content_type = "text/markdown; charset=utf-8")]
    Ok(
        Binary<Vec<u8>>,
        #[oai(header = "Content-Disposition")] String,
        #[oai(header = "Cache-Control")] String,
    ),
}

fn incident_id(s: &str) -> Result<IncidentId, ServiceError> {
    s.trim().parse().map_err(|_| ServiceError::NotFound {
        kind: "incident",
        code: codes::INCIDENT_NOT_FOUND,
    })
}

#[OpenApi(prefix_path = "/incidents", tag = "ApiTags::Compliance")]
impl IncidentsApi {
    /// The register, newest first, each with its authority deadline (no people named).
    /// Roles: admin, auditor.
    #[oai(path = "/", method = "get")]
    async fn list(&self, actor: SignedIn) -> Result<Json<IncidentListDto>, ApiError> {
        let items = self.0.svc.incidents().list(&actor)?;
        Ok(Json(IncidentListDto {
            items: items.into_iter().map(Into::into).collect(),
            now: rfc3339(self.0.svc.now_ms()),
        }))
    }

    /// Opens an incident: what happened and when it was discovered. Roles: admin.
    #[oai(path = "/", method = "post")]
    async fn open(
        &self,
        actor: SignedIn,
        body: Json<CreateIncidentReq>,
    ) -> Result<Created, ApiError> {
        let b = body.0;
        let new = NewIncident {
            title: b.title.0,
            description: b.description.map(|t| t.0),
            discovered_at: b.discovered_at.map(|t| t.0),
            occurred_from: b.occurred_from.map(|t| t.0),
            occurred_to: b.occurred_to.map(|t| t.0),
        };
        let v = self.0.svc.incidents().open(&actor, new).await?;
        Ok(Created::Created(Json(v.into())))
    }

    /// One incident with its affected people (recorded as a read of their data). Roles:
    /// admin, auditor.
    #[oai(path = "/:id", method = "get")]
    async fn show(&self, actor: SignedIn, id: Path<String>) -> Result<Json<IncidentDto>, ApiError> {
        let id = incident_id(&id.0)?;
        Ok(Json(self.0.svc.incidents().show(&actor, id).await?.into()))
    }

    /// Edits what is known (the Art. 33(3) particulars, the times), from the `version` read:
    /// `409 incident.changed` when someone changed it since. Roles: admin.
    #[oai(path = "/:id", method = "patch")]
    async fn update(
        &self,
        actor: SignedIn,
        id: Path<String>,
        body: Json<UpdateIncidentReq>,
    ) -> Result<Json<IncidentDto>, ApiError> {
        let id = incident_id(&id.0)?;
        let b = body.0;
        let count = |n: Option<NonNegative>| n.map(|n| n.0.max(0) as u64);
        let p = IncidentPatch {
            version: b.version.0.max(0) as u64,
            title: b.title.map(|t| t.0),
            description: b.description.map(|t| t.0),
            discovered_at: b.discovered_at.map(|t| t.0),
            occurred_from: b.occurred_from.map(|t| t.0),
            occurred_to: b.occurred_to.map(|t| t.0),
            nature: b.nature.map(|t| t.0),
            people_categories: b.people_categories.map(|t| t.0),
            people_count: count(b.people_count),
            record_categories: b.record_categories.map(|t| t.0),
            record_count: count(b.record_count),
            consequences: b.consequences.map(|t| t.0),
            measures: b.measures.map(|t| t.0),
            contact: b.contact.map(|t| t.0),
        };
        Ok(Json(
            self.0.svc.incidents().update(&actor, id, p).await?.into(),
        ))
    }

    /// Records that the supervisory authority was notified, once; after 72 hours the reasons
    /// for the delay are required. Roles: admin.
    #[oai(path = "/:id/authority", method = "post")]
    async fn authority(
        &self,
        actor: SignedIn,
        id: Path<String>,
        body: Json<AuthorityReq>,
    ) -> Result<Json<IncidentDto>, ApiError> {
        let id = incident_id(&id.0)?;
        let b = body.0;
        let v = self
            .0
            .svc
            .incidents()
            .record_authority(
                &actor,
                id,
                b.notified_at.as_ref().map(|t| t.0.as_str()),
                b.reference.as_ref().map_or("", |t| t.0.as_str()),
                b.delay_reason.as_ref().map_or("", |t| t.0.as_str()),
            )
            .await?;
        Ok(Json(v.into()))
    }

    /// Closes an incident; without a notification of the authority, a note says why. Roles:
    /// admin.
    #[oai(path = "/:id/close", method = "post")]
    async fn close(
        &self,
        actor: SignedIn,
        id: Path<String>,
        body: Json<CloseIncidentReq>,
    ) -> Result<Json<IncidentDto>, ApiError> {
        let id = incident_id(&id.0)?;
        let note = body.0.note.map(|t| t.0).unwrap_or_default();
        Ok(Json(
            self.0
                .svc
                .incidents()
                .close(&actor, id, &note)
                .await?
                .into(),
        ))
    }

    /// The people whose data was read during the incident's window (from the audit log's
    /// record of reads), and the reads of everyone's data. The query is recorded. Roles:
    /// admin, auditor.
    #[oai(path = "/:id/proposed-people", method = "get")]
    async fn proposal(
        &self,
        actor: SignedIn,
        id: Path<String>,
    ) -> Result<Json<ProposalDto>, ApiError> {
        let id = incident_id(&id.0)?;
        Ok(Json(
            self.0.svc.incidents().proposal(&actor, id).await?.into(),
        ))
    }

    /// Sets who is affected (the whole list), from the `version` read. Roles: admin.
    #[oai(path = "/:id/affected", method = "put")]
    async fn set_affected(
        &self,
        actor: SignedIn,
        id: Path<String>,
        body: Json<AffectedReq>,
    ) -> Result<Json<IncidentDto>, ApiError> {
        let id = incident_id(&id.0)?;
        let b = body.0;
        let ids: Vec<String> = b.user_ids.into_iter().map(|t| t.0).collect();
        let v = self
            .0
            .svc
            .incidents()
            .set_affected(&actor, id, b.version.0.max(0) as u64, &ids)
            .await?;
        Ok(Json(v.into()))
    }

    /// The notification to the affected people, drafted from the register (Art. 34(2)).
    /// Roles: admin.
    #[oai(path = "/:id/notification-draft", method = "get")]
    async fn draft(
        &self,
        actor: SignedIn,
        id: Path<String>,
    ) -> Result<Json<NoticeDraftDto>, ApiError> {
        let id = incident_id(&id.0)?;
        Ok(Json(self.0.svc.incidents().draft(&actor, id)?.into()))
    }

    /// E-mails the notification to every affected person not notified yet (or, with
    /// `resend`, to all), one message each through the outbox, recorded on the incident in
    /// the same write. `409 email.not_configured` without `[email]`. Roles: admin.
    #[oai(path = "/:id/notifications", method = "post")]
    async fn notify(
        &self,
        actor: SignedIn,
        id: Path<String>,
        body: Json<NotifyReq>,
    ) -> Result<Json<SentDto>, ApiError> {
        let id = incident_id(&id.0)?;
        let b = body.0;
        let s = self
            .0
            .svc
            .incidents()
            .notify(
                &actor,
                id,
                &b.subject.0,
                &b.body.0,
                b.resend.unwrap_or(false),
            )
            .await?;
        Ok(Json(s.into()))
    }

    /// The report for the supervisory authority: everything recorded, the history from the
    /// audit log, the people and the notifications (recorded as a read of their data). Roles:
    /// admin, auditor.
    #[oai(path = "/:id/report", method = "get")]
    async fn report(&self, actor: SignedIn, id: Path<String>) -> Result<Json<ReportDto>, ApiError> {
        let id = incident_id(&id.0)?;
        Ok(Json(
            self.0.svc.incidents().report(&actor, id).await?.into(),
        ))
    }

    /// The same report as a Markdown file to print or attach. Roles: admin, auditor.
    #[oai(path = "/:id/report/text", method = "get")]
    async fn report_text(&self, actor: SignedIn, id: Path<String>) -> Result<TextReport, ApiError> {
        let id = incident_id(&id.0)?;
        let r = self.0.svc.incidents().report(&actor, id).await?;
        Ok(TextReport::Ok(
            Binary(r.text.into_bytes()),
            format!("attachment; filename=\"incident-{id}.md\""),
            "no-store".into(),
        ))
    }
}
