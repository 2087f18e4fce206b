//! `/metrics` in the Prometheus text format: request counts and latencies (kept here, in
//! atomics, by the access-log middleware), store size and record counts, and job outcomes.
//! Served to loopback clients that came through no proxy, or with the bearer token from
//! `metrics.token_file`; refused otherwise.

use std::fmt::Write as _;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use poem::http::{header, StatusCode};
use poem::{Request, Response};
use sha2::{Digest, Sha256};

use super::api::HttpState;
use crate::domain::jobs::Outcome;

const METHODS: [&str; 6] = ["GET", "POST", "PATCH", "PUT", "DELETE", "other"];
const CLASSES: [&str; 5] = ["1xx", "2xx", "3xx", "4xx", "5xx"];
/// Histogram bucket bounds, seconds.
const BUCKETS: [f64; 11] = [
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 5.0,
];

struct Counters {
    requests: [[AtomicU64; 5]; 6],
    buckets: [AtomicU64; 12],
    sum_micros: AtomicU64,
}

static COUNTERS: Counters = Counters {
    requests: [const { [const { AtomicU64::new(0) }; 5] }; 6],
    buckets: [const { AtomicU64::new(0) }; 12],
    sum_micros: AtomicU64::new(0),
};
static STARTED: OnceLock<(Instant, i64)> = OnceLock::new();
static PANICS: AtomicU64 = AtomicU64::new(0);

/// Counts one request whose handler panicked (answered 500 by `middleware::catch_panic`).
pub fn count_panic() {
    PANICS.fetch_add(1, Ordering::Relaxed);
}

/// Requests whose handler panicked since the start.
pub fn panics() -> u64 {
    PANICS.load(Ordering::Relaxed)
}

/// Notes the server's start (for uptime); the first call wins.
pub fn mark_start(now_ms: i64) {
    let _ = STARTED.set((Instant::now(), now_ms));
}

/// Seconds since [`mark_start`], and the start as Unix milliseconds.
pub fn uptime() -> (u64, i64) {
    STARTED
        .get()
        .map(|(at, ms)| (at.elapsed().as_secs(), *ms))
        .unwrap_or((0, 0))
}

/// Counts one answered request.
pub fn observe(method: &str, status: u16, seconds: f64) {
    let m = METHODS.iter().position(|x| *x == method).unwrap_or(5);
    let c = (status / 100).clamp(1, 5) as usize - 1;
    COUNTERS.requests[m][c].fetch_add(1, Ordering::Relaxed);
    let b = BUCKETS
        .iter()
        .position(|le| seconds <= *le)
        .unwrap_or(BUCKETS.len());
    COUNTERS.buckets[b].fetch_add(1, Ordering::Relaxed);
    COUNTERS
        .sum_micros
        .fetch_add((seconds * 1e6) as u64, Ordering::Relaxed);
}

/// Loopback without proxy headers, or the configured bearer token. A presented bearer token
/// becomes a security event (accepted or refused), at most one per client address, outcome and
/// hour, so a scraper every 15 s does not flood the log.
fn allowed(st: &HttpState, req: &Request, token: Option<&str>) -> bool {
    let presented = req
        .headers()
        .get(header::AUTHORIZATION)
        .is_some_and(|v| v.as_bytes().starts_with(b"Bearer "));
    let ok = check(req, token);
    if presented {
        let ip = crate::http::auth::client_ip(req);
        if token_event_due(ip.as_deref().unwrap_or("-"), ok) {
            let actor = crate::http::auth::anonymous(req);
            let svc = st.svc.clone();
            tokio::spawn(async move {
                if let Err(e) = svc.security().record_token_use(&actor, "metrics", ok).await {
                    tracing::warn!(error = %e, "could not record a metrics token use");
                }
            });
        }
    }
    ok
}

/// Whether a token event for (client, outcome) was not yet recorded this hour.
fn token_event_due(ip: &str, ok: bool) -> bool {
    static SEEN: std::sync::Mutex<Option<std::collections::HashMap<(String, bool), Instant>>> =
        std::sync::Mutex::new(None);
    let mut seen = SEEN.lock().unwrap_or_else(|p| p.into_inner());
    let map = seen.get_or_insert_with(Default::default);
    let now = Instant::now();
    map.retain(|_, at| now.duration_since(*at) < Duration::from_secs(3600));
    if map.contains_key(&(ip.to_owned(), ok)) || map.len() > 10_000 {
        return false;
    }
    map.insert((ip.to_owned(), ok), now);
    true
}

fn check(req: &Request, token: Option<&str>) -> bool {
    let loopback = req
        .remote_addr()
        .as_socket_addr()
        .is_some_and(|a| a.ip().is_loopback());
    let proxied = ["x-forwarded-for", "forwarded", "x-real-ip"]
        .iter()
        .any(|h| req.headers().contains_key(*h));
    if loopback && !proxied {
        return true;
    }
    let (Some(want), Some(given)) = (
        token,
        req.headers()
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer ")),
    ) else {
        return false;
    };
    // Compare digests, so the time taken says nothing about the token.
    Sha256::digest(want.trim().as_bytes()) == Sha256::digest(given.trim().as_bytes())
}

pub async fn endpoint(st: &HttpState, token: Option<String>, req: &Request) -> Response {
    if !allowed(st, req, token.as_deref()) {
        return Response::builder()
            .status(StatusCode::FORBIDDEN)
            .content_type("text/plain; charset=utf-8")
            .body("metrics are served to loopback clients, or with the bearer token of metrics.token_file\n");
    }
    Response::builder()
        .content_type("text/plain; version=0.0.4; charset=utf-8")
        .header(header::CACHE_CONTROL, "no-store")
        .body(render(st).await)
}

async fn render(st: &HttpState) -> String {
    let mut o = String::new();
    let (up, _) = uptime();
    let _ = writeln!(o, "# HELP ophiontt_build_info The running version.\n# TYPE ophiontt_build_info gauge\nophiontt_build_info{{version=\"{}\"}} 1", env!("CARGO_PKG_VERSION"));
    let _ = writeln!(o, "# HELP ophiontt_uptime_seconds Seconds since the server started.\n# TYPE ophiontt_uptime_seconds gauge\nophiontt_uptime_seconds {up}");
    let _ = writeln!(o, "# HELP ophiontt_http_requests_total Answered HTTP requests.\n# TYPE ophiontt_http_requests_total counter");
    for (m, row) in METHODS.iter().zip(&COUNTERS.requests) {
        for (c, n) in CLASSES.iter().zip(row) {
            let n = n.load(Ordering::Relaxed);
            if n > 0 {
                let _ = writeln!(
                    o,
                    "ophiontt_http_requests_total{{method=\"{m}\",status=\"{c}\"}} {n}"
                );
            }
        }
    }
    let _ = writeln!(o, "# HELP ophiontt_http_panics_total Requests whose handler panicked (answered 500 internal.error).\n# TYPE ophiontt_http_panics_total counter\nophiontt_http_panics_total {}", panics());
    let _ = writeln!(o, "# HELP ophiontt_http_request_duration_seconds Time to answer a request.\n# TYPE ophiontt_http_request_duration_seconds histogram");
    let mut cumulative = 0;
    for (i, b) in COUNTERS.buckets.iter().enumerate() {
        cumulative += b.load(Ordering::Relaxed);
        let le = BUCKETS.get(i).map_or("+Inf".to_owned(), |v| v.to_string());
        let _ = writeln!(
            o,
            "ophiontt_http_request_duration_seconds_bucket{{le=\"{le}\"}} {cumulative}"
        );
    }
    let sum = COUNTERS.sum_micros.load(Ordering::Relaxed) as f64 / 1e6;
    let _ = writeln!(o, "ophiontt_http_request_duration_seconds_sum {sum}\nophiontt_http_request_duration_seconds_count {cumulative}");
    super::connlimit::write_metrics(&mut o);
    let figures = st.svc.system().figures().await;
    let _ = writeln!(o, "# HELP ophiontt_store_size_bytes Bytes the store occupies on disk.\n# TYPE ophiontt_store_size_bytes gauge\nophiontt_store_size_bytes {}", figures.size_bytes);
    let health = st.svc.system().health();
    let _ = writeln!(o, "# HELP ophiontt_store_healthy 1 while the store can write to disk; 0 while writes are refused after an I/O error (full disk, EIO).\n# TYPE ophiontt_store_healthy gauge\nophiontt_store_healthy {}", u8::from(health.healthy));
    let _ = writeln!(o, "# HELP ophiontt_store_io_failures_total Store writes and flushes that failed with an I/O error.\n# TYPE ophiontt_store_io_failures_total counter\nophiontt_store_io_failures_total {}", health.io_failures);
    let _ = writeln!(o, "# HELP ophiontt_store_recoveries_total Times the store was reopened after an I/O error and returned to service.\n# TYPE ophiontt_store_recoveries_total counter\nophiontt_store_recoveries_total {}", health.recoveries);
    let _ = writeln!(o, "# HELP ophiontt_store_queued_commits_total Transactions the commit queue committed (time entry writes share one while they arrive together).\n# TYPE ophiontt_store_queued_commits_total counter\nophiontt_store_queued_commits_total {}", health.queued_commits);
    let _ = writeln!(o, "# HELP ophiontt_store_queued_changes_total Changes those transactions held: divided by the commits, how many requests shared one.\n# TYPE ophiontt_store_queued_changes_total counter\nophiontt_store_queued_changes_total {}", health.queued_changes);
    let _ = writeln!(o, "# HELP ophiontt_store_records Records per primary tree.\n# TYPE ophiontt_store_records gauge");
    for (tree, n) in figures.counts {
        let _ = writeln!(o, "ophiontt_store_records{{tree=\"{tree}\"}} {n}");
    }
    let _ = writeln!(o, "# HELP ophiontt_job_last_run_timestamp_seconds When a job's latest finished run ended, by outcome.\n# TYPE ophiontt_job_last_run_timestamp_seconds gauge");
    let mut success = String::new();
    for name in st.svc.jobs().names() {
        let runs = st.svc.jobs().recent_runs(name, 100).unwrap_or_default();
        if let Some(r) = runs.iter().find(|r| r.outcome != Outcome::Running) {
            let outcome = match r.outcome {
                Outcome::Ok => "ok",
                Outcome::Failed => "failed",
                Outcome::Skipped => "skipped",
                Outcome::Running => "running",
            };
            let _ = writeln!(o, "ophiontt_job_last_run_timestamp_seconds{{job=\"{name}\",outcome=\"{outcome}\"}} {}", r.ended_ms.unwrap_or(r.started_ms) / 1000);
        }
        if let Some(r) = runs.iter().find(|r| r.outcome == Outcome::Ok) {
            let _ = writeln!(
                success,
                "ophiontt_job_last_success_timestamp_seconds{{job=\"{name}\"}} {}",
                r.ended_ms.unwrap_or(r.started_ms) / 1000
            );
        }
    }
    let _ = writeln!(o, "# HELP ophiontt_job_last_success_timestamp_seconds When a job last succeeded.\n# TYPE ophiontt_job_last_success_timestamp_seconds gauge\n{success}");
    o
}
