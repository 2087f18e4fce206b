//! Configuration: built-in defaults < `ophiontt.toml` < `OPHIONTT_*` environment < flags.
//!
//! Every key is declared once in [`KEYS`] (with its default, kind and meaning); the sample
//! `ophiontt.toml` documents the same keys and a test checks they agree. A bad value is refused
//! with the key, the value, where it came from and what is allowed.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

mod email;
mod jobs;
mod keys;
mod privacy;
mod tickets;

pub use email::{parse_mailbox, EmailConfig, Security as EmailSecurity};
pub use jobs::{BackupConfig, ExportFormat, ExportPeriod, JobsConfig, Schedule};
pub use keys::{KeyDef, KEYS};
pub use privacy::PrivacyConfig;

/// Where a value came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    Default,
    File(PathBuf),
    Env(String),
    Flag(&'static str),
}

impl std::fmt::Display for Source {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Source::Default => f.write_str("built-in default"),
            Source::File(p) => write!(f, "file {}", p.display()),
            Source::Env(n) => write!(f, "environment variable {n}"),
            Source::Flag(n) => write!(f, "flag {n}"),
        }
    }
}

/// Overrides given on the command line.
#[derive(Debug, Default, Clone)]
pub struct Flags {
    pub config: Option<PathBuf>,
    pub data: Option<PathBuf>,
    pub listen: Option<String>,
    pub tls_cert: Option<PathBuf>,
    pub tls_key: Option<PathBuf>,
    pub allow_plain_http: bool,
}

/// The validated configuration.
#[derive(Debug, Clone)]
pub struct Config {
    pub data_dir: PathBuf,
    pub listen: SocketAddr,
    pub public_url: Option<String>,
    pub allow_plain_http: bool,
    pub max_body_bytes: usize,
    pub shutdown_grace: Duration,
    /// A client must finish its request headers (and TLS handshake) within this.
    pub header_read_timeout: Duration,
    /// A connection with no request in flight and no traffic is closed after this.
    pub idle_timeout: Duration,
    /// The cap on open connections; `None`: from the open-file limit (resolved at start).
    pub max_connections: Option<u64>,
    pub max_requests_per_connection: u64,
    pub session_idle: Duration,
    pub session_absolute: Duration,
    pub min_password_length: usize,
    pub reset_link_ttl: Duration,
    /// Login attempts per minute for one (client, email) pair; five times that per client.
    pub login_attempts_per_minute: u32,
    /// The longest expiry, in days, a personal API token may be given.
    pub token_max_days: u32,
    /// How long an e-mailed sign-in link works, when sign-in links are on
    /// (`auth.sign_in_links`, which needs `[email]`).
    pub sign_in_link_ttl: Option<Duration>,
    /// The first-run setup link's lifetime (fixed: one hour).
    pub setup_link_ttl: Duration,
    pub log_level: String,
    pub log_file: bool,
    /// The certificate and key when the server terminates TLS (which also decides the cookie's
    /// name, `Secure` and HSTS).
    pub tls: Option<crate::tls::TlsFiles>,
    /// A plain-HTTP listener that only redirects to HTTPS.
    pub redirect_listen: Option<SocketAddr>,
    pub jobs: JobsConfig,
    pub backup: BackupConfig,
    /// Where signed audit checkpoints are written (`audit.checkpoint_dir`).
    pub checkpoint_dir: PathBuf,
    /// `[privacy]`: who the privacy notice names.
    pub notice: NoticeConfig,
    /// How long each category of data is kept (`[retention]`).
    pub retention: crate::domain::retention::Rules,
    /// `[privacy]`: the register's law, erasure and the export README.
    pub privacy: PrivacyConfig,
    /// `[tracking]`: the range rule's limits (longest entry, how far ahead one may start).
    pub tracking: crate::domain::range::Limits,
    /// `tracking.min_timer_seconds`: a timer stopped sooner is offered for discarding.
    pub min_timer_seconds: u32,
    /// `[billing]`: the default rounding and budget warning.
    pub billing: crate::domain::billing::Defaults,
    /// `portal.show_rates`: client accounts see rates and amounts.
    pub portal_shows_rates: bool,
    /// `[approval]`: whether weeks are submitted and approved, and when they lock on their own.
    pub approval: crate::domain::approval::Policy,
    /// `tickets.patterns`: what turns ticket ids in notes and task titles into links.
    pub tickets: crate::domain::tickets::Patterns,
    /// `[webhooks]`: where webhooks may go, and how deliveries are timed and retried.
    pub webhooks: WebhooksConfig,
    /// `[email]`: the SMTP server, when e-mail is on (`email.smtp_host` set).
    pub email: Option<EmailConfig>,
    /// A file holding the bearer token that opens `/metrics` to non-loopback clients.
    pub metrics_token_file: Option<PathBuf>,
    /// Every key's effective value and source, for `ophiontt check`.
    pub effective: Vec<(&'static str, String, Source)>,
}

/// `[webhooks]`.
#[derive(Debug, Clone)]
pub struct WebhooksConfig {
    pub allowed_hosts: Vec<String>,
    pub timeout: Duration,
    pub retry: crate::domain::outbox::RetryPolicy,
}

/// The `[privacy]` keys the privacy notice shows.
#[derive(Debug, Clone, Default)]
pub struct NoticeConfig {
    pub controller: String,
    pub contact: String,
    pub processors: Vec<String>,
}

/// The environment variable for a key: `server.listen` → `OPHIONTT_SERVER_LISTEN`.
pub fn env_name(path: &str) -> String {
    format!("OPHIONTT_{}", path.replace('.', "_").to_uppercase())
}

impl Config {
    /// Loads from the sources in precedence order; `env` is the process environment.
    pub fn load(flags: &Flags, env: &BTreeMap<String, String>) -> Result<Config, String> {
        let mut vals: BTreeMap<&'static str, (String, Source)> = KEYS
            .iter()
            .map(|k| (k.path, (k.default.to_owned(), Source::Default)))
            .collect();
        let file = flags
            .config
            .clone()
            .or_else(|| env.get("OPHIONTT_CONFIG").map(PathBuf::from));
        if let Some(path) = &file {
            for (k, v) in read_file(path)? {
                vals.insert(k, (v, Source::File(path.clone())));
            }
        }
        for k in KEYS {
            let name = env_name(k.path);
            if let Some(v) = env.get(&name) {
                vals.insert(k.path, (v.clone(), Source::Env(name)));
            }
        }
        if let Some(d) = &flags.data {
            vals.insert(
                "data_dir",
                (d.display().to_string(), Source::Flag("--data")),
            );
        }
        if let Some(l) = &flags.listen {
            vals.insert("server.listen", (l.clone(), Source::Flag("--listen")));
        }
        if flags.allow_plain_http {
            let v = ("true".to_owned(), Source::Flag("--allow-plain-http"));
            vals.insert("server.allow_plain_http", v);
        }
        if let Some(c) = &flags.tls_cert {
            let v = c.display().to_string();
            vals.insert("tls.cert", (v, Source::Flag("--tls-cert")));
        }
        if let Some(k) = &flags.tls_key {
            let v = k.display().to_string();
            vals.insert("tls.key", (v, Source::Flag("--tls-key")));
        }
        build(vals)
    }

    /// `(category, rule)` for every `retention.*` key, as configured (the privacy notice reads
    /// these).
    pub fn retention_rules(&self) -> Vec<(String, String)> {
        self.effective
            .iter()
            .filter_map(|(k, v, _)| {
                k.strip_prefix("retention.")
                    .map(|c| (c.to_owned(), v.trim().to_owned()))
            })
            .collect()
    }

    /// The base URL links are built on, without a trailing slash.
    pub fn base_url(&self, bound: SocketAddr) -> String {
        match &self.public_url {
            Some(u) => u.clone(),
            None => format!(
                "{}://{}",
                if self.tls.is_some() { "https" } else { "http" },
                bound
            ),
        }
    }
}

fn read_file(path: &Path) -> Result<Vec<(&'static str, String)>, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read config file {}: {e}", path.display()))?;
    let table: toml::Table = text
        .parse()
        .map_err(|e| format!("config file {} is not valid TOML: {e}", path.display()))?;
    let mut out = Vec::new();
    flatten(path, "", &table, &mut out)?;
    Ok(out)
}

fn flatten(
    path: &Path,
    prefix: &str,
    t: &toml::Table,
    out: &mut Vec<(&'static str, String)>,
) -> Result<(), String> {
    for (k, v) in t {
        let full = if prefix.is_empty() {
            k.clone()
        } else {
            format!("{prefix}.{k}")
        };
        let value = match v {
            toml::Value::Table(inner) => {
                flatten(path, &full, inner, out)?;
                continue;
            }
            toml::Value::Array(_) if keys::TABLE_LISTS.contains(&full.as_str()) => v.to_string(),
            toml::Value::String(s) => s.clone(),
            toml::Value::Integer(i) => i.to_string(),
            toml::Value::Boolean(b) => b.to_string(),
            // A list of strings (privacy.processors): kept as one `;`-separated value, the form
            // an environment variable takes too.
            toml::Value::Array(items) => {
                let mut parts = Vec::new();
                for item in items {
                    match item.as_str() {
                        Some(s) if !s.contains(';') => parts.push(s.trim().to_owned()),
                        _ => {
                            return Err(format!(
                                "config key `{full}` in {}: list items must be strings without `;`",
                                path.display()
                            ))
                        }
                    }
                }
                parts.join("; ")
            }
            other => {
                return Err(format!(
                    "config key `{full}` in {}: a {} is not allowed here",
                    path.display(),
                    other.type_str()
                ))
            }
        };
        let Some(def) = KEYS.iter().find(|d| d.path == full) else {
            let known: Vec<_> = KEYS.iter().map(|d| d.path).collect();
            return Err(format!(
                "unknown config key `{full}` in {}; known keys: {}",
                path.display(),
                known.join(", ")
            ));
        };
        out.push((def.path, value));
    }
    Ok(())
}

fn build(vals: BTreeMap<&'static str, (String, Source)>) -> Result<Config, String> {
    let get = |k: &str| &vals[k];
    let bad = |k: &'static str| {
        let (v, src) = &vals[k];
        let allowed = KEYS
            .iter()
            .find(|d| d.path == k)
            .map(|d| d.allowed)
            .unwrap_or("");
        format!("config key `{k}` has invalid value {v:?} (from {src}): expected {allowed}")
    };
    let dur = |k: &'static str, min: u64, max: u64| {
        parse_duration(&get(k).0)
            .filter(|d| (min..=max).contains(&d.as_secs()))
            .ok_or_else(|| bad(k))
    };
    let int = |k: &'static str, min: u64, max: u64| {
        get(k)
            .0
            .trim()
            .parse::<u64>()
            .ok()
            .filter(|n| (min..=max).contains(n))
            .ok_or_else(|| bad(k))
    };
    let boolean = |k: &'static str| match get(k).0.trim() {
        "true" => Ok(true),
        "false" => Ok(false),
        _ => Err(bad(k)),
    };
    const DAY: u64 = 86_400;

    let data_dir = PathBuf::from(get("data_dir").0.trim());
    if data_dir.as_os_str().is_empty() {
        return Err(bad("data_dir"));
    }
    let listen: SocketAddr = get("server.listen")
        .0
        .trim()
        .parse()
        .map_err(|_| bad("server.listen"))?;
    let public_url = match get("server.public_url").0.trim().trim_end_matches('/') {
        "" => None,
        u if (u.starts_with("http://") || u.starts_with("https://"))
            && !u.split_once("://").map(|x| x.1).unwrap_or("").contains('/') =>
        {
            Some(u.to_owned())
        }
        _ => return Err(bad("server.public_url")),
    };
    let allow_plain_http = boolean("server.allow_plain_http")?;
    let tls = tls_files(&vals, &data_dir)?;
    if tls.is_none() && !listen.ip().is_loopback() && !allow_plain_http {
        return Err(format!(
            "refusing to serve plain HTTP on {listen}, which is not a loopback address: \
             passwords and session cookies would cross the network unencrypted. Give the server \
             a certificate (tls.cert and tls.key, or `ophiontt tls self-signed --host NAME`), \
             listen on 127.0.0.1 behind a TLS proxy, or set server.allow_plain_http = true (or \
             {}=true, or --allow-plain-http) if a TLS-terminating proxy is in front",
            env_name("server.allow_plain_http")
        ));
    }
    let redirect_listen = match get("tls.redirect_listen").0.trim() {
        "" => None,
        a => Some(a.parse().map_err(|_| bad("tls.redirect_listen"))?),
    };
    if redirect_listen.is_some() && tls.is_none() {
        return Err(format!(
            "config key `tls.redirect_listen` is set (from {}) but TLS is not: a redirect to \
             HTTPS needs tls.cert and tls.key",
            get("tls.redirect_listen").1
        ));
    }
    let session_idle = dur("session.idle_timeout", 300, 30 * DAY)?;
    let session_absolute = dur("session.absolute_timeout", 3600, 365 * DAY)?;
    if session_absolute < session_idle {
        return Err(bad("session.absolute_timeout"));
    }
    let (jobs, backup) = jobs::build(
        &|k| get(k).0.clone(),
        &|k, why| {
            let (v, src) = &vals[k];
            format!("config key `{k}` has invalid value {v:?} (from {src}): {why}")
        },
        &data_dir,
    )?;
    let mut retention = crate::domain::retention::Rules::default();
    for c in crate::domain::retention::Category::ALL {
        let key = KEYS
            .iter()
            .find(|k| k.path.strip_prefix("retention.") == Some(c.key()))
            .map(|k| k.path)
            .ok_or_else(|| format!("no config key for retention category {}", c.key()))?;
        let (v, src) = get(key);
        let keep = crate::domain::retention::Keep::parse(v).map_err(|why| {
            format!("config key `{key}` has invalid value {v:?} (from {src}): {why}")
        })?;
        retention.set(c, keep);
    }
    let privacy = privacy::build(
        &|k| get(k).0.clone(),
        &|k, why| {
            let (v, src) = &vals[k];
            format!("config key `{k}` has invalid value {v:?} (from {src}): {why}")
        },
        &backup,
        session_idle,
        session_absolute,
        &data_dir,
    )?;
    let tickets = tickets::build(get("tickets.patterns"))?;
    let email = email::build(&|k| get(k).0.clone(), &|k, why| {
        let (v, src) = &vals[k];
        format!("config key `{k}` has invalid value {v:?} (from {src}): {why}")
    })?;
    let sign_in_link_ttl = dur("auth.sign_in_link_ttl", 300, 3600)?;
    let sign_in_link_ttl = match (boolean("auth.sign_in_links")?, &email) {
        (false, _) => None,
        (true, Some(_)) => Some(sign_in_link_ttl),
        (true, None) => {
            return Err(format!(
                "config key `auth.sign_in_links` is true (from {}) but e-mail is off: sign-in \
                 links are e-mailed, so set email.smtp_host and email.from, or turn sign-in links off",
                vals["auth.sign_in_links"].1
            ))
        }
    };
    let log_level = get("log.level").0.trim().to_owned();
    if !["error", "warn", "info", "debug", "trace"].contains(&log_level.as_str()) {
        return Err(bad("log.level"));
    }
    let checkpoint_dir = Some(PathBuf::from(get("audit.checkpoint_dir").0.trim()))
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or_else(|| data_dir.join("checkpoints"));
    Ok(Config {
        data_dir,
        listen,
        public_url,
        allow_plain_http,
        max_body_bytes: int("server.max_body_bytes", 1024, 64 * 1024 * 1024)? as usize,
        shutdown_grace: dur("server.shutdown_grace", 1, 600)?,
        header_read_timeout: dur("server.header_read_timeout", 1, 300)?,
        idle_timeout: dur("server.idle_timeout", 1, 3600)?,
        max_connections: match get("server.max_connections").0.trim() {
            "auto" => None,
            _ => Some(int("server.max_connections", 1, 1_000_000)?),
        },
        max_requests_per_connection: int("server.max_requests_per_connection", 1, 1_000_000)?,
        session_idle,
        session_absolute,
        min_password_length: int("auth.min_password_length", 8, 128)? as usize,
        reset_link_ttl: dur("auth.reset_link_ttl", 600, 7 * DAY)?,
        login_attempts_per_minute: int("auth.login_attempts_per_minute", 1, 1000)? as u32,
        token_max_days: int("auth.token_max_days", 1, 3650)? as u32,
        sign_in_link_ttl,
        webhooks: WebhooksConfig {
            allowed_hosts: privacy::list(&get("webhooks.allowed_hosts").0),
            timeout: dur("webhooks.timeout", 1, 60)?,
            retry: crate::domain::outbox::RetryPolicy {
                base_ms: dur("webhooks.retry_base", 1, 3600)?.as_millis() as i64,
                max_attempts: int("webhooks.max_attempts", 1, 20)? as u32,
            },
        },
        email,
        setup_link_ttl: Duration::from_secs(3600),
        log_level,
        log_file: boolean("log.file")?,
        tls,
        redirect_listen,
        jobs,
        backup,
        checkpoint_dir,
        notice: NoticeConfig {
            controller: get("privacy.controller").0.trim().to_owned(),
            contact: get("privacy.contact").0.trim().to_owned(),
            processors: privacy::recipients(&|k| get(k).0.clone()),
        },
        retention,
        privacy,
        tracking: crate::domain::range::Limits::new(
            int("tracking.max_entry_hours", 1, 168)? as u32,
            int("tracking.max_future_days", 0, 3660)? as u32,
        ),
        min_timer_seconds: int("tracking.min_timer_seconds", 0, 3600)? as u32,
        billing: crate::domain::billing::Defaults {
            rounding: crate::domain::billing::Rounding::parse(&get("billing.rounding").0)
                .map_err(|_| bad("billing.rounding"))?,
            alert_percent: int("billing.budget_alert_percent", 1, 100)? as u8,
        },
        portal_shows_rates: boolean("portal.show_rates")?,
        approval: crate::domain::approval::Policy {
            enabled: boolean("approval.enabled")?,
            lock_after_days: int("approval.lock_after_days", 0, 3660)? as u32,
        },
        tickets,
        metrics_token_file: Some(PathBuf::from(get("metrics.token_file").0.trim()))
            .filter(|p| !p.as_os_str().is_empty()),
        effective: vals.into_iter().map(|(k, (v, s))| (k, v, s)).collect(),
    })
}

/// The TLS pair: both keys set, or neither (then the pair `ophiontt tls self-signed` wrote
/// into the data folder, if it is there).
fn tls_files(
    vals: &BTreeMap<&'static str, (String, Source)>,
    data_dir: &Path,
) -> Result<Option<crate::tls::TlsFiles>, String> {
    let (cert, cert_src) = &vals["tls.cert"];
    let (key, key_src) = &vals["tls.key"];
    match (cert.trim(), key.trim()) {
        ("", "") => {
            let made = crate::tls::TlsFiles::in_data_dir(data_dir);
            Ok((made.cert.exists() && made.key.exists()).then_some(made))
        }
        ("", _) => Err(format!(
            "config key `tls.key` is set (from {key_src}) but `tls.cert` is not: give both"
        )),
        (_, "") => Err(format!(
            "config key `tls.cert` is set (from {cert_src}) but `tls.key` is not: give both"
        )),
        (c, k) => Ok(Some(crate::tls::TlsFiles {
            cert: PathBuf::from(c),
            key: PathBuf::from(k),
        })),
    }
}

/// `30s`, `5m`, `12h`, `7d`.
pub fn parse_duration(s: &str) -> Option<Duration> {
    let s = s.trim();
    let (num, unit) = s.split_at(s.find(|c: char| !c.is_ascii_digit())?);
    let n: u64 = num.parse().ok()?;
    let secs = match unit {
        "s" => n,
        "m" => n.checked_mul(60)?,
        "h" => n.checked_mul(3600)?,
        "d" => n.checked_mul(86_400)?,
        _ => return None,
    };
    Some(Duration::from_secs(secs))
}

#[cfg(test)]
mod tests;

/// The admin socket inside a data folder (`<data>/admin.sock`), where the server listens and
/// the CLI connects.
pub fn admin_socket(data_dir: &std::path::Path) -> std::path::PathBuf {
    data_dir.join("admin.sock")
}
