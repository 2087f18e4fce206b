//! The terminal client's HTTP: requests to a running server's `/api/v1` with a personal API
//! token (or, for `login` only, the session cookie it just got), and every way one can fail
//! turned into one message that says what to do, with the exit code it earns. The token never
//! appears in a message, a `Debug` or a log line.

use std::path::Path;
use std::time::Duration;

use reqwest::{Method, StatusCode};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::CertificateDer;
use serde_json::Value;

use crate::domain::codes;

/// Exit codes of the terminal client (docs/integrations.md): 0 done; 1 the server refused
/// (a token that expired or was revoked, a line that does not parse, no timer running …);
/// 2 a usage or local problem (flags, no stored credentials, an unsafe credentials file);
/// 3 the server could not be reached or failed (connection, TLS, time-out, 5xx).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Refused = 1,
    Usage = 2,
    Unreachable = 3,
}

/// A failure of a terminal command: what to print and how to exit.
#[derive(Debug)]
pub struct ClientError {
    pub kind: Kind,
    pub message: String,
}

impl ClientError {
    pub fn usage(message: impl Into<String>) -> Self {
        Self {
            kind: Kind::Usage,
            message: message.into(),
        }
    }
    pub fn refused(message: impl Into<String>) -> Self {
        Self {
            kind: Kind::Refused,
            message: message.into(),
        }
    }
    fn unreachable(message: impl Into<String>) -> Self {
        Self {
            kind: Kind::Unreachable,
            message: message.into(),
        }
    }
}

pub type Result<T> = std::result::Result<T, ClientError>;

/// Runs a terminal command on a small runtime of its own; prints its failure once, prefixed
/// `ophiontt: `, and exits with the failure's [`Kind`].
pub fn block_on(f: impl std::future::Future<Output = Result<()>>) -> std::process::ExitCode {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build();
    let outcome = match rt {
        Ok(rt) => rt.block_on(f),
        Err(e) => Err(ClientError::usage(format!(
            "cannot start the async runtime: {e}"
        ))),
    };
    match outcome {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("ophiontt: {}", e.message);
            std::process::ExitCode::from(e.kind as u8)
        }
    }
}

/// A personal API token. Its `Debug` hides it, so no diagnostic can print it.
#[derive(Clone, PartialEq, Eq)]
pub struct Token(String);

impl Token {
    pub fn new(s: &str) -> Option<Token> {
        let s = s.trim();
        (!s.is_empty()).then(|| Token(s.to_owned()))
    }
    /// The secret, for the `Authorization` header and the credentials file only.
    pub fn secret(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Token {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Token(hidden)")
    }
}

impl std::str::FromStr for Token {
    type Err = String;
    fn from_str(s: &str) -> std::result::Result<Token, String> {
        Token::new(s).ok_or_else(|| "the token is empty".to_owned())
    }
}

/// A server's base URL as the client keeps it: scheme and host (and port), no trailing slash.
/// A bare host means HTTPS.
pub fn normalize_url(raw: &str) -> Result<String> {
    let raw = raw.trim();
    let with_scheme = if raw.contains("://") {
        raw.to_owned()
    } else {
        format!("https://{raw}")
    };
    let url = reqwest::Url::parse(&with_scheme).map_err(|e| {
        ClientError::usage(format!(
            "{raw:?} is not a server URL ({e}); give one like https://time.example.com"
        ))
    })?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
        return Err(ClientError::usage(format!(
            "{raw:?} is not a server URL; give one like https://time.example.com"
        )));
    }
    if url.query().is_some() || !url.username().is_empty() || url.password().is_some() {
        return Err(ClientError::usage(format!(
            "give the server URL without a query or credentials, like {}://{}",
            url.scheme(),
            url.host_str().unwrap_or("time.example.com")
        )));
    }
    Ok(url.as_str().trim_end_matches('/').to_owned())
}

/// Whether `base` sends the token in the clear to another machine.
pub fn plain_http_elsewhere(base: &str) -> bool {
    let Ok(url) = reqwest::Url::parse(base) else {
        return false;
    };
    let host = url.host_str().unwrap_or("");
    let host = host.trim_start_matches('[').trim_end_matches(']');
    let loopback = host == "localhost"
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback());
    url.scheme() == "http" && !loopback
}

/// How a request proves who sends it.
pub enum Auth<'a> {
    Bearer(&'a Token),
    /// The session cookie (`name=value`), during `login` only.
    Cookie(&'a str),
    None,
}

/// An answer that succeeded: the JSON body (Null when empty) and headers.
pub struct Answer {
    pub body: Value,
    pub headers: reqwest::header::HeaderMap,
}

/// A connection to one server.
pub struct Remote {
    pub base: String,
    http: reqwest::Client,
}

impl Remote {
    /// A client for `base` (see [`normalize_url`]) that trusts the system's certificates, or
    /// only those in the PEM file `ca`.
    pub fn new(base: &str, ca: Option<&Path>) -> Result<Remote> {
        let tls = tls_config(ca)?;
        let http = reqwest::Client::builder()
            .use_preconfigured_tls(tls)
            .user_agent(concat!("ophiontt-terminal/", env!("CARGO_PKG_VERSION")))
            .connect_timeout(Duration::from_secs(10))
            .timeout(Duration::from_secs(30))
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| ClientError::usage(format!("cannot set up the HTTP client: {e}")))?;
        Ok(Remote {
            base: base.to_owned(),
            http,
        })
    }

    /// Sends `method path` (under the base URL) with an optional JSON body; a 2xx is the
    /// answer, anything else the error that explains it.
    pub async fn call(
        &self,
        method: Method,
        path: &str,
        auth: Auth<'_>,
        body: Option<Value>,
    ) -> Result<Answer> {
        let url = format!("{}{path}", self.base);
        let mut rb = self
            .http
            .request(method, &url)
            .header("accept", "application/json");
        rb = match auth {
            Auth::Bearer(t) => rb.bearer_auth(t.secret()),
            Auth::Cookie(c) => rb.header("cookie", c),
            Auth::None => rb,
        };
        if let Some(b) = body {
            rb = rb.json(&b);
        }
        let resp = rb.send().await.map_err(|e| unreachable(&self.base, &e))?;
        let status = resp.status();
        let headers = resp.headers().clone();
        let bytes = resp
            .bytes()
            .await
            .map_err(|e| unreachable(&self.base, &e))?;
        let body: Option<Value> = serde_json::from_slice(&bytes).ok();
        if status.is_success() {
            return Ok(Answer {
                body: body.unwrap_or(Value::Null),
                headers,
            });
        }
        Err(refusal(&self.base, status, body.as_ref(), &headers))
    }
}

/// rustls on the server's provider, trusting `ca` alone when given, else the system store.
fn tls_config(ca: Option<&Path>) -> Result<rustls::ClientConfig> {
    let mut roots = rustls::RootCertStore::empty();
    match ca {
        Some(path) => {
            let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(path)
                .and_then(|it| it.collect())
                .map_err(|e| {
                    ClientError::usage(format!(
                        "cannot read the CA certificate {}: {e}",
                        path.display()
                    ))
                })?;
            if certs.is_empty() {
                return Err(ClientError::usage(format!(
                    "{} holds no PEM certificate (-----BEGIN CERTIFICATE-----)",
                    path.display()
                )));
            }
            let (_, bad) = roots.add_parsable_certificates(certs);
            if roots.is_empty() {
                return Err(ClientError::usage(format!(
                    "{} holds {bad} certificate(s) and none is usable as a CA",
                    path.display()
                )));
            }
        }
        None => {
            // Unreadable system certificates only matter for an HTTPS server, where the
            // handshake then fails and says so.
            let found = rustls_native_certs::load_native_certs();
            roots.add_parsable_certificates(found.certs);
        }
    }
    rustls::ClientConfig::builder_with_provider(crate::tls::provider())
        .with_safe_default_protocol_versions()
        .map(|b| b.with_root_certificates(roots).with_no_client_auth())
        .map_err(|e| ClientError::usage(format!("cannot set up TLS: {e}")))
}

/// Why a request got no answer, from the error's cause chain.
fn unreachable(base: &str, e: &reqwest::Error) -> ClientError {
    let mut chain = Vec::new();
    let mut src: Option<&dyn std::error::Error> = Some(e);
    let mut io_kind = None;
    let mut tls = None;
    while let Some(s) = src {
        if let Some(io) = s.downcast_ref::<std::io::Error>() {
            io_kind.get_or_insert(io.kind());
            // An io::Error's `source` skips the error it wraps: look at that one too.
            if let Some(t) = io.get_ref().and_then(|i| i.downcast_ref::<rustls::Error>()) {
                tls.get_or_insert_with(|| t.to_string());
            }
        }
        if let Some(t) = s.downcast_ref::<rustls::Error>() {
            tls.get_or_insert_with(|| t.to_string());
        }
        chain.push(s.to_string());
        src = s.source();
    }
    // hyper's connector may hand the handshake's error over as text only.
    if tls.is_none() {
        tls = chain
            .iter()
            .find(|c| c.contains("certificate") || c.contains("handshake"))
            .map(|c| c.rsplit("): ").next().unwrap_or(c).to_owned());
    }
    if let Some(t) = tls {
        return ClientError::unreachable(format!(
            "TLS with {base} failed: {t}; if the server has a certificate from a private CA or \
             a self-signed one, give that CA's certificate with --ca FILE (or OPHIONTT_CA)"
        ));
    }
    if e.is_timeout() || io_kind == Some(std::io::ErrorKind::TimedOut) {
        return ClientError::unreachable(format!(
            "{base} did not answer in time; check the URL, the network and that the server runs"
        ));
    }
    if io_kind == Some(std::io::ErrorKind::ConnectionRefused) {
        return ClientError::unreachable(format!(
            "cannot reach {base}: connection refused; is the server running, and is the URL \
             (and its port) right?"
        ));
    }
    let text = chain.last().cloned().unwrap_or_default();
    if text.contains("dns error") || chain.iter().any(|c| c.contains("failed to lookup")) {
        return ClientError::unreachable(format!(
            "cannot reach {base}: its host name does not resolve ({text})"
        ));
    }
    let what = if e.is_connect() {
        "cannot connect to"
    } else {
        "lost the connection to"
    };
    ClientError::unreachable(format!("{what} {base}: {}", chain.join(": ")))
}

/// What a non-2xx answer means to the person at the terminal.
fn refusal(
    base: &str,
    status: StatusCode,
    body: Option<&Value>,
    headers: &reqwest::header::HeaderMap,
) -> ClientError {
    let Some(problem) = body.filter(|b| b["code"].is_string()) else {
        let msg = format!(
            "{base} answered {status} without an OphionTT problem document; is it an OphionTT \
             server (and the URL its base, without a path)?"
        );
        return if status.is_server_error() {
            ClientError::unreachable(msg)
        } else {
            ClientError::refused(msg)
        };
    };
    let code = problem["code"].as_str().unwrap_or_default();
    let detail = problem["detail"]
        .as_str()
        .or(problem["title"].as_str())
        .unwrap_or("");
    let login = "run `ophiontt login` for a new one (or store one made in the web UI with \
                 `ophiontt login --token-stdin`)";
    let message = match code {
        c if c == codes::AUTH_TOKEN_EXPIRED => format!("the API token has expired; {login}"),
        c if c == codes::AUTH_TOKEN_REVOKED => format!("the API token was revoked; {login}"),
        c if c == codes::AUTH_TOKEN_INVALID => {
            format!("{base} does not know this API token (mistyped, or another server's); {login}")
        }
        c if c == codes::AUTH_REQUIRED => format!("{base} wants a token or a session; {login}"),
        c if c == codes::AUTH_TOKEN_SCOPE => {
            format!("the API token's scopes do not allow this (the timer needs `write`); {login}")
        }
        c if c == codes::AUTH_ACCOUNT_DISABLED => {
            "your account is disabled; ask an admin of the server".to_owned()
        }
        c if c == codes::AUTH_INVALID_CREDENTIALS => "wrong email or password".to_owned(),
        c if c == codes::AUTH_RATE_LIMITED => {
            let wait = headers
                .get("retry-after")
                .and_then(|v| v.to_str().ok())
                .unwrap_or("a few");
            format!("too many attempts; wait {wait} seconds and try again")
        }
        c if c == codes::TIMER_NOT_RUNNING => "no timer is running".to_owned(),
        c if c == codes::VALIDATION_FAILED || c == codes::ENTRY_NEEDS_CONFIRMATION => {
            let items: Vec<String> = problem["errors"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|e| {
                    let msg = e["message"].as_str().unwrap_or("");
                    let field_code = e["code"].as_str().unwrap_or("");
                    match e["field"].as_str() {
                        Some("text") | None => format!("{msg} ({field_code})"),
                        Some(f) => format!("{f}: {msg} ({field_code})"),
                    }
                })
                .collect();
            let mut m = if items.is_empty() {
                detail.to_owned()
            } else {
                items.join("; ")
            };
            if c == codes::ENTRY_NEEDS_CONFIRMATION {
                m.push_str("; add --confirm to keep it");
            }
            m
        }
        _ if status.is_server_error() => {
            let trace = problem["trace_id"].as_str().unwrap_or("none");
            return ClientError::unreachable(format!(
                "{base} failed ({status}, {code}): {detail}; the server log has the details \
                 under trace id {trace}"
            ));
        }
        _ => format!("{detail} ({code})"),
    };
    ClientError::refused(message)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_kept_as_scheme_and_host_without_a_trailing_slash() {
        assert_eq!(
            normalize_url("time.example.com").unwrap(),
            "https://time.example.com"
        );
        assert_eq!(
            normalize_url("http://127.0.0.1:8080/").unwrap(),
            "http://127.0.0.1:8080"
        );
        assert_eq!(normalize_url("ftp://x").unwrap_err().kind, Kind::Usage);
        assert!(normalize_url("https://u:p@x").is_err());
        assert!(plain_http_elsewhere("http://time.example.com"));
        assert!(!plain_http_elsewhere("http://127.0.0.1:1"));
        assert!(!plain_http_elsewhere("http://localhost:1"));
        assert!(!plain_http_elsewhere("https://time.example.com"));
    }

    #[test]
    fn a_token_never_shows_in_debug_output() {
        let t: Token = "ott_secret".parse().unwrap();
        assert_eq!(format!("{t:?}"), "Token(hidden)");
        assert!("  ".parse::<Token>().is_err());
    }

    #[test]
    fn refusals_say_what_to_do() {
        let h = reqwest::header::HeaderMap::new();
        let p = |code: &str| serde_json::json!({ "code": code, "detail": "d" });
        let e = refusal(
            "https://x",
            StatusCode::UNAUTHORIZED,
            Some(&p(codes::AUTH_TOKEN_EXPIRED)),
            &h,
        );
        assert_eq!(e.kind, Kind::Refused);
        assert!(e.message.contains("expired") && e.message.contains("ophiontt login"));
        let e = refusal(
            "https://x",
            StatusCode::INTERNAL_SERVER_ERROR,
            Some(&p(codes::INTERNAL_ERROR)),
            &h,
        );
        assert_eq!(e.kind, Kind::Unreachable);
        let e = refusal("https://x", StatusCode::BAD_GATEWAY, None, &h);
        assert_eq!(e.kind, Kind::Unreachable);
        let bad_line = serde_json::json!({ "code": codes::VALIDATION_FAILED, "errors": [
            { "field": "text", "code": "quick.unknown_project", "message": "`x/y`: none" } ] });
        let e = refusal(
            "https://x",
            StatusCode::UNPROCESSABLE_ENTITY,
            Some(&bad_line),
            &h,
        );
        assert_eq!(e.message, "`x/y`: none (quick.unknown_project)");
    }
}
