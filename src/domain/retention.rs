//! Retention rules: for each category of data, how long it is kept. Pure: parsing a rule and
//! turning it into the cutoff instant before which data has expired.

use chrono::{DateTime, Duration, Months, Utc};

/// The categories of data a retention rule can name, with the config key under `[retention]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Category {
    TimeEntries,
    Tasks,
    SecurityEvents,
    Sessions,
    AuditBodies,
    PrivacyRequests,
    DisabledAccounts,
    Exports,
    Logs,
    Backups,
}

impl Category {
    pub const ALL: [Category; 10] = [
        Category::TimeEntries,
        Category::Tasks,
        Category::SecurityEvents,
        Category::Sessions,
        Category::AuditBodies,
        Category::PrivacyRequests,
        Category::DisabledAccounts,
        Category::Exports,
        Category::Logs,
        Category::Backups,
    ];

    /// The key under `[retention]` and the name in reports.
    pub fn key(self) -> &'static str {
        match self {
            Category::TimeEntries => "time_entries",
            Category::Tasks => "tasks",
            Category::SecurityEvents => "security_events",
            Category::Sessions => "sessions",
            Category::AuditBodies => "audit_bodies",
            Category::PrivacyRequests => "privacy_requests",
            Category::DisabledAccounts => "disabled_accounts",
            Category::Exports => "exports",
            Category::Logs => "logs",
            Category::Backups => "backups",
        }
    }

    pub fn parse(s: &str) -> Option<Category> {
        Category::ALL.into_iter().find(|c| c.key() == s)
    }

    /// The category's name for people.
    pub fn label(self) -> &'static str {
        match self {
            Category::TimeEntries => "Time entries",
            Category::Tasks => "Tasks and comments",
            Category::SecurityEvents => "Security events",
            Category::Sessions => "Sessions and links",
            Category::AuditBodies => "Audit record details",
            Category::PrivacyRequests => "Privacy requests",
            Category::DisabledAccounts => "Disabled accounts",
            Category::Exports => "Export files",
            Category::Logs => "Log files",
            Category::Backups => "Backups",
        }
    }

    /// Out of the box only sessions, security events and log files expire: destructive rules
    /// are the admin's choice.
    pub fn default_rule(self) -> &'static str {
        match self {
            Category::Sessions => "0d",
            Category::SecurityEvents => "90d",
            Category::Logs => "30d",
            _ => "forever",
        }
    }

    /// What the category holds and what "expired" means for it (for `retention show`, the admin
    /// page and the privacy notice).
    pub fn describe(self) -> &'static str {
        match self {
            Category::TimeEntries => "time entries, counted from when they ended; deleted",
            Category::Tasks => {
                "finished tasks (status done) with their comments, counted from their last change; \
                 and comments on other tasks, counted from when they were written; deleted"
            }
            Category::SecurityEvents => {
                "security events (sign-ins, failures, lockouts, password and role changes, links, \
                 admin commands) with IP address and user agent; deleted"
            }
            Category::Sessions => {
                "sign-in sessions and unused one-time links, counted from when they expired; deleted"
            }
            Category::AuditBodies => {
                "the details and IP address of audit records; redacted (the chain still verifies)"
            }
            Category::PrivacyRequests => "closed privacy requests, counted from when they closed; deleted",
            Category::DisabledAccounts => {
                "accounts disabled this long: their personal data is erased (entries kept under a \
                 pseudonym or deleted, as for an erasure request)"
            }
            Category::Exports => "files written by the scheduled export job into <data>/exports; deleted",
            Category::Logs => "log files in <data>/logs, by last write; deleted",
            Category::Backups => {
                "backup files in <data>/backups, by age; deleted, but never the newest one that verified"
            }
        }
    }
}

/// How long one category is kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Keep {
    Forever,
    Hours(u32),
    Days(u32),
    Months(u32),
}

impl Keep {
    /// `forever`, or a whole number and a unit: `h` (hours), `d` (days), `w` (weeks), `mo`
    /// (calendar months) or `y` (calendar years), e.g. `90d`, `18mo`, `7y`. At most 100 years.
    pub fn parse(s: &str) -> Result<Keep, String> {
        let s = s.trim();
        if s == "forever" {
            return Ok(Keep::Forever);
        }
        let split = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
        let (num, unit) = s.split_at(split);
        let n: u32 = num
            .parse()
            .map_err(|_| format!("`{s}` does not start with a whole number"))?;
        let keep = match unit {
            "h" => Keep::Hours(n),
            "d" => Keep::Days(n),
            "w" => Keep::Days(n.saturating_mul(7)),
            "mo" => Keep::Months(n),
            "y" => Keep::Months(n.saturating_mul(12)),
            "" => return Err(format!("`{s}` has no unit (h, d, w, mo or y)")),
            other => {
                return Err(format!(
                    "`{other}` in `{s}` is not a unit (h, d, w, mo or y)"
                ))
            }
        };
        let too_long = match keep {
            Keep::Hours(h) => h > 100 * 366 * 24,
            Keep::Days(d) => d > 100 * 366,
            Keep::Months(m) => m > 1200,
            Keep::Forever => false,
        };
        if too_long {
            return Err(format!("`{s}` is longer than 100 years (use `forever`)"));
        }
        Ok(keep)
    }

    /// Data that ended before this instant has expired; `None` for `forever`.
    pub fn cutoff(self, now_ms: i64) -> Option<i64> {
        let now: DateTime<Utc> = DateTime::from_timestamp_millis(now_ms)?;
        let t = match self {
            Keep::Forever => return None,
            Keep::Hours(h) => now - Duration::hours(h.into()),
            Keep::Days(d) => now - Duration::days(d.into()),
            Keep::Months(m) => now.checked_sub_months(Months::new(m))?,
        };
        Some(t.timestamp_millis())
    }

    /// The rule as written in config (`forever`, `90d`, `18mo`, …).
    pub fn label(self) -> String {
        match self {
            Keep::Forever => "forever".into(),
            Keep::Hours(h) => format!("{h}h"),
            Keep::Days(d) => format!("{d}d"),
            Keep::Months(m) if m % 12 == 0 => format!("{}y", m / 12),
            Keep::Months(m) => format!("{m}mo"),
        }
    }

    /// In words, for people: "90 days", "7 years", "kept until deleted by hand".
    pub fn words(self) -> String {
        let plural = |n: u32, one: &str| {
            if n == 1 {
                format!("1 {one}")
            } else {
                format!("{n} {one}s")
            }
        };
        match self {
            Keep::Forever => "no time limit".into(),
            Keep::Hours(h) => plural(h, "hour"),
            Keep::Days(0) => "until expiry, then removed".into(),
            Keep::Days(d) => plural(d, "day"),
            Keep::Months(m) if m % 12 == 0 => plural(m / 12, "year"),
            Keep::Months(m) => plural(m, "month"),
        }
    }
}

/// The rule of every category.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rules(std::collections::BTreeMap<Category, Keep>);

impl Default for Rules {
    fn default() -> Self {
        Rules(
            Category::ALL
                .into_iter()
                .map(|c| (c, Keep::parse(c.default_rule()).unwrap_or(Keep::Forever)))
                .collect(),
        )
    }
}

impl Rules {
    pub fn get(&self, c: Category) -> Keep {
        self.0.get(&c).copied().unwrap_or(Keep::Forever)
    }

    pub fn set(&mut self, c: Category, k: Keep) {
        self.0.insert(c, k);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_units_and_refuses_nonsense() {
        assert_eq!(Keep::parse("forever"), Ok(Keep::Forever));
        assert_eq!(Keep::parse("90d"), Ok(Keep::Days(90)));
        assert_eq!(Keep::parse("2w"), Ok(Keep::Days(14)));
        assert_eq!(Keep::parse("18mo"), Ok(Keep::Months(18)));
        assert_eq!(Keep::parse("7y"), Ok(Keep::Months(84)));
        assert_eq!(Keep::parse("12h"), Ok(Keep::Hours(12)));
        for bad in [
            "", "d", "90", "90 days", "-1d", "1.5y", "90m", "101y", "never",
        ] {
            assert!(Keep::parse(bad).is_err(), "{bad} should be refused");
        }
    }

    #[test]
    fn years_are_calendar_years() {
        // 2028-03-01 minus 1y is 2027-03-01, not 366 days earlier across the leap day.
        let now = DateTime::parse_from_rfc3339("2028-03-01T00:00:00Z").unwrap();
        let cut = Keep::Months(12).cutoff(now.timestamp_millis()).unwrap();
        let want = DateTime::parse_from_rfc3339("2027-03-01T00:00:00Z").unwrap();
        assert_eq!(cut, want.timestamp_millis());
        assert_eq!(Keep::Forever.cutoff(0), None);
        assert_eq!(Keep::Days(1).cutoff(86_400_000), Some(0));
    }

    #[test]
    fn labels_round_trip() {
        for s in ["forever", "12h", "90d", "18mo", "7y"] {
            assert_eq!(Keep::parse(s).unwrap().label(), s);
        }
        assert_eq!(Keep::parse("7y").unwrap().words(), "7 years");
        assert_eq!(Keep::parse("1d").unwrap().words(), "1 day");
        for c in Category::ALL {
            assert_eq!(Category::parse(c.key()), Some(c));
            assert!(Keep::parse(c.default_rule()).is_ok());
        }
    }
}
