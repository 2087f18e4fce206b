//! Connection limits for the HTTP listeners: our own accept-and-serve loop over hyper (the
//! server poem's `Server` runs on too), because poem 3.1 has no header-read timeout and no
//! connection cap, and its idle timeout counts a client trickling one byte a second as busy.
//!
//! A watchdog on each connection closes it when
//! - its request headers are not complete `header_read_timeout` after the connection opened
//!   (TLS handshake included), or after the first byte of a later request arrived;
//! - no request is in flight and nothing was read or written for `idle_timeout` (a keep-alive
//!   connection waiting for its next request);
//! - a write has been blocked for `idle_timeout` (a client that stopped reading its response).
//!
//! A handler waiting `idle_timeout` for more of a request body gets a read error instead
//! (a client trickling its body). On HTTP/2, bytes between requests are frames (PING,
//! WINDOW_UPDATE), so only the idle timeout applies there, and its close sends a GOAWAY.
//!
//! A request in flight is never timed out while its response is computed or flows, so a long
//! report or a big download is not cut. At most `max_connections` are open at once; past that
//! a plain-HTTP client gets a canned 503 problem (`server.too_many_connections`,
//! `Connection: close`, `Retry-After: 1`), and a TLS client is closed at once (answering it
//! would first cost a handshake, the expensive part of an overload). An HTTP/1 connection is
//! closed (`Connection: close`) after `max_requests_per_connection` requests.

use std::convert::Infallible;
use std::future::Future;
use std::io;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use hyper_util::rt::{TokioExecutor, TokioIo};
use hyper_util::server::conn::auto;
use poem::endpoint::BoxEndpoint;
use poem::http::uri::Scheme;
use poem::http::{header, HeaderValue, Version};
use poem::listener::Acceptor;
use poem::web::{LocalAddr, RemoteAddr};
use poem::{Endpoint, EndpointExt, Response};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::sync::{watch, Semaphore};
use tokio::time::Instant;

mod deadlines;
use crate::domain::codes;
use deadlines::{body_deadline, watchdog, Closed, InFlight, Shared, Tracked, Watched};

/// The limits of one listener.
#[derive(Debug, Clone)]
pub struct ConnLimits {
    pub header_read_timeout: Duration,
    pub idle_timeout: Duration,
    pub max_connections: usize,
    pub max_requests_per_connection: u64,
}

/// Open files kept free for the store, logs, backups, the admin socket and refusals.
const FD_HEADROOM: u64 = 256;
/// The largest automatic cap (an idle connection costs a task and ~20 KiB of buffers).
const AUTO_MAX: u64 = 8192;
/// Refused plain-HTTP connections answered at once; past that, refused ones are just closed.
const REFUSALS_AT_ONCE: usize = 32;
/// How long answering a refused connection may take.
const REFUSAL_TIME: Duration = Duration::from_secs(2);
/// After a timeout, how long a graceful close (HTTP/2 GOAWAY) may take before the drop.
const CLOSE_GRACE: Duration = Duration::from_secs(1);
/// Pause after an accept error such as EMFILE, so the loop does not spin.
const ACCEPT_BACKOFF: Duration = Duration::from_millis(100);

/// The process's open-file limit (soft), from /proc; `None` when it cannot be read.
pub fn open_file_limit() -> Option<u64> {
    let limits = std::fs::read_to_string("/proc/self/limits").ok()?;
    let line = limits.lines().find(|l| l.starts_with("Max open files"))?;
    match line["Max open files".len()..].split_whitespace().next()? {
        "unlimited" => Some(u64::MAX),
        n => n.parse().ok(),
    }
}

/// The connection cap: `requested`, or (`None`) the open-file limit less a headroom, at most
/// 8192. `Err(limit)` when `requested` leaves fewer than 64 files of `limit` for the rest.
pub fn max_connections(requested: Option<u64>, files: Option<u64>) -> Result<usize, u64> {
    let files = files.unwrap_or(1024);
    let n = match requested {
        None => files.saturating_sub(FD_HEADROOM).clamp(32, AUTO_MAX),
        Some(n) if n.saturating_add(64) > files => return Err(files),
        Some(n) => n,
    };
    Ok(usize::try_from(n).unwrap_or(usize::MAX))
}

const REASONS: [&str; 4] = [
    "header_timeout",
    "idle_timeout",
    "write_stalled",
    "body_stalled",
];

struct Stats {
    open: AtomicU64,
    max: AtomicU64,
    refused: AtomicU64,
    closed: [AtomicU64; 4],
}

static STATS: Stats = Stats {
    open: AtomicU64::new(0),
    max: AtomicU64::new(0),
    refused: AtomicU64::new(0),
    closed: [const { AtomicU64::new(0) }; 4],
};

/// The connection metrics, in the Prometheus text format.
pub fn write_metrics(o: &mut String) {
    use std::fmt::Write as _;
    let l = |a: &AtomicU64| a.load(Ordering::Relaxed);
    let _ = writeln!(o, "# HELP ophiontt_http_connections_open Open HTTP connections.\n# TYPE ophiontt_http_connections_open gauge\nophiontt_http_connections_open {}", l(&STATS.open));
    let _ = writeln!(o, "# HELP ophiontt_http_connections_max The cap on open HTTP connections (server.max_connections).\n# TYPE ophiontt_http_connections_max gauge\nophiontt_http_connections_max {}", l(&STATS.max));
    let _ = writeln!(o, "# HELP ophiontt_http_connections_refused_total Connections refused at the cap.\n# TYPE ophiontt_http_connections_refused_total counter\nophiontt_http_connections_refused_total {}", l(&STATS.refused));
    let _ = writeln!(o, "# HELP ophiontt_http_connections_timed_out_total Connections the server closed, by reason.\n# TYPE ophiontt_http_connections_timed_out_total counter");
    for (reason, n) in REASONS.iter().zip(&STATS.closed) {
        let _ = writeln!(
            o,
            "ophiontt_http_connections_timed_out_total{{reason=\"{reason}\"}} {}",
            l(n)
        );
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Stop {
    Running,
    Graceful,
    Abort,
}

type Ep = Arc<BoxEndpoint<'static, Response>>;

/// Serves `ep` on `acceptor` within `limits` until `shutdown` resolves, then lets open
/// connections finish for up to `grace`.
pub async fn serve<A: Acceptor>(
    mut acceptor: A,
    ep: impl Endpoint + 'static,
    limits: ConnLimits,
    shutdown: impl Future<Output = ()> + Send,
    grace: Duration,
) -> io::Result<()> {
    let ep: Ep = Arc::new(ep.map_to_response().boxed());
    let max = limits
        .max_connections
        .clamp(1, Semaphore::MAX_PERMITS.min(u32::MAX as usize));
    let permits = Arc::new(Semaphore::new(max));
    let refusals = Arc::new(Semaphore::new(REFUSALS_AT_ONCE));
    let limits = Arc::new(limits);
    let (stop_tx, stop_rx) = watch::channel(Stop::Running);
    STATS.max.fetch_add(max as u64, Ordering::Relaxed);
    for addr in acceptor.local_addr() {
        tracing::info!(addr = %addr, max_connections = max, "listening");
    }
    tokio::pin!(shutdown);
    loop {
        let accepted = tokio::select! {
            _ = &mut shutdown => break,
            r = acceptor.accept() => r,
        };
        let (io, local, remote, scheme) = match accepted {
            Ok(c) => c,
            Err(e) => {
                accept_failed(&e);
                tokio::time::sleep(ACCEPT_BACKOFF).await;
                continue;
            }
        };
        match permits.clone().try_acquire_owned() {
            Ok(permit) => {
                let conn = connection(
                    io,
                    local,
                    remote,
                    scheme,
                    ep.clone(),
                    limits.clone(),
                    stop_rx.clone(),
                );
                let open = Open::new(permit);
                tokio::spawn(async move {
                    conn.await;
                    drop(open);
                });
            }
            Err(_) => refuse(io, &scheme, &refusals),
        }
    }
    let _ = stop_tx.send(Stop::Graceful);
    drop(acceptor);
    let all = u32::try_from(max).unwrap_or(u32::MAX);
    if tokio::time::timeout(grace, permits.acquire_many(all))
        .await
        .is_err()
    {
        tracing::warn!(
            open = max - permits.available_permits(),
            "shutdown grace elapsed: closing the connections still open"
        );
        let _ = stop_tx.send(Stop::Abort);
        let _ = tokio::time::timeout(CLOSE_GRACE, permits.acquire_many(all)).await;
    }
    STATS.max.fetch_sub(max as u64, Ordering::Relaxed);
    Ok(())
}

/// An open connection's slot, counted in the gauge (also when its task panics).
struct Open {
    _permit: tokio::sync::OwnedSemaphorePermit,
}

impl Open {
    fn new(permit: tokio::sync::OwnedSemaphorePermit) -> Open {
        STATS.open.fetch_add(1, Ordering::Relaxed);
        Open { _permit: permit }
    }
}

impl Drop for Open {
    fn drop(&mut self) {
        STATS.open.fetch_sub(1, Ordering::Relaxed);
    }
}

/// Logs an accept error (EMFILE and the like), at most once every 10 s.
fn accept_failed(e: &io::Error) {
    static LAST: Mutex<Option<std::time::Instant>> = Mutex::new(None);
    let mut last = LAST.lock().unwrap_or_else(|p| p.into_inner());
    if last.is_none_or(|t| t.elapsed() >= Duration::from_secs(10)) {
        *last = Some(std::time::Instant::now());
        tracing::warn!(error = %e, "accepting a connection failed; retrying");
    }
}

/// The answer to a connection past the cap.
fn refusal() -> Vec<u8> {
    let code = codes::SERVER_TOO_MANY_CONNECTIONS;
    let body = format!(
        r#"{{"type":"https://ophiontt.invalid/problems/{code}","title":"Too many open connections","status":503,"code":"{code}","detail":"the server is at its connection limit; try again shortly","retry_after":1}}"#
    );
    format!(
        "HTTP/1.1 503 Service Unavailable\r\ncontent-type: application/problem+json\r\ncontent-length: {}\r\nconnection: close\r\nretry-after: 1\r\ncache-control: no-store\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

/// Refuses a connection past the cap: a canned 503 for plain HTTP while few refusals are in
/// progress, else closes it at once.
fn refuse<I>(mut io: I, scheme: &Scheme, slots: &Arc<Semaphore>)
where
    I: AsyncRead + AsyncWrite + Send + Unpin + 'static,
{
    STATS.refused.fetch_add(1, Ordering::Relaxed);
    let slot = match slots.clone().try_acquire_owned() {
        Ok(slot) if *scheme == Scheme::HTTP => slot,
        _ => return,
    };
    tokio::spawn(async move {
        let _slot = slot;
        let _ = tokio::time::timeout(REFUSAL_TIME, async {
            io.write_all(&refusal()).await?;
            io.shutdown().await?;
            // Read what the client sent, so closing does not reset the connection before
            // the client has read the answer.
            let mut buf = [0u8; 4096];
            let mut seen = 0;
            while seen < 64 * 1024 {
                match io.read(&mut buf).await? {
                    0 => break,
                    n => seen += n,
                }
            }
            Ok::<_, io::Error>(())
        })
        .await;
    });
}

async fn connection<I>(
    io: I,
    local: LocalAddr,
    remote: RemoteAddr,
    scheme: Scheme,
    ep: Ep,
    limits: Arc<ConnLimits>,
    mut stop: watch::Receiver<Stop>,
) where
    I: AsyncRead + AsyncWrite + Send + Unpin + 'static,
{
    let shared = Shared::new(Instant::now());
    let max_requests = limits.max_requests_per_connection;
    let idle = limits.idle_timeout;
    let service = hyper::service::service_fn({
        let shared = shared.clone();
        let remote = remote.clone();
        move |req: hyper::Request<hyper::body::Incoming>| {
            let (request, served) = InFlight::start(&shared, req.version() == Version::HTTP_2);
            let close = served >= max_requests
                && matches!(req.version(), Version::HTTP_10 | Version::HTTP_11);
            let mut req: poem::Request =
                (req, local.clone(), remote.clone(), scheme.clone()).into();
            body_deadline(&mut req, idle);
            let ep = ep.clone();
            async move {
                let mut resp: hyper::Response<_> = ep.get_response(req).await.into();
                if close {
                    resp.headers_mut()
                        .insert(header::CONNECTION, HeaderValue::from_static("close"));
                }
                Ok::<_, Infallible>(resp.map(|body| Tracked {
                    body,
                    _request: request,
                }))
            }
        }
    });
    let mut builder = auto::Builder::new(TokioExecutor::new());
    builder
        .http2()
        .max_pending_accept_reset_streams(20)
        .max_header_list_size(16384);
    let io = TokioIo::new(Watched {
        io,
        shared: shared.clone(),
    });
    let conn = builder.serve_connection_with_upgrades(io, service);
    tokio::pin!(conn);
    let watchdog = watchdog(&shared, &limits);
    tokio::pin!(watchdog);
    let mut stopping = false;
    loop {
        tokio::select! {
            _ = conn.as_mut() => return,
            reason = &mut watchdog => {
                STATS.closed[reason as usize].fetch_add(1, Ordering::Relaxed);
                tracing::debug!(remote = %remote, reason = REASONS[reason as usize], "closing connection");
                // Idle: a graceful close (HTTP/2 says GOAWAY; HTTP/1 closes at once). A
                // half-sent head or a stalled write has nothing to finish: dropped now.
                if reason == Closed::IdleTimeout {
                    conn.as_mut().graceful_shutdown();
                    let _ = tokio::time::timeout(CLOSE_GRACE, conn.as_mut()).await;
                }
                return;
            }
            changed = stop.changed() => {
                if changed.is_err() || *stop.borrow() == Stop::Abort {
                    return;
                }
                if !stopping {
                    stopping = true;
                    conn.as_mut().graceful_shutdown();
                }
            }
        }
    }
}

#[cfg(test)]
mod tests;
