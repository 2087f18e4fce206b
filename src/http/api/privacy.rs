//! Privacy requests: the register and the tools that perform each request (`/privacy/...`),
//! and a person's self-service (`/me/privacy/...`). Roles are stated per endpoint: admins and
//! auditors read the register, admins act, everyone may act for themself on `/me/privacy`.

use poem_openapi::param::{Path, Query};
use poem_openapi::payload::{Binary, Json};
use poem_openapi::{ApiResponse, Object, OpenApi};

use super::dto::Text;
use super::enums::{CloseStatus, MyPrivacyKind, PrivacyKind, Purpose};
use super::privacy_dto::{
    CorrectedUserDto, ErasedDto, MyPrivacyRequestListDto, PrivacyFlagsDto, PrivacyRequestDto,
    PrivacyRequestListDto, ScanReportDto,
};
use super::rules::{
    no_null, DateText, EmailText, Name, OneOf, PlainNonBlank, PlainText, TimeZoneName,
};
use super::{ApiTags, HttpState};
use crate::domain::codes;
use crate::domain::{PrivacyRequestId, UserId};
use crate::http::auth::SignedIn;
use crate::http::problem::ApiError;
use crate::service::privacy::{Correction, NewRequest};
use crate::service::ServiceError;

pub struct PrivacyApi(pub HttpState);

#[derive(Object)]
struct CreateRequestReq {
    /// access, export, correction, erasure, restriction or objection.
    kind: OneOf<PrivacyKind>,
    /// Who it is about, as they gave it; default: the account's email.
    #[oai(deserialize_with = "no_null")]
    subject: Option<PlainText<200>>,
    /// The account's id or email, when the person has one.
    #[oai(deserialize_with = "no_null")]
    user: Option<Text>,
    /// YYYY-MM-DD; default today. Deadlines are counted from it.
    #[oai(deserialize_with = "no_null")]
    received_on: Option<DateText>,
    /// How the person's identity was verified.
    #[oai(deserialize_with = "no_null")]
    verification: Option<PlainText<2000>>,
    #[oai(deserialize_with = "no_null")]
    details: Option<PlainText<4000>>,
}

#[derive(Object)]
struct ExtendReq {
    /// Why the deadline is extended: not blank.
    reason: PlainNonBlank<2000>,
}

#[derive(Object)]
struct CloseReq {
    /// done, refused or withdrawn.
    status: OneOf<CloseStatus>,
    /// Required for a refusal.
    #[oai(deserialize_with = "no_null")]
    note: Option<PlainText<2000>>,
}

/// Ties a tool's run to a register entry, which then records it.
#[derive(Object)]
struct ToolReq {
    #[oai(deserialize_with = "no_null")]
    request_id: Option<Text>,
}

#[derive(Object)]
struct CorrectReq {
    #[oai(deserialize_with = "no_null")]
    request_id: Option<Text>,
    #[oai(deserialize_with = "no_null")]
    name: Option<Name>,
    #[oai(deserialize_with = "no_null")]
    email: Option<EmailText>,
    #[oai(deserialize_with = "no_null")]
    time_zone: Option<TimeZoneName>,
}

#[derive(Object)]
struct ObjectReq {
    #[oai(deserialize_with = "no_null")]
    request_id: Option<Text>,
    /// An optional purpose; today: scheduled_export.
    purpose: OneOf<Purpose>,
}

#[derive(Object)]
struct ScanReq {
    /// A user's id: their id, email and name are looked for.
    #[oai(deserialize_with = "no_null")]
    user: Option<Text>,
    /// Further texts to look for (e.g. a note), three characters or more.
    #[oai(deserialize_with = "no_null")]
    texts: Option<Vec<Text>>,
}

#[derive(Object)]
struct MyRequestReq {
    /// correction, erasure, restriction or objection.
    kind: OneOf<MyPrivacyKind>,
    /// What should change, or why.
    #[oai(deserialize_with = "no_null")]
    details: Option<PlainText<4000>>,
}

#[derive(ApiResponse)]
enum Created {
    #[oai(status = 201)]
    Created(Json<PrivacyRequestDto>),
}

#[derive(ApiResponse)]
pub enum Zip {
    /// The ZIP: one JSON file per category, entries.csv and README.txt.
    #[oai(status = 200, content_type = "application/zip")]
    Ok(
        Binary<Vec<u8>>,
        #[oai(header = "Content-Disposition")] String,
        #[oai(header = "Cache-Control")] String,
    ),
}

pub fn zip(bytes: Vec<u8>, name: &str) -> Zip {
    Zip::Ok(
        Binary(bytes),
        format!("attachment; filename=\"{name}\""),
        "no-store".into(),
    )
}

fn request_id(s: Option<&Text>) -> Result<Option<PrivacyRequestId>, ServiceError> {
    match s.map(|t| t.0.trim()).filter(|t| !t.is_empty()) {
        Some(t) => t.parse().map(Some).map_err(|_| ServiceError::NotFound {
            kind: "privacy request",
            code: codes::PRIVACY_REQUEST_NOT_FOUND,
        }),
        None => Ok(None),
    }
}

fn user_id(s: &str) -> Result<UserId, ServiceError> {
    s.parse().map_err(|_| ServiceError::NotFound {
        kind: "user",
        code: codes::USER_NOT_FOUND,
    })
}

#[OpenApi(prefix_path = "/privacy", tag = "ApiTags::Compliance")]
impl PrivacyApi {
    /// The register, newest first, each with its urgency (overdue, due_soon, ok, closed).
    /// Roles: admin, auditor.
    #[oai(path = "/requests", method = "get")]
    async fn list(
        &self,
        actor: SignedIn,
        open: Query<Option<bool>>,
    ) -> Result<Json<PrivacyRequestListDto>, ApiError> {
        let items = self
            .0
            .svc
            .privacy()
            .list(&actor, open.0.unwrap_or(false))
            .await?;
        Ok(Json(PrivacyRequestListDto {
            items: items.into_iter().map(Into::into).collect(),
            law: self.0.svc.settings().privacy.law.as_str().to_owned(),
            today: self.0.svc.privacy().today(),
        }))
    }

    /// Records a request; its deadlines follow `privacy.law` from `received_on`. Roles: admin.
    #[oai(path = "/requests", method = "post")]
    async fn create(
        &self,
        actor: SignedIn,
        body: Json<CreateRequestReq>,
    ) -> Result<Created, ApiError> {
        let b = body.0;
        let new = NewRequest {
            kind: b.kind.0,
            subject: b.subject.map(|t| t.0),
            user: b.user.map(|t| t.0),
            received_on: b.received_on.map(|t| t.0),
            verification: b.verification.map(|t| t.0),
            details: b.details.map(|t| t.0),
        };
        Ok(Created::Created(Json(
            self.0.svc.privacy().add(&actor, new).await?.into(),
        )))
    }

    /// One request. Roles: admin, auditor; the person it concerns.
    #[oai(path = "/requests/:id", method = "get")]
    async fn show(
        &self,
        actor: SignedIn,
        id: Path<String>,
    ) -> Result<Json<PrivacyRequestDto>, ApiError> {
        let id = request_id(Some(&Text(id.0)))?.ok_or(ServiceError::Forbidden)?;
        Ok(Json(self.0.svc.privacy().show(&actor, id).await?.into()))
    }

    /// Extends an open request once, with a reason, within its first period. Roles: admin.
    #[oai(path = "/requests/:id/extend", method = "post")]
    async fn extend(
        &self,
        actor: SignedIn,
        id: Path<String>,
        body: Json<ExtendReq>,
    ) -> Result<Json<PrivacyRequestDto>, ApiError> {
        let id = request_id(Some(&Text(id.0)))?.ok_or(ServiceError::Forbidden)?;
        Ok(Json(
            self.0
                .svc
                .privacy()
                .extend(&actor, id, &body.0.reason.0)
                .await?
                .into(),
        ))
    }

    /// Records that receipt was acknowledged to the person. Roles: admin.
    #[oai(path = "/requests/:id/acknowledge", method = "post")]
    async fn acknowledge(
        &self,
        actor: SignedIn,
        id: Path<String>,
    ) -> Result<Json<PrivacyRequestDto>, ApiError> {
        let id = request_id(Some(&Text(id.0)))?.ok_or(ServiceError::Forbidden)?;
        Ok(Json(
            self.0.svc.privacy().acknowledge(&actor, id).await?.into(),
        ))
    }

    /// Closes a request as done, refused (a note is required) or withdrawn. Roles: admin.
    #[oai(path = "/requests/:id/close", method = "post")]
    async fn close(
        &self,
        actor: SignedIn,
        id: Path<String>,
        body: Json<CloseReq>,
    ) -> Result<Json<PrivacyRequestDto>, ApiError> {
        let id = request_id(Some(&Text(id.0)))?.ok_or(ServiceError::Forbidden)?;
        let note = body.0.note.map(|t| t.0).unwrap_or_default();
        Ok(Json(
            self.0
                .svc
                .privacy()
                .close(&actor, id, &body.0.status.0, &note)
                .await?
                .into(),
        ))
    }

    /// Everything held about a person, as a ZIP. Roles: admin.
    #[oai(path = "/users/:id/export", method = "get")]
    async fn export(
        &self,
        actor: SignedIn,
        id: Path<String>,
        request_id: Query<Option<String>>,
    ) -> Result<Zip, ApiError> {
        let user = user_id(&id.0)?;
        if actor.user_id() != Some(user) {
            actor.require(crate::domain::Permission::ManagePrivacy)?;
        }
        let rid = self::request_id(request_id.0.map(Text).as_ref())?;
        let bytes = self.0.svc.privacy().export_zip(&actor, user, rid).await?;
        Ok(zip(bytes, &format!("ophiontt-data-{user}.zip")))
    }

    /// Corrects a person's name, email or time zone (audited before/after). Roles: admin.
    #[oai(path = "/users/:id/correct", method = "post")]
    async fn correct(
        &self,
        actor: SignedIn,
        id: Path<String>,
        body: Json<CorrectReq>,
    ) -> Result<Json<CorrectedUserDto>, ApiError> {
        let b = body.0;
        let c = Correction {
            name: b.name.map(|t| t.0),
            email: b.email.map(|t| t.0),
            time_zone: b.time_zone.map(|t| t.0),
        };
        let u = self
            .0
            .svc
            .privacy()
            .correct(
                &actor,
                user_id(&id.0)?,
                c,
                request_id(b.request_id.as_ref())?,
            )
            .await?;
        Ok(Json(u.into()))
    }

    /// Erases a person (refused under a legal hold, 409 `hold.applies` with its reason).
    /// Roles: admin.
    #[oai(path = "/users/:id/erase", method = "post")]
    async fn erase(
        &self,
        actor: SignedIn,
        id: Path<String>,
        body: Json<ToolReq>,
    ) -> Result<Json<ErasedDto>, ApiError> {
        let r = self
            .0
            .svc
            .privacy()
            .erase(
                &actor,
                user_id(&id.0)?,
                request_id(body.0.request_id.as_ref())?,
            )
            .await?;
        Ok(Json(r.into()))
    }

    /// Restricts processing of a person's data until lifted. Roles: admin.
    #[oai(path = "/users/:id/restrict", method = "post")]
    async fn restrict(
        &self,
        actor: SignedIn,
        id: Path<String>,
        body: Json<ToolReq>,
    ) -> Result<Json<PrivacyFlagsDto>, ApiError> {
        let f = self
            .0
            .svc
            .privacy()
            .restrict(
                &actor,
                user_id(&id.0)?,
                request_id(body.0.request_id.as_ref())?,
            )
            .await?;
        Ok(Json(f.into()))
    }

    /// Lifts a restriction. Roles: admin.
    #[oai(path = "/users/:id/lift", method = "post")]
    async fn lift(
        &self,
        actor: SignedIn,
        id: Path<String>,
        body: Json<ToolReq>,
    ) -> Result<Json<PrivacyFlagsDto>, ApiError> {
        let f = self
            .0
            .svc
            .privacy()
            .lift(
                &actor,
                user_id(&id.0)?,
                request_id(body.0.request_id.as_ref())?,
            )
            .await?;
        Ok(Json(f.into()))
    }

    /// Records an objection to an optional purpose, which stops for that person. Roles: admin.
    #[oai(path = "/users/:id/object", method = "post")]
    async fn object(
        &self,
        actor: SignedIn,
        id: Path<String>,
        body: Json<ObjectReq>,
    ) -> Result<Json<PrivacyFlagsDto>, ApiError> {
        let b = body.0;
        let f = self
            .0
            .svc
            .privacy()
            .object(
                &actor,
                user_id(&id.0)?,
                &b.purpose.0,
                request_id(b.request_id.as_ref())?,
            )
            .await?;
        Ok(Json(f.into()))
    }

    /// A person's restriction and objections. Roles: admin, auditor; the person themself.
    #[oai(path = "/users/:id/flags", method = "get")]
    async fn flags(
        &self,
        actor: SignedIn,
        id: Path<String>,
    ) -> Result<Json<PrivacyFlagsDto>, ApiError> {
        let f = self.0.svc.privacy().flags_of(&actor, user_id(&id.0)?)?;
        Ok(Json(f.into()))
    }

    /// Where a person's data sits: records per tree and per category. Roles: admin.
    #[oai(path = "/scan", method = "post")]
    async fn scan(
        &self,
        actor: SignedIn,
        body: Json<ScanReq>,
    ) -> Result<Json<ScanReportDto>, ApiError> {
        let user = match body.0.user.as_ref() {
            Some(u) => Some(user_id(&u.0)?),
            None => None,
        };
        let r = self
            .0
            .svc
            .privacy()
            .scan(
                &actor,
                user,
                &body
                    .0
                    .texts
                    .unwrap_or_default()
                    .into_iter()
                    .map(|t| t.0)
                    .collect::<Vec<_>>(),
            )
            .await?;
        Ok(Json(r.into()))
    }
}

pub struct MePrivacyApi(pub HttpState);

#[OpenApi(prefix_path = "/me/privacy", tag = "ApiTags::Account")]
impl MePrivacyApi {
    /// Everything held about me, as a ZIP. Roles: any signed-in user, for themself.
    #[oai(path = "/export", method = "get")]
    async fn export(&self, actor: SignedIn) -> Result<Zip, ApiError> {
        let user = actor.user.clone();
        let bytes = self
            .0
            .svc
            .privacy()
            .export_zip(&actor, user.id, None)
            .await?;
        Ok(zip(bytes, "ophiontt-my-data.zip"))
    }

    /// My privacy requests. Roles: any signed-in user.
    #[oai(path = "/requests", method = "get")]
    async fn list(&self, actor: SignedIn) -> Result<Json<MyPrivacyRequestListDto>, ApiError> {
        let items = self.0.svc.privacy().my_requests(&actor)?;
        Ok(Json(MyPrivacyRequestListDto {
            items: items.into_iter().map(Into::into).collect(),
        }))
    }

    /// Asks for correction, erasure, restriction or objection (a register entry the admins
    /// handle). Roles: any signed-in user, for themself.
    #[oai(path = "/requests", method = "post")]
    async fn create(&self, actor: SignedIn, body: Json<MyRequestReq>) -> Result<Created, ApiError> {
        let details = body.0.details.map(|t| t.0).unwrap_or_default();
        let v = self
            .0
            .svc
            .privacy()
            .my_request(&actor, &body.0.kind.0, &details)
            .await?;
        Ok(Created::Created(Json(v.into())))
    }
}
