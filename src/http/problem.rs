//! RFC 9457 problem details: the one error shape of the API, with a stable `code`.
//!
//! Handlers return `Result<_, ApiError>`, built from `ServiceError` only. Errors raised by poem
//! itself (bad JSON, wrong content type, unknown route…) are turned into the same shape by
//! [`from_poem_error`] in the error middleware. 5xx responses never carry internal text.

use poem::http::StatusCode;
use poem_openapi::{payload::Json, ApiResponse, Object};

use crate::domain::FieldError;
use crate::service::ServiceError;

/// Every problem code the API can answer with. Each is listed in docs/api.md (a test checks).
pub const CODES: &[&str] = &[
    "request.malformed_json",
    "request.invalid_body",
    "request.invalid_parameter",
    "request.cross_site",
    "request.too_large",
    "request.unsupported_media_type",
    "request.method_not_allowed",
    "route.not_found",
    "auth.required",
    "auth.invalid_credentials",
    "auth.account_disabled",
    "auth.forbidden",
    "auth.rate_limited",
    "token.invalid",
    "setup.already_done",
    "validation.failed",
    "user.not_found",
    "user.email_taken",
    "user.last_admin",
    "user.self_disable",
    "client.not_found",
    "project.not_found",
    "project.archived",
    "project.not_member",
    "entry.not_found",
    "timer.not_running",
    "timesheet.cell_ambiguous",
    "timesheet.timer_running",
    "task.not_found",
    "tag.not_found",
    "task.assignee_not_member",
    "job.not_found",
    "job.running",
    "backup.failed",
    "hold.applies",
    "hold.not_found",
    "hold.not_active",
    "retention.failed",
    "privacy.request_not_found",
    "privacy.request_closed",
    "privacy.request_other_subject",
    "privacy.request_pending",
    "privacy.already_extended",
    "privacy.already_restricted",
    "privacy.not_restricted",
    "privacy.restricted",
    "privacy.self_erasure",
    "write.contended",
    "internal.error",
    "service.unavailable",
    "server.too_many_connections",
    "store.disk_full",
    "store.unavailable",
];

/// `Retry-After` on `store.*` answers: the store retries every second, a full disk is freed
/// by a person.
const STORE_RETRY_AFTER_SECS: u64 = 5;

/// One invalid field.
#[derive(Debug, Clone, Object)]
pub struct ProblemField {
    pub field: String,
    pub code: String,
    pub message: String,
}

/// An RFC 9457 problem document.
#[derive(Debug, Clone, Object)]
pub struct Problem {
    #[oai(rename = "type")]
    pub type_: String,
    pub title: String,
    pub status: u16,
    /// Stable machine-readable code, e.g. `user.email_taken`.
    pub code: String,
    #[oai(skip_serializing_if_is_none)]
    pub detail: Option<String>,
    #[oai(skip_serializing_if_is_none)]
    pub instance: Option<String>,
    #[oai(skip_serializing_if_is_none)]
    pub trace_id: Option<String>,
    #[oai(skip_serializing_if_is_empty, default)]
    pub errors: Vec<ProblemField>,
    /// Seconds to wait before trying again (with 429, and 503 `store.*`; also sent as
    /// `Retry-After`).
    #[oai(skip_serializing_if_is_none)]
    pub retry_after: Option<u64>,
}

/// The error response of every endpoint.
#[derive(Debug, ApiResponse)]
pub enum ApiError {
    /// An RFC 9457 problem; `code` says which.
    #[oai(content_type = "application/problem+json")]
    Problem(StatusCode, Json<Problem>),
}

impl ApiError {
    pub fn new(status: StatusCode, code: &str, detail: impl Into<Option<String>>) -> Self {
        ApiError::Problem(status, Json(problem(status, code, detail.into())))
    }

    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::Problem(s, _) => *s,
        }
    }

    pub fn code(&self) -> &str {
        match self {
            ApiError::Problem(_, p) => &p.code,
        }
    }
}

pub fn problem(status: StatusCode, code: &str, detail: Option<String>) -> Problem {
    Problem {
        type_: format!("https://ophiontt.invalid/problems/{code}"),
        title: title(code).to_owned(),
        status: status.as_u16(),
        code: code.to_owned(),
        detail,
        instance: None,
        trace_id: None,
        errors: Vec::new(),
        retry_after: None,
    }
}

fn title(code: &str) -> &'static str {
    match code {
        "privacy.request_not_found" => "No such privacy request",
        "privacy.request_closed" => "The privacy request is closed",
        "privacy.request_other_subject" => "The privacy request concerns someone else",
        "privacy.request_pending" => "A request of this kind is already open",
        "privacy.already_extended" => "The request was extended already",
        "privacy.already_restricted" => "Processing is restricted already",
        "privacy.not_restricted" => "Processing is not restricted",
        "privacy.restricted" => "This person's data is restricted to storage",
        "privacy.self_erasure" => "You cannot erase your own account",
        "request.malformed_json" => "The request body is not valid JSON",
        "request.invalid_body" => "The request body has the wrong shape",
        "request.invalid_parameter" => "A parameter could not be parsed",
        "request.cross_site" => "Cross-site request refused",
        "request.too_large" => "The request body is too large",
        "request.unsupported_media_type" => "The request body must be application/json",
        "request.method_not_allowed" => "Method not allowed",
        "route.not_found" => "No such endpoint",
        "auth.required" => "Sign in first",
        "auth.invalid_credentials" => "Email or password is wrong",
        "auth.account_disabled" => "This account is disabled",
        "auth.forbidden" => "Your role may not do this",
        "auth.rate_limited" => "Too many login attempts",
        "token.invalid" => "This link is unknown, used or expired",
        "setup.already_done" => "Setup is already complete",
        "validation.failed" => "Some fields are not valid",
        "user.not_found" => "No such user",
        "user.email_taken" => "Another account has this email",
        "user.last_admin" => "This would leave no enabled admin",
        "user.self_disable" => "You cannot disable your own account",
        "client.not_found" => "No such client",
        "project.not_found" => "No such project",
        "project.archived" => "This project is archived",
        "project.not_member" => "You are not a member of this project",
        "entry.not_found" => "No such entry",
        "timer.not_running" => "No timer is running",
        "timesheet.cell_ambiguous" => "Several entries make up this cell",
        "task.not_found" => "No such task",
        "tag.not_found" => "No entry carries this tag",
        "task.assignee_not_member" => "The assignee is not on this project",
        "service.unavailable" => "The server is not ready",
        "server.too_many_connections" => "Too many open connections",
        "store.disk_full" => "The disk is full; writes are paused",
        "store.unavailable" => "The server cannot write to its disk; writes are paused",
        "job.not_found" => "No such job",
        "timesheet.timer_running" => "A timer is running on this cell; stop it first",
        "job.running" => "The job is running already",
        "backup.failed" => "The backup could not be written",
        "hold.applies" => "A legal hold covers this data",
        "hold.not_found" => "No such legal hold",
        "hold.not_active" => "This hold is no longer in force",
        "retention.failed" => "The retention run could not finish",
        "write.contended" => "The data kept changing while this change was being made",
        _ => "Internal error",
    }
}

fn status_of(e: &ServiceError) -> StatusCode {
    match e {
        ServiceError::NotFound { .. } => StatusCode::NOT_FOUND,
        ServiceError::Conflict(_) | ServiceError::Held { .. } | ServiceError::Stale => {
            StatusCode::CONFLICT
        }
        ServiceError::Forbidden | ServiceError::Denied(_) | ServiceError::AccountDisabled => {
            StatusCode::FORBIDDEN
        }
        ServiceError::Unauthenticated | ServiceError::InvalidCredentials => {
            StatusCode::UNAUTHORIZED
        }
        ServiceError::InvalidToken => StatusCode::BAD_REQUEST,
        ServiceError::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
        ServiceError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
        ServiceError::Unavailable | ServiceError::StoreDown { .. } => {
            StatusCode::SERVICE_UNAVAILABLE
        }
        ServiceError::Internal(_) | ServiceError::Failed { .. } => {
            StatusCode::INTERNAL_SERVER_ERROR
        }
    }
}

impl From<ServiceError> for ApiError {
    fn from(e: ServiceError) -> Self {
        let status = status_of(&e);
        if let ServiceError::Internal(inner) = &e {
            // The one place a failed request is logged, with its cause chain.
            tracing::error!(error = %inner, chain = ?inner, "request failed");
            return ApiError::new(
                status,
                e.code(),
                "an internal error occurred; the server log has the details under this trace_id"
                    .to_owned(),
            );
        }
        let mut p = problem(status, e.code(), None);
        if let ServiceError::RateLimited { retry_after_secs } = &e {
            p.retry_after = Some(*retry_after_secs);
            p.detail = Some(format!("wait {retry_after_secs} s before the next attempt"));
        }
        if let ServiceError::Failed { message, .. } = &e {
            p.detail = Some(message.clone());
        }
        if let ServiceError::StoreDown { .. } = &e {
            // Not logged per request: the store logs the cause once per outage.
            p.retry_after = Some(STORE_RETRY_AFTER_SECS);
            p.detail = Some(
                "writes are paused until the server can write to its disk again; it retries on \
                 its own. This request's change was not confirmed: check, then try again"
                    .to_owned(),
            );
        }
        if let ServiceError::Held { scope, reason } = &e {
            p.detail = Some(format!("a legal hold on {scope} applies: {reason}"));
        }
        if let ServiceError::Invalid(fields) = &e {
            p.detail = Some(
                fields
                    .iter()
                    .map(|f| format!("{}: {}", f.field, f.message))
                    .collect::<Vec<_>>()
                    .join("; "),
            );
            p.errors = fields.iter().map(ProblemField::from).collect();
        }
        ApiError::Problem(status, Json(p))
    }
}

impl From<&FieldError> for ProblemField {
    fn from(f: &FieldError) -> Self {
        Self {
            field: f.field.clone(),
            code: f.code.clone(),
            message: f.message.clone(),
        }
    }
}

/// An invalid field found while turning a request DTO into input (dates, ids in queries).
pub fn invalid_field(field: &str, code: &str, message: &str) -> ServiceError {
    ServiceError::Invalid(vec![FieldError::new(field, code, message)])
}

/// Maps an error raised by poem or poem-openapi before a handler ran to a problem.
pub fn from_poem_error(e: &poem::Error) -> Problem {
    use poem_openapi::error::{
        ContentTypeError, ParseParamError, ParsePathError, ParseRequestPayloadError,
    };
    let (status, code, detail) = if let Some(p) = e.downcast_ref::<ParseRequestPayloadError>() {
        // serde_json reports syntax errors with a position; shape errors come from the schema.
        let syntax = p.reason.contains(" at line ") && p.reason.contains(" column ")
            || p.reason.contains("EOF while parsing");
        let code = if syntax {
            "request.malformed_json"
        } else {
            "request.invalid_body"
        };
        (StatusCode::BAD_REQUEST, code, Some(truncate(&p.reason)))
    } else if e.is::<ContentTypeError>() {
        (
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "request.unsupported_media_type",
            Some(e.to_string()),
        )
    } else if e.is::<ParseParamError>() || e.is::<ParsePathError>() {
        (
            StatusCode::BAD_REQUEST,
            "request.invalid_parameter",
            Some(truncate(&e.to_string())),
        )
    } else {
        let status = e.status();
        let code = by_status(status);
        let detail = (status.is_client_error() && status != StatusCode::NOT_FOUND)
            .then(|| truncate(&e.to_string()));
        (status, code, detail)
    };
    problem(status, code, detail)
}

/// The code for a bare status (responses poem produced without an error type).
pub fn by_status(status: StatusCode) -> &'static str {
    match status.as_u16() {
        401 => "auth.required",
        403 => "auth.forbidden",
        404 => "route.not_found",
        405 => "request.method_not_allowed",
        411 | 413 => "request.too_large",
        415 => "request.unsupported_media_type",
        503 => "service.unavailable",
        400..=499 => "request.invalid_body",
        _ => "internal.error",
    }
}

/// Bounds echoed client input so a huge bad body is not reflected back.
fn truncate(s: &str) -> String {
    let mut out: String = s.chars().take(300).collect();
    if out.len() < s.len() {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_is_documented_in_docs_api_md() {
        let doc = include_str!("../../docs/api.md");
        for c in CODES {
            assert!(
                doc.contains(&format!("`{c}`")),
                "docs/api.md does not list {c}"
            );
        }
    }

    #[test]
    fn service_errors_map_to_their_status() {
        let e: ApiError = ServiceError::Conflict("user.email_taken").into();
        assert_eq!((e.status().as_u16(), e.code()), (409, "user.email_taken"));
        let e: ApiError =
            ServiceError::Internal(anyhow::anyhow!("disk on fire at /secret/path")).into();
        match e {
            ApiError::Problem(s, p) => {
                assert_eq!(s.as_u16(), 500);
                assert!(!p.0.detail.unwrap().contains("/secret/path"));
            }
        }
    }

    #[test]
    fn every_code_but_the_internal_one_has_its_own_title() {
        for code in CODES.iter().filter(|c| **c != "internal.error") {
            assert_ne!(title(code), "Internal error", "{code} has no title");
        }
    }
}
