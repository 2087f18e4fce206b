//! A user account and the rules for its fields.

use serde::{Deserialize, Serialize};

use super::{DomainError, Role, UserId};

/// A user as the rest of the program sees it. The password hash lives only in the store.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct User {
    pub id: UserId,
    pub email: Email,
    pub name: DisplayName,
    pub role: Role,
    pub time_zone: TimeZone,
    pub disabled: bool,
    pub created_at_ms: i64,
    pub updated_at_ms: i64,
    pub last_login_at_ms: Option<i64>,
    /// When the account was last disabled (for the `disabled_accounts` retention rule).
    #[serde(default)]
    pub disabled_at_ms: Option<i64>,
    /// For the `client` role: the client whose portal the account sees, read-only.
    #[serde(default)]
    pub client_id: Option<super::ClientId>,
}

impl User {
    /// Sets the personal fields given; `None` leaves one as it is.
    pub fn set_personal(
        &mut self,
        name: Option<&DisplayName>,
        email: Option<&Email>,
        time_zone: Option<&TimeZone>,
    ) {
        if let Some(n) = name {
            self.name = n.clone();
        }
        if let Some(e) = email {
            self.email = e.clone();
        }
        if let Some(z) = time_zone {
            self.time_zone = z.clone();
        }
    }
}

/// An email address, trimmed and lower-cased so lookups are case-insensitive.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Email(String);

impl Email {
    pub const MAX_LEN: usize = 254;

    /// A value that was valid when it was written, read back from storage: not checked or
    /// normalised again (a stored record must read back exactly as it was written).
    pub fn trusted(s: String) -> Self {
        Self(s)
    }

    pub fn parse(raw: &str) -> Result<Self, DomainError> {
        let s = raw.trim().to_lowercase();
        if s.is_empty() {
            return Err(DomainError::field("email", "required", "email is required"));
        }
        if s.len() > Self::MAX_LEN {
            return Err(DomainError::field(
                "email",
                "too_long",
                "email is longer than 254 characters",
            ));
        }
        let valid = match s.split_once('@') {
            Some((local, domain)) => {
                !local.is_empty()
                    && !domain.is_empty()
                    && !domain.contains('@')
                    && !domain.starts_with('.')
                    && !domain.ends_with('.')
                    && !s.chars().any(|c| c.is_whitespace() || c.is_control())
            }
            None => false,
        };
        if !valid {
            return Err(DomainError::field(
                "email",
                "invalid_email",
                "this does not look like an email address",
            ));
        }
        Ok(Self(s))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A person's display name: 1–100 characters, no control characters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct DisplayName(String);

impl DisplayName {
    pub const MAX_CHARS: usize = 100;

    /// A value that was valid when it was written, read back from storage: not checked or
    /// normalised again (a stored record must read back exactly as it was written).
    pub fn trusted(s: String) -> Self {
        Self(s)
    }

    pub fn parse(raw: &str) -> Result<Self, DomainError> {
        let s = raw.trim();
        if s.is_empty() {
            return Err(DomainError::field("name", "required", "name is required"));
        }
        if s.chars().count() > Self::MAX_CHARS {
            return Err(DomainError::field(
                "name",
                "too_long",
                "name is longer than 100 characters",
            ));
        }
        if s.chars().any(char::is_control) {
            return Err(DomainError::field(
                "name",
                "invalid",
                "name contains control characters",
            ));
        }
        Ok(Self(s.to_owned()))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// An IANA time zone name that exists (e.g. `Europe/Berlin`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct TimeZone(String);

impl TimeZone {
    pub fn parse(raw: &str) -> Result<Self, DomainError> {
        let s = raw.trim();
        match s.parse::<chrono_tz::Tz>() {
            Ok(tz) => Ok(Self(tz.name().to_owned())),
            Err(_) => Err(DomainError::field(
                "time_zone",
                "unknown_zone",
                format!("`{s}` is not an IANA time zone such as Europe/Berlin"),
            )),
        }
    }
    /// A value that was valid when it was written, read back from storage: not checked or
    /// normalised again (a stored record must read back exactly as it was written).
    pub fn trusted(s: String) -> Self {
        Self(s)
    }

    pub fn utc() -> Self {
        Self("UTC".to_owned())
    }
    pub fn tz(&self) -> chrono_tz::Tz {
        self.0.parse().unwrap_or(chrono_tz::UTC)
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The fields every new account needs, checked together so that every invalid field is reported
/// at once. `extra` is a further check of the same input (the setup form's password).
pub struct NewProfile {
    pub name: DisplayName,
    pub email: Email,
    pub time_zone: TimeZone,
}

impl NewProfile {
    pub fn parse(
        name: &str,
        email: &str,
        time_zone: &str,
        extra: Result<(), DomainError>,
    ) -> Result<Self, DomainError> {
        match (
            DisplayName::parse(name),
            Email::parse(email),
            TimeZone::parse(time_zone),
            extra,
        ) {
            (Ok(name), Ok(email), Ok(time_zone), Ok(())) => Ok(Self {
                name,
                email,
                time_zone,
            }),
            (n, e, t, x) => Err(DomainError(
                [n.err(), e.err(), t.err(), x.err()]
                    .into_iter()
                    .flatten()
                    .flat_map(|d| d.0)
                    .collect(),
            )),
        }
    }
}

/// Password policy: long enough to resist guessing, short enough to hash cheaply.
/// Following NIST SP 800-63B: length matters, composition rules do not.
pub fn check_new_password(field: &str, pw: &str, min_len: usize) -> Result<(), DomainError> {
    let n = pw.chars().count();
    if n < min_len {
        return Err(DomainError::field(
            field,
            "too_short",
            format!("use at least {min_len} characters"),
        ));
    }
    if n > 256 {
        return Err(DomainError::field(
            field,
            "too_long",
            "use at most 256 characters",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_normalised_and_checked() {
        assert_eq!(
            Email::parse("  Ada@Example.COM ").unwrap().as_str(),
            "ada@example.com"
        );
        for bad in ["", "ada", "@x.org", "ada@", "a@b@c", "a b@c.org", "a@.org"] {
            assert!(Email::parse(bad).is_err(), "{bad:?} should be refused");
        }
    }

    #[test]
    fn time_zones_must_exist() {
        assert_eq!(
            TimeZone::parse("Europe/Berlin").unwrap().as_str(),
            "Europe/Berlin"
        );
        let e = TimeZone::parse("Mars/Olympus").unwrap_err();
        assert_eq!(e.0[0].code, "unknown_zone");
    }

    #[test]
    fn names_are_bounded() {
        assert!(DisplayName::parse("   ").is_err());
        assert!(DisplayName::parse(&"x".repeat(101)).is_err());
        assert_eq!(DisplayName::parse(" Ada ").unwrap().as_str(), "Ada");
    }

    #[test]
    fn short_passwords_are_refused() {
        assert_eq!(
            check_new_password("password", "short", 12).unwrap_err().0[0].code,
            "too_short"
        );
        assert!(check_new_password("password", "correct horse battery", 12).is_ok());
    }
}
