//! Clients, projects and time entries, and the rules for their fields.

use serde::{Deserialize, Serialize};

use super::billing::{Budget, RateChange, Rounding};
use super::{ClientId, DomainError, EntryId, ProjectId, TaskId, UserId};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Client {
    pub id: ClientId,
    pub name: String,
    #[serde(default)]
    pub notes: String,
    #[serde(default)]
    pub archived: bool,
    pub created_at_ms: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Project {
    pub id: ProjectId,
    pub name: String,
    pub client_id: Option<ClientId>,
    pub color: String,
    pub billable: bool,
    /// Hourly rate in the currency's minor unit (cents).
    pub rate_cents: Option<i64>,
    pub currency: String,
    pub members: Vec<UserId>,
    pub managers: Vec<UserId>,
    #[serde(default)]
    pub archived: bool,
    pub created_at_ms: i64,
    /// Rate changes from a date on, for the project, a member or a task (`billing`).
    #[serde(default)]
    pub rates: Vec<RateChange>,
    /// How billed time is rounded; `None`: the instance's default.
    #[serde(default)]
    pub rounding: Option<Rounding>,
    #[serde(default)]
    pub budget: Option<Budget>,
}

impl Project {
    /// Whether `user` may record time on this project.
    pub fn has_member(&self, user: UserId) -> bool {
        self.members.contains(&user) || self.managers.contains(&user)
    }
    pub fn is_managed_by(&self, user: UserId) -> bool {
        self.managers.contains(&user)
    }
}

/// A time entry; `end_ms` is `None` while its timer runs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    pub id: EntryId,
    pub user_id: UserId,
    pub project_id: ProjectId,
    /// A task of the same project, if the time was spent on one.
    #[serde(default)]
    pub task_id: Option<TaskId>,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub note: String,
    pub start_ms: i64,
    pub end_ms: Option<i64>,
    pub billable: bool,
    /// The project's rate when the entry was recorded.
    pub rate_cents: Option<i64>,
    pub currency: String,
    pub created_at_ms: i64,
    pub updated_at_ms: i64,
}

/// Where a task stands; the task board has one column per status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TaskStatus {
    Open,
    InProgress,
    Done,
}

/// A short note on a task by a team member.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Comment {
    pub author: UserId,
    pub at_ms: i64,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Task {
    pub id: TaskId,
    pub project_id: ProjectId,
    pub title: String,
    #[serde(default)]
    pub description: String,
    pub status: TaskStatus,
    pub assignee: Option<UserId>,
    /// Estimated effort in seconds.
    pub estimate_secs: Option<i64>,
    #[serde(default)]
    pub comments: Vec<Comment>,
    #[serde(default)]
    pub archived: bool,
    pub created_at_ms: i64,
    pub updated_at_ms: i64,
}

/// A name: 1–100 characters after trimming.
pub fn name(field: &str, raw: &str) -> Result<String, DomainError> {
    let s = raw.trim();
    if s.is_empty() {
        return Err(DomainError::field(
            field,
            "required",
            format!("{field} is required"),
        ));
    }
    if s.chars().count() > 100 || s.chars().any(char::is_control) {
        return Err(DomainError::field(
            field,
            "too_long",
            "use at most 100 plain characters",
        ));
    }
    Ok(s.to_owned())
}

/// Free text: at most `max` characters.
pub fn text(field: &str, raw: &str, max: usize) -> Result<String, DomainError> {
    let s = raw.trim();
    if s.chars().count() > max {
        return Err(DomainError::field(
            field,
            "too_long",
            format!("use at most {max} characters"),
        ));
    }
    Ok(s.to_owned())
}

/// `#rrggbb`, lower-cased.
pub fn color(raw: &str) -> Result<String, DomainError> {
    let s = raw.trim().to_lowercase();
    let ok = s.len() == 7 && s.starts_with('#') && s[1..].chars().all(|c| c.is_ascii_hexdigit());
    if ok {
        Ok(s)
    } else {
        Err(DomainError::field(
            "color",
            "invalid_color",
            "use a colour like #2f6fde",
        ))
    }
}

/// An ISO 4217-shaped code: three capital letters.
pub fn currency(raw: &str) -> Result<String, DomainError> {
    let s = raw.trim().to_uppercase();
    if s.len() == 3 && s.chars().all(|c| c.is_ascii_uppercase()) {
        Ok(s)
    } else {
        Err(DomainError::field(
            "currency",
            "invalid_currency",
            "use a three-letter code like EUR",
        ))
    }
}

/// The highest hourly rate, in minor units: 100,000,000.00 an hour. More is a typing slip in
/// any currency (in rupiah it is about 6,000 US dollars an hour).
pub const MAX_RATE_CENTS: i64 = 10_000_000_000;

pub fn rate(raw: Option<i64>) -> Result<Option<i64>, DomainError> {
    match raw {
        Some(r) if r < 0 => Err(DomainError::field(
            "rate_cents",
            "negative",
            "a rate cannot be negative",
        )),
        Some(r) if r > MAX_RATE_CENTS => Err(DomainError::field(
            "rate_cents",
            "too_large",
            "a rate is at most 100,000,000.00 an hour; a higher one is a typing slip",
        )),
        other => Ok(other),
    }
}

/// The longest task estimate: 1,000 hours, about half a working year. Longer work is several
/// tasks, and a longer estimate is a typing slip (9,999 h for 99.99 h).
pub const MAX_ESTIMATE_SECS: i64 = 1000 * 3600;

pub fn estimate(raw: Option<i64>) -> Result<Option<i64>, DomainError> {
    match raw {
        Some(e) if e < 0 => Err(DomainError::field(
            "estimate_secs",
            "negative",
            "an estimate cannot be negative",
        )),
        Some(e) if e > MAX_ESTIMATE_SECS => Err(DomainError::field(
            "estimate_secs",
            "too_large",
            "an estimate is at most 1,000 hours; split larger work into several tasks",
        )),
        other => Ok(other),
    }
}

/// Tags: trimmed, without a leading `#`, 1–40 characters each, at most 20, duplicates dropped.
pub fn tags(raw: &[String]) -> Result<Vec<String>, DomainError> {
    let mut out: Vec<String> = Vec::new();
    for t in raw {
        let t = t.trim().trim_start_matches('#').trim();
        if t.is_empty() {
            continue;
        }
        if t.chars().count() > 40 || t.chars().any(char::is_control) {
            return Err(DomainError::field(
                "tags",
                "too_long",
                "a tag has at most 40 characters",
            ));
        }
        if !out.iter().any(|o| o.eq_ignore_ascii_case(t)) {
            out.push(t.to_owned());
        }
    }
    if out.len() > 20 {
        return Err(DomainError::field(
            "tags",
            "too_long",
            "use at most 20 tags",
        ));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_and_estimates_have_a_floor_and_a_ceiling() {
        let code = |r: Result<Option<i64>, DomainError>| r.err().map(|e| e.0[0].code.clone());
        assert_eq!(code(rate(Some(MAX_RATE_CENTS))), None);
        assert_eq!(
            code(rate(Some(MAX_RATE_CENTS + 1))).as_deref(),
            Some("too_large")
        );
        assert_eq!(code(rate(Some(-1))).as_deref(), Some("negative"));
        assert_eq!(code(estimate(Some(1000 * 3600))), None);
        assert_eq!(
            code(estimate(Some(9999 * 3600))).as_deref(),
            Some("too_large")
        );
        assert_eq!(code(estimate(Some(-60))).as_deref(), Some("negative"));
        assert_eq!(code(estimate(None)), None);
    }

    #[test]
    fn tags_are_trimmed_deduplicated_and_bounded() {
        let t = tags(&["#ops".into(), " Ops ".into(), "".into(), "billable".into()]).unwrap();
        assert_eq!(t, vec!["ops", "billable"]);
        assert_eq!(tags(&["x".repeat(41)]).unwrap_err().0[0].code, "too_long");
    }

    #[test]
    fn colours_and_currencies_have_one_shape() {
        assert_eq!(color("#2F6FDE").unwrap(), "#2f6fde");
        assert!(color("blue").is_err());
        assert_eq!(currency("eur").unwrap(), "EUR");
        assert!(currency("EURO").is_err());
    }
}
