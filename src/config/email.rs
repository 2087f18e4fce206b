//! `[email]`: the SMTP server messages go through. An empty `email.smtp_host` turns e-mail off
//! (the server then works as it does without it). The password is never in the configuration:
//! `email.password_file` names a file holding it, read when the server starts.

use std::path::PathBuf;
use std::time::Duration;

/// How the connection to the SMTP server is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Security {
    /// Plain connect, then STARTTLS (required: a server that does not offer it is refused).
    StartTls,
    /// TLS from the first byte (SMTPS, usually port 465).
    Tls,
    /// No encryption: only for a server on a loopback address.
    None,
}

impl Security {
    pub fn as_str(self) -> &'static str {
        match self {
            Security::StartTls => "starttls",
            Security::Tls => "tls",
            Security::None => "none",
        }
    }
}

/// The validated `[email]` section, when e-mail is on.
#[derive(Clone, PartialEq, Eq)]
pub struct EmailConfig {
    pub host: String,
    pub port: u16,
    pub security: Security,
    /// SMTP AUTH user name; with it, `password_file` is set too.
    pub username: Option<String>,
    pub password_file: Option<PathBuf>,
    /// The sender's display name, if any.
    pub from_name: Option<String>,
    /// The sender's address.
    pub from_address: String,
    pub timeout: Duration,
}

impl std::fmt::Debug for EmailConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EmailConfig")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("security", &self.security)
            .field("username", &self.username)
            .field("password_file", &self.password_file)
            .field("from_address", &self.from_address)
            .finish_non_exhaustive()
    }
}

impl EmailConfig {
    /// `Name <address>` or `address`, as the `From:` header shows it.
    pub fn from_display(&self) -> String {
        match &self.from_name {
            Some(n) => format!("{n} <{}>", self.from_address),
            None => self.from_address.clone(),
        }
    }
}

/// Builds the section; `get(key)` is the raw value, `bad(key, why)` the error naming it.
pub(super) fn build(
    get: &dyn Fn(&str) -> String,
    bad: &dyn Fn(&'static str, &str) -> String,
) -> Result<Option<EmailConfig>, String> {
    let host = get("email.smtp_host").trim().to_owned();
    let port = get("email.smtp_port")
        .trim()
        .parse::<u16>()
        .ok()
        .filter(|p| *p > 0)
        .ok_or_else(|| bad("email.smtp_port", "not a port number from 1 to 65535"))?;
    let security = match get("email.security").trim() {
        "starttls" => Security::StartTls,
        "tls" => Security::Tls,
        "none" => Security::None,
        _ => return Err(bad("email.security", "not starttls, tls or none")),
    };
    let timeout = super::parse_duration(&get("email.timeout"))
        .filter(|d| (1..=120).contains(&d.as_secs()))
        .ok_or_else(|| {
            bad(
                "email.timeout",
                "not a duration from 1s to 120s, such as 10s",
            )
        })?;
    let username = Some(get("email.username").trim().to_owned()).filter(|u| !u.is_empty());
    let password_file = Some(PathBuf::from(get("email.password_file").trim()))
        .filter(|p| !p.as_os_str().is_empty());
    let from = get("email.from");
    if host.is_empty() {
        return Ok(None);
    }
    if host.contains(|c: char| c.is_whitespace() || c == '/' || c == '@') {
        return Err(bad("email.smtp_host", "not a host name or IP address"));
    }
    if security == Security::None && !is_loopback(&host) {
        return Err(bad(
            "email.security",
            "`none` sends passwords and links unencrypted and is allowed only for an SMTP \
             server on a loopback address (localhost, 127.0.0.1, ::1); use starttls or tls",
        ));
    }
    match (&username, &password_file) {
        (Some(_), None) => {
            return Err(bad(
                "email.password_file",
                "email.username is set, so a file holding its password is needed too",
            ))
        }
        (None, Some(_)) => {
            return Err(bad(
                "email.username",
                "email.password_file is set, so the user name it belongs to is needed too",
            ))
        }
        _ => {}
    }
    if from.trim().is_empty() {
        return Err(bad(
            "email.from",
            "the sender address is required when email.smtp_host is set, such as \
             `OphionTT <timetracker@example.com>`",
        ));
    }
    let (from_name, from_address) = parse_mailbox(&from).ok_or_else(|| {
        bad(
            "email.from",
            "not an address such as timetracker@example.com or OphionTT <timetracker@example.com>",
        )
    })?;
    Ok(Some(EmailConfig {
        host,
        port,
        security,
        username,
        password_file,
        from_name,
        from_address,
        timeout,
    }))
}

/// `localhost`, or a loopback IP address (brackets allowed around IPv6).
fn is_loopback(host: &str) -> bool {
    let h = host.trim_start_matches('[').trim_end_matches(']');
    h.eq_ignore_ascii_case("localhost")
        || h.parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// `Name <a@b>` or `a@b` → (name, address). The address is checked as user e-mail addresses
/// are; the name may not hold `<`, `>`, `"` or control characters.
pub fn parse_mailbox(text: &str) -> Option<(Option<String>, String)> {
    let t = text.trim();
    let (name, addr) = match t.rfind('<') {
        Some(i) => {
            let addr = t[i + 1..].strip_suffix('>')?;
            let name = t[..i].trim().trim_matches('"').trim();
            (Some(name.to_owned()).filter(|n| !n.is_empty()), addr)
        }
        None => (None, t),
    };
    if name
        .as_deref()
        .is_some_and(|n| n.contains(['<', '>', '"']) || n.chars().any(char::is_control))
    {
        return None;
    }
    let addr = crate::domain::user::Email::parse(addr).ok()?;
    Some((name, addr.as_str().to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mailboxes_parse_with_or_without_a_name() {
        assert_eq!(
            parse_mailbox("OphionTT <tt@example.com>"),
            Some((Some("OphionTT".into()), "tt@example.com".into()))
        );
        assert_eq!(
            parse_mailbox("\"Time Tracker\" <tt@example.com>"),
            Some((Some("Time Tracker".into()), "tt@example.com".into()))
        );
        assert_eq!(
            parse_mailbox("tt@example.com"),
            Some((None, "tt@example.com".into()))
        );
        assert_eq!(parse_mailbox("not an address"), None);
        assert_eq!(parse_mailbox("A <b@example.com"), None);
    }

    #[test]
    fn loopback_hosts() {
        for h in ["localhost", "127.0.0.1", "127.0.0.2", "::1", "[::1]"] {
            assert!(is_loopback(h), "{h}");
        }
        for h in ["mail.example.com", "10.0.0.1", "localhost.example.com"] {
            assert!(!is_loopback(h), "{h}");
        }
    }
}
