//! Validation errors: which field is wrong and a stable code for why.

use serde::{Deserialize, Serialize};

/// One invalid field. `code` is API: never rename one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    pub field: String,
    pub code: String,
    pub message: String,
}

impl FieldError {
    pub fn new(field: &str, code: &str, message: impl Into<String>) -> Self {
        Self {
            field: field.to_owned(),
            code: code.to_owned(),
            message: message.into(),
        }
    }
}

/// A rejected input: one or more invalid fields.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid input: {}", .0.iter().map(|e| format!("{} ({})", e.field, e.code)).collect::<Vec<_>>().join(", "))]
pub struct DomainError(pub Vec<FieldError>);

impl DomainError {
    pub fn field(field: &str, code: &str, message: impl Into<String>) -> Self {
        Self(vec![FieldError::new(field, code, message)])
    }
}

/// Collects field errors while validating several fields, so the caller sees all of them at once.
#[derive(Default)]
pub struct Validator(Vec<FieldError>);

impl Validator {
    /// Keeps the value when valid, remembers the error otherwise.
    pub fn check<T>(&mut self, r: Result<T, DomainError>) -> Option<T> {
        match r {
            Ok(v) => Some(v),
            Err(e) => {
                self.0.extend(e.0);
                None
            }
        }
    }

    pub fn finish(self) -> Result<(), DomainError> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(DomainError(self.0))
        }
    }
}
