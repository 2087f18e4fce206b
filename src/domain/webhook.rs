//! Webhooks: URLs an admin registers for events, each delivery signed with the hook's secret.
//!
//! Signature (docs/integrations.md has a verification snippet): the header
//! `OphionTT-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`. A receiver
//! recomputes it over the raw body, compares in constant time, and refuses a `t` too old.

use serde::{Deserialize, Serialize};

use super::DomainError;

/// The events a hook may subscribe to.
pub const EVENTS: [&str; 8] = [
    "entry.created",
    "entry.updated",
    "entry.deleted",
    "week.submitted",
    "week.approved",
    "week.rejected",
    "privacy.request_due",
    "backup.failed",
];

/// The most hooks an instance holds.
pub const MAX_HOOKS: usize = 50;

/// A registered webhook.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Webhook {
    pub id: uuid::Uuid,
    pub url: String,
    pub events: Vec<String>,
    /// The signing secret (`whsec_…`), shown once; kept as is, since signing needs it.
    pub secret: String,
    #[serde(default)]
    pub description: String,
    pub active: bool,
    pub created_at_ms: i64,
    pub created_by: String,
}

impl Webhook {
    pub fn wants(&self, event: &str) -> bool {
        self.active && self.events.iter().any(|e| e == event)
    }
}

/// The signature header's value for `body` sent at `unix_secs`.
pub fn signature(secret: &str, unix_secs: i64, body: &[u8]) -> String {
    let key = ring::hmac::Key::new(ring::hmac::HMAC_SHA256, secret.as_bytes());
    let mut ctx = ring::hmac::Context::with_key(&key);
    ctx.update(unix_secs.to_string().as_bytes());
    ctx.update(b".");
    ctx.update(body);
    format!("t={unix_secs},v1={}", hex::encode(ctx.sign().as_ref()))
}

/// A hook's URL: `http(s)://host[:port]/path`, no credentials or fragment, at most 2000
/// characters, its host among `allowed` (`host` or `host:port`; empty: none allowed).
pub fn parse_url(text: &str, allowed: &[String]) -> Result<String, DomainError> {
    let bad = |msg: String| DomainError::field("url", "invalid", msg);
    let t = text.trim();
    if t.len() > 2000 {
        return Err(bad("at most 2000 characters".into()));
    }
    let (scheme, rest) = t
        .split_once("://")
        .ok_or_else(|| bad("an http:// or https:// URL".into()))?;
    if scheme != "http" && scheme != "https" {
        return Err(bad("an http:// or https:// URL".into()));
    }
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    if authority.is_empty()
        || authority.contains('@')
        || t.contains('#')
        || t.contains(char::is_whitespace)
    {
        return Err(bad(
            "a URL with a host, without credentials, spaces or a #fragment".into(),
        ));
    }
    if !host_allowed(authority, allowed) {
        return Err(DomainError::field(
            "url",
            "host_not_allowed",
            format!("`{authority}` is not in webhooks.allowed_hosts; an admin adds it to the config first"),
        ));
    }
    Ok(t.to_owned())
}

/// Whether `authority` (`host` or `host:port`) matches an entry of `allowed`: a bare host
/// allows every port of it.
pub fn host_allowed(authority: &str, allowed: &[String]) -> bool {
    let a = authority.to_ascii_lowercase();
    let host = match a.rsplit_once(':') {
        Some((h, p))
            if p.chars().all(|c| c.is_ascii_digit()) && !h.ends_with(']')
                || h.starts_with('[') && h.ends_with(']') =>
        {
            h
        }
        _ => a.as_str(),
    };
    allowed.iter().any(|x| {
        let x = x.trim().to_ascii_lowercase();
        x == a || x == host
    })
}

/// The events asked for: known ones, at least one.
pub fn parse_events(list: &[String]) -> Result<Vec<String>, DomainError> {
    let mut out: Vec<String> = Vec::new();
    for e in list {
        let e = e.trim();
        if !EVENTS.contains(&e) {
            return Err(DomainError::field(
                "events",
                "invalid",
                format!("`{e}` is not an event: {}", EVENTS.join(", ")),
            ));
        }
        if !out.iter().any(|x| x == e) {
            out.push(e.to_owned());
        }
    }
    if out.is_empty() {
        return Err(DomainError::field(
            "events",
            "required",
            "choose at least one event",
        ));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_signature_is_hmac_sha256_of_time_dot_body() {
        // The reference is Python's hmac.new(b"whsec_test", b"1700000000.{}", sha256).
        let s = signature("whsec_test", 1_700_000_000, b"{}");
        assert_eq!(
            s,
            "t=1700000000,v1=35495024f4ef3f94e5a93e22221544c4b75e9a42300cd965ab81cb85cd994e91"
        );
        assert_eq!(s.len(), "t=1700000000,v1=".len() + 64);
        assert_ne!(s, signature("whsec_other", 1_700_000_000, b"{}"));
        assert_ne!(s, signature("whsec_test", 1_700_000_001, b"{}"));
    }

    #[test]
    fn only_allowed_hosts_and_clean_urls_pass() {
        let allowed = vec!["hooks.example.com".to_owned(), "127.0.0.1:9000".to_owned()];
        assert!(parse_url("https://hooks.example.com/x", &allowed).is_ok());
        assert!(parse_url("https://hooks.example.com:8443/x", &allowed).is_ok());
        assert!(parse_url("http://127.0.0.1:9000/in", &allowed).is_ok());
        for bad in [
            "http://127.0.0.1:9001/in",
            "ftp://hooks.example.com/",
            "https://user:pw@hooks.example.com/",
            "https://evil.example.com/",
            "https://hooks.example.com/#x",
            "hooks.example.com",
        ] {
            assert!(parse_url(bad, &allowed).is_err(), "{bad}");
        }
        assert!(parse_url("https://hooks.example.com/", &[]).is_err());
    }

    #[test]
    fn events_are_known_and_deduplicated() {
        let v = |l: &[&str]| parse_events(&l.iter().map(|s| s.to_string()).collect::<Vec<_>>());
        assert_eq!(
            v(&["entry.created", "entry.created"]).unwrap(),
            ["entry.created"]
        );
        assert!(v(&[]).is_err());
        assert!(v(&["entry.exploded"]).is_err());
    }
}
