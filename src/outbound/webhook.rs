//! Webhook deliveries: one signed HTTP POST per attempt, no redirects followed, bounded in
//! time, only to the hosts `webhooks.allowed_hosts` lists (checked again at every attempt, so
//! removing a host from the config stops deliveries to it).

use std::time::{Duration, Instant};

use super::Sent;
use crate::domain::webhook::{host_allowed, signature};

/// The headers of a delivery.
pub const SIGNATURE_HEADER: &str = "OphionTT-Signature";
pub const EVENT_HEADER: &str = "OphionTT-Event";
pub const DELIVERY_HEADER: &str = "OphionTT-Delivery";

/// Posts deliveries; cheap to clone. The HTTP client, and with it the system's trusted roots,
/// is made on the first delivery, not at start: reading and parsing the roots took a few
/// milliseconds of every start-up, for servers that mostly have no webhooks
/// (docs/performance.md, "Start-up, memory and size").
#[derive(Clone)]
pub struct Poster {
    http: std::sync::Arc<std::sync::OnceLock<Result<reqwest::Client, String>>>,
    timeout: Duration,
    allowed: std::sync::Arc<Vec<String>>,
}

/// One delivery.
pub struct Delivery<'a> {
    pub url: &'a str,
    pub secret: &'a str,
    pub event: &'a str,
    pub id: uuid::Uuid,
    pub body: &'a str,
}

/// The delivery client: `timeout` per attempt, no redirects, the system's roots.
fn client(timeout: Duration) -> Result<reqwest::Client, String> {
    let tls = rustls::ClientConfig::builder_with_provider(crate::tls::provider())
        .with_safe_default_protocol_versions()
        .map_err(|e| e.to_string())?
        .with_root_certificates(system_roots())
        .with_no_client_auth();
    reqwest::Client::builder()
        .use_preconfigured_tls(tls)
        .redirect(reqwest::redirect::Policy::none())
        .timeout(timeout)
        .connect_timeout(timeout)
        .user_agent(concat!("OphionTT-Webhook/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|e| e.to_string())
}

impl Poster {
    /// A poster with `timeout` per attempt, allowed to reach `allowed` hosts.
    pub fn new(timeout: Duration, allowed: Vec<String>) -> Poster {
        Poster {
            http: Default::default(),
            timeout,
            allowed: std::sync::Arc::new(allowed),
        }
    }

    /// Sends one delivery; any 2xx answer is delivered.
    pub async fn post(&self, d: &Delivery<'_>, now_secs: i64) -> (Sent, u64) {
        let started = Instant::now();
        let authority = d
            .url
            .split_once("://")
            .map(|(_, r)| r.split(['/', '?']).next().unwrap_or(""))
            .unwrap_or("");
        if !host_allowed(authority, &self.allowed) {
            let sent = Sent {
                ok: false,
                status: None,
                error: Some(format!(
                    "{authority} is no longer in webhooks.allowed_hosts"
                )),
                permanent: false,
            };
            return (sent, 0);
        }
        let http = match self.http.get_or_init(|| client(self.timeout)) {
            Ok(http) => http,
            Err(e) => {
                let sent = Sent {
                    ok: false,
                    status: None,
                    error: Some(format!("cannot make the HTTP client: {e}")),
                    permanent: false,
                };
                return (sent, 0);
            }
        };
        let r = http
            .post(d.url)
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .header(
                SIGNATURE_HEADER,
                signature(d.secret, now_secs, d.body.as_bytes()),
            )
            .header(EVENT_HEADER, d.event)
            .header(DELIVERY_HEADER, d.id.to_string())
            .body(d.body.to_owned())
            .send()
            .await;
        let millis = started.elapsed().as_millis() as u64;
        let sent = match r {
            Ok(resp) if resp.status().is_success() => Sent {
                ok: true,
                status: Some(resp.status().as_u16()),
                error: None,
                permanent: false,
            },
            Ok(resp) => Sent {
                ok: false,
                status: Some(resp.status().as_u16()),
                error: Some(format!("the receiver answered {}", resp.status())),
                permanent: false,
            },
            Err(e) => Sent {
                ok: false,
                status: None,
                error: Some(describe(e)),
                permanent: false,
            },
        };
        (sent, millis)
    }
}

/// Why a request failed, in words (never the URL's query, which may carry a secret).
fn describe(e: reqwest::Error) -> String {
    if e.is_timeout() {
        "timed out".into()
    } else if e.is_connect() {
        "could not connect".into()
    } else {
        let mut msg = e.without_url().to_string();
        msg.truncate(200);
        msg
    }
}

/// The system's trusted roots (an empty store when none can be read: HTTPS then fails
/// clearly, HTTP still works).
fn system_roots() -> rustls::RootCertStore {
    let mut roots = rustls::RootCertStore::empty();
    for cert in rustls_native_certs::load_native_certs().certs {
        let _ = roots.add(cert);
    }
    roots
}
