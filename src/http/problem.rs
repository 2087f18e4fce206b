//! RFC 9457 problem details: the one error shape of the API, with a stable `code`.
//!
//! Handlers return `Result<_, ApiError>`, built from `ServiceError` only. Errors raised by poem
//! itself (bad JSON, wrong content type, unknown route…) are turned into the same shape by
//! [`from_poem_error`] in the error middleware. 5xx responses never carry internal text.

use poem::http::StatusCode;
use poem_openapi::{payload::Json, ApiResponse, Object};

use crate::domain::{codes, FieldError};
use crate::service::ServiceError;

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
        title: codes::title(code).to_owned(),
        status: status.as_u16(),
        code: code.to_owned(),
        detail,
        instance: None,
        trace_id: None,
        errors: Vec::new(),
        retry_after: None,
    }
}

fn status_of(e: &ServiceError) -> StatusCode {
    match e {
        ServiceError::NotFound { .. } => StatusCode::NOT_FOUND,
        ServiceError::Conflict(_)
        | ServiceError::Held { .. }
        | ServiceError::WeekLocked { .. }
        | ServiceError::Stale => StatusCode::CONFLICT,
        ServiceError::Forbidden | ServiceError::Denied(_) | ServiceError::AccountDisabled => {
            StatusCode::FORBIDDEN
        }
        ServiceError::Unauthenticated
        | ServiceError::InvalidCredentials
        | ServiceError::TokenRefused(_) => StatusCode::UNAUTHORIZED,
        ServiceError::InvalidToken => StatusCode::BAD_REQUEST,
        ServiceError::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
        ServiceError::Invalid(_)
        | ServiceError::Unconfirmed(_)
        | ServiceError::Unprocessable(_) => StatusCode::UNPROCESSABLE_ENTITY,
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
        if let ServiceError::WeekLocked { monday, state } = &e {
            p.detail = Some(format!(
                "the week of {monday} is {state}: its entries cannot be created, changed, moved \
                 or deleted until a manager or an admin reopens it"
            ));
        }
        if let ServiceError::Held { scope, reason } = &e {
            p.detail = Some(format!("a legal hold on {scope} applies: {reason}"));
        }
        if let ServiceError::Invalid(fields) | ServiceError::Unconfirmed(fields) = &e {
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
            codes::REQUEST_MALFORMED_JSON
        } else {
            codes::REQUEST_INVALID_BODY
        };
        (StatusCode::BAD_REQUEST, code, Some(truncate(&p.reason)))
    } else if e.is::<ContentTypeError>() {
        (
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            codes::REQUEST_UNSUPPORTED_MEDIA_TYPE,
            Some(e.to_string()),
        )
    } else if e.is::<poem::error::ParsePathError>() {
        // poem could not percent-decode a path segment into UTF-8 text: no id is like that.
        (
            StatusCode::BAD_REQUEST,
            codes::REQUEST_INVALID_PATH,
            Some("a path segment is not valid percent-encoded UTF-8".to_owned()),
        )
    } else if e.is::<ParseParamError>() || e.is::<ParsePathError>() {
        (
            StatusCode::BAD_REQUEST,
            codes::REQUEST_INVALID_PARAMETER,
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
        401 => codes::AUTH_REQUIRED,
        403 => codes::AUTH_FORBIDDEN,
        404 => codes::ROUTE_NOT_FOUND,
        405 => codes::REQUEST_METHOD_NOT_ALLOWED,
        411 | 413 => codes::REQUEST_TOO_LARGE,
        415 => codes::REQUEST_UNSUPPORTED_MEDIA_TYPE,
        503 => codes::SERVICE_UNAVAILABLE,
        400..=499 => codes::REQUEST_INVALID_BODY,
        _ => codes::INTERNAL_ERROR,
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
    fn service_errors_map_to_their_status() {
        let e: ApiError = ServiceError::Conflict(codes::USER_EMAIL_TAKEN).into();
        assert_eq!(
            (e.status().as_u16(), e.code()),
            (409, codes::USER_EMAIL_TAKEN)
        );
        let e: ApiError =
            ServiceError::Internal(anyhow::anyhow!("disk on fire at /secret/path")).into();
        match e {
            ApiError::Problem(s, p) => {
                assert_eq!(s.as_u16(), 500);
                assert!(!p.0.detail.unwrap().contains("/secret/path"));
            }
        }
    }
}
