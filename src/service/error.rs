//! Service errors: what went wrong in a use case, in terms the frontends map to responses.

use crate::domain::codes;
use crate::domain::{DomainError, FieldError};
use crate::store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    #[error("{kind} not found")]
    NotFound {
        kind: &'static str,
        code: &'static str,
    },
    /// A state conflict; the code is the API problem code (`user.email_taken`, …).
    #[error("conflict: {0}")]
    Conflict(&'static str),
    #[error("not allowed")]
    Forbidden,
    /// Not allowed for a specific reason; the code is the API problem code.
    #[error("not allowed: {0}")]
    Denied(&'static str),
    #[error("not signed in")]
    Unauthenticated,
    /// A personal API token that cannot be used: the code says why (unknown, expired, revoked).
    #[error("API token refused: {0}")]
    TokenRefused(&'static str),
    #[error("email or password is wrong")]
    InvalidCredentials,
    #[error("account disabled")]
    AccountDisabled,
    #[error("the link is unknown, used or expired")]
    InvalidToken,
    #[error("invalid input ({} field errors)", .0.len())]
    Invalid(Vec<FieldError>),
    #[error("too many login attempts")]
    RateLimited { retry_after_secs: u64 },
    #[error("the server is shutting down")]
    Unavailable,
    /// The store cannot write to disk right now (`store.disk_full`, `store.unavailable`); the
    /// server retries on its own and writes are accepted again once it recovers.
    #[error("the store cannot write to disk ({code})")]
    StoreDown { code: &'static str },
    /// An operation failed for a reason the admin can act on (a backup file that cannot be
    /// written, say); the message says which.
    #[error("{message}")]
    Failed { code: &'static str, message: String },
    /// Refused because an entry would be created, changed, moved or deleted in a week that is
    /// approved or locked (`week.locked`): that week's Monday and its state.
    #[error("the week of {monday} is {state}")]
    WeekLocked {
        monday: chrono::NaiveDate,
        state: &'static str,
    },
    /// Refused because a legal hold covers the data (`hold.applies`); says which and why.
    #[error("a legal hold applies ({scope}): {reason}")]
    Held { scope: String, reason: String },
    /// What a change was computed from changed before it could be written; the use case is
    /// tried again from fresh reads ([`Services::retrying`](super::Services)), and answers
    /// `write.contended` only if it keeps losing the race.
    #[error("the data changed while this change was being made")]
    Stale,
    /// Valid, but unusual enough to be a slip (an entry dated over a year ago or after
    /// tomorrow): kept only when the request confirms it; each field error says what to confirm.
    #[error("confirmation needed ({} fields)", .0.len())]
    Unconfirmed(Vec<FieldError>),
    /// The request is well formed and allowed, but asks for something that cannot be (an
    /// idempotency key sent again with a different request); the code says what.
    #[error("cannot be done as asked: {0}")]
    Unprocessable(&'static str),
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl ServiceError {
    /// The stable problem code of this error.
    pub fn code(&self) -> &'static str {
        match self {
            ServiceError::NotFound { code, .. } => code,
            ServiceError::Conflict(c) => c,
            ServiceError::Forbidden => codes::AUTH_FORBIDDEN,
            ServiceError::Denied(c) => c,
            ServiceError::Unauthenticated => codes::AUTH_REQUIRED,
            ServiceError::TokenRefused(c) => c,
            ServiceError::InvalidCredentials => codes::AUTH_INVALID_CREDENTIALS,
            ServiceError::AccountDisabled => codes::AUTH_ACCOUNT_DISABLED,
            ServiceError::InvalidToken => codes::TOKEN_INVALID,
            ServiceError::Invalid(_) => codes::VALIDATION_FAILED,
            ServiceError::Unconfirmed(_) => codes::ENTRY_NEEDS_CONFIRMATION,
            ServiceError::Unprocessable(c) => c,
            ServiceError::RateLimited { .. } => codes::AUTH_RATE_LIMITED,
            ServiceError::Unavailable => codes::SERVICE_UNAVAILABLE,
            ServiceError::StoreDown { code } => code,
            ServiceError::Failed { code, .. } => code,
            ServiceError::Held { .. } => codes::HOLD_APPLIES,
            ServiceError::WeekLocked { .. } => codes::WEEK_LOCKED,
            ServiceError::Stale => codes::WRITE_CONTENDED,
            ServiceError::Internal(_) => codes::INTERNAL_ERROR,
        }
    }
}

impl ServiceError {
    /// A sentence for people (the CLI): what is wrong and what to do.
    pub fn explain(&self) -> String {
        match self {
            ServiceError::NotFound {
                code: codes::JOB_NOT_FOUND,
                ..
            } => "no such job; `ophiontt job list` shows them".into(),
            ServiceError::NotFound { kind, .. } => {
                format!("no such {kind}; check the email or id (`ophiontt user list` shows them)")
            }
            ServiceError::Conflict(codes::USER_EMAIL_TAKEN) => {
                "another account already uses this email".into()
            }
            ServiceError::Conflict(codes::USER_LAST_ADMIN) => {
                "this would leave no enabled admin; give another user the admin role first".into()
            }
            ServiceError::Conflict(codes::USER_SELF_DISABLE) => {
                "you cannot disable your own account".into()
            }
            ServiceError::Conflict(codes::SETUP_ALREADY_DONE) => {
                "setup is already complete; log in instead".into()
            }
            ServiceError::Conflict(codes::JOB_RUNNING) => {
                "that job is running already; try again when it has finished".into()
            }
            ServiceError::Conflict(code) => format!("refused: {code}"),
            ServiceError::Forbidden => "your role may not do this".into(),
            ServiceError::Denied(code) => format!("not allowed: {code}"),
            ServiceError::Unprocessable(code) => format!("cannot be done as asked: {code}"),
            ServiceError::Unauthenticated => "sign in first".into(),
            ServiceError::TokenRefused(code) => format!("the API token is refused: {code}"),
            ServiceError::InvalidCredentials => "email or password is wrong".into(),
            ServiceError::AccountDisabled => {
                "this account is disabled; an admin can enable it".into()
            }
            ServiceError::InvalidToken => {
                "the link is unknown, used or expired; ask for a new one".into()
            }
            ServiceError::Invalid(fields) | ServiceError::Unconfirmed(fields) => fields
                .iter()
                .map(|f| format!("{}: {}", f.field, f.message))
                .collect::<Vec<_>>()
                .join("; "),
            ServiceError::RateLimited { retry_after_secs } => {
                format!("too many login attempts; try again in {retry_after_secs} s")
            }
            ServiceError::Unavailable => {
                "the server is shutting down; try again when it is back".into()
            }
            ServiceError::StoreDown {
                code: codes::STORE_DISK_FULL,
            } => "the disk holding the data folder is full; free space there, the server \
                  resumes writing on its own"
                .into(),
            ServiceError::StoreDown { .. } => {
                "the store cannot write to disk right now; the server log has the cause, and \
                 writing resumes on its own once the disk works again"
                    .into()
            }
            ServiceError::Failed { message, .. } => message.clone(),
            ServiceError::Held { scope, reason } => {
                format!("refused: a legal hold on {scope} applies (reason: {reason}); release it with `ophiontt hold release` first")
            }
            ServiceError::WeekLocked { monday, state } => format!(
                "refused: the week of {monday} is {state}; a manager or an admin can reopen it"
            ),
            ServiceError::Stale => {
                "the data kept changing while this change was being made; try again".into()
            }
            ServiceError::Internal(_) => "internal error; the server log has the details".into(),
        }
    }
}

impl From<DomainError> for ServiceError {
    fn from(e: DomainError) -> Self {
        ServiceError::Invalid(e.0)
    }
}

impl From<StoreError> for ServiceError {
    fn from(e: StoreError) -> Self {
        if let Some(code) = e.unavailable_code() {
            return ServiceError::StoreDown { code };
        }
        match e {
            StoreError::Conflict(codes::USER_NOT_FOUND) => ServiceError::NotFound {
                kind: "user",
                code: codes::USER_NOT_FOUND,
            },
            StoreError::Conflict(codes::TOKEN_INVALID) => ServiceError::InvalidToken,
            StoreError::Conflict(codes::ACCOUNT_GONE) => ServiceError::Unauthenticated,
            StoreError::Conflict(c) => ServiceError::Conflict(c),
            StoreError::Stale(_) => ServiceError::Stale,
            StoreError::WeekLocked { monday, state } => ServiceError::WeekLocked { monday, state },
            other => ServiceError::Internal(anyhow::Error::new(other)),
        }
    }
}

pub type Result<T, E = ServiceError> = std::result::Result<T, E>;

/// A permission check's answer as yes or no, for the `can` of a record: a refusal (`Forbidden`,
/// `Denied`, a conflict such as an archived project or a restricted person, a record the caller
/// may not see) is `false`; a failure to read is still an error.
pub(super) fn granted(check: Result<()>) -> Result<bool> {
    match check {
        Ok(()) => Ok(true),
        Err(
            ServiceError::Forbidden
            | ServiceError::Unauthenticated
            | ServiceError::Denied(_)
            | ServiceError::Conflict(_)
            | ServiceError::WeekLocked { .. }
            | ServiceError::NotFound { .. },
        ) => Ok(false),
        Err(e) => Err(e),
    }
}
