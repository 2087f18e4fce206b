//! Cross-cutting request handling, outermost first: access log with a trace id, security headers,
//! turning every error into problem+json, refusing cross-site unsafe requests, bounding bodies,
//! turning a handler's panic into a 500 problem.

use std::time::Instant;

use poem::http::{header, HeaderValue, Method, StatusCode};
use poem::{Body, Endpoint, IntoResponse, Request, Response};
use rand::RngCore;

use super::problem::{by_status, from_poem_error, problem, Problem};
use crate::domain::codes;

/// The request's trace id, also returned in 5xx problems.
#[derive(Clone)]
pub struct TraceId(pub String);

/// One access line per request: method, path, status, latency and trace id. Never the query
/// string, cookies or bodies, so no token or password can reach the log.
pub async fn access_log<E: Endpoint>(ep: E, mut req: Request) -> poem::Result<Response> {
    let mut b = [0u8; 8];
    rand::rng().fill_bytes(&mut b);
    let trace = hex::encode(b);
    req.extensions_mut().insert(TraceId(trace.clone()));
    let (method, path) = (req.method().clone(), loggable(req.uri().path()));
    let started = Instant::now();
    let span = tracing::info_span!("request", trace_id = %trace);
    let resp = tracing::Instrument::instrument(ep.get_response(req), span).await;
    let status = resp.status().as_u16();
    let latency_ms = started.elapsed().as_secs_f64() * 1000.0;
    super::metrics::observe(method.as_str(), status, latency_ms / 1000.0);
    tracing::info!(%method, %path, status, latency_ms = format_args!("{latency_ms:.1}"), trace_id = %trace, "request");
    Ok(resp)
}

/// A path as the access log shows it: a calendar feed's secret (in its path) becomes `…`.
fn loggable(path: &str) -> String {
    const FEED: &str = "/api/v1/calendar/";
    match path.strip_prefix(FEED) {
        Some(rest) if !rest.is_empty() => format!("{FEED}…"),
        _ => path.to_owned(),
    }
}

/// The policy of every page, the API docs' included: this host only, and inline only the web
/// UI's import map, by its hash (`assets::catalog`). The API docs page (Swagger UI) runs its
/// scripts from files and needs nothing more.
static APP_CSP: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    format!(
        "default-src 'self'; script-src 'self' {}; img-src 'self' data:; frame-ancestors 'none'; \
         base-uri 'none'; form-action 'self'; object-src 'none'",
        super::assets::catalog().script_hash
    )
});

/// Security headers on every response.
pub fn security_headers(
    https: bool,
) -> impl Fn(&str, &mut Response) + Send + Sync + Clone + 'static {
    move |path, resp| {
        let h = resp.headers_mut();
        if https {
            // Browsers come back over HTTPS only, for a year.
            h.insert(
                header::STRICT_TRANSPORT_SECURITY,
                HeaderValue::from_static("max-age=31536000"),
            );
        }
        let csp = APP_CSP.as_str();
        h.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_str(csp).expect("CSP is ASCII"),
        );
        h.insert(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        );
        h.insert(
            header::REFERRER_POLICY,
            HeaderValue::from_static("no-referrer"),
        );
        h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
        h.insert(
            "cross-origin-opener-policy",
            HeaderValue::from_static("same-origin"),
        );
        h.insert(
            "cross-origin-resource-policy",
            HeaderValue::from_static("same-origin"),
        );
        h.insert(
            "permissions-policy",
            HeaderValue::from_static(
                "camera=(), microphone=(), geolocation=(), interest-cohort=()",
            ),
        );
        if path.starts_with("/api/") && !h.contains_key(header::CACHE_CONTROL) {
            h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        }
    }
}

/// Turns every error, and every bare 4xx/5xx, into problem+json with `instance` and `trace_id`.
pub async fn problems<E: Endpoint>(ep: E, req: Request) -> poem::Result<Response> {
    let trace = req.extensions().get::<TraceId>().map(|t| t.0.clone());
    let path = req.uri().path().to_owned();
    let resp = match ep.call(req).await {
        Ok(r) => r.into_response(),
        Err(e) => {
            let is_problem = |r: &Response| {
                r.headers()
                    .get(header::CONTENT_TYPE)
                    .is_some_and(|v| v.as_bytes().starts_with(b"application/problem+json"))
            };
            let p = from_poem_error(&e);
            let r = e.into_response();
            if is_problem(&r) {
                r
            } else {
                render(p)
            }
        }
    };
    let status = resp.status();
    if !status.is_client_error() && !status.is_server_error() {
        return Ok(resp);
    }
    let is_problem = resp
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"application/problem+json"));
    let (parts, body) = resp.into_parts();
    let mut value: serde_json::Value = if is_problem {
        let bytes = body.into_bytes().await.unwrap_or_default();
        serde_json::from_slice(&bytes)
            .unwrap_or_else(|_| problem_json(problem(status, by_status(status), None)))
    } else {
        problem_json(problem(status, by_status(status), None))
    };
    if let Some(obj) = value.as_object_mut() {
        obj.insert("instance".into(), path.into());
        if status.is_server_error() {
            if let Some(t) = trace {
                obj.insert("trace_id".into(), t.into());
            }
        }
    }
    let mut out = Response::from_parts(
        parts,
        Body::from_vec(serde_json::to_vec(&value).unwrap_or_default()),
    );
    out.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/problem+json"),
    );
    out.headers_mut().remove(header::CONTENT_LENGTH);
    if let Some(secs) = value.get("retry_after").and_then(|v| v.as_u64()) {
        out.headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(secs));
    }
    Ok(out)
}

/// Turns a panic in a handler into a 500 `internal.error` problem (the `problems` layer then
/// adds `instance` and `trace_id`), logged once with the panic's message and counted in
/// `/metrics` as `ophiontt_http_panics_total`. Without it the panic ends the connection's task
/// and the client gets no answer at all. See: #11.
pub fn catch_panic() -> poem::middleware::CatchPanic<fn(PanicPayload) -> Response> {
    poem::middleware::CatchPanic::new().with_handler(panic_response as fn(PanicPayload) -> Response)
}

/// What `panic!` carried.
pub type PanicPayload = Box<dyn std::any::Any + Send + 'static>;

fn panic_response(payload: PanicPayload) -> Response {
    let message = payload
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("(no message)");
    super::metrics::count_panic();
    // Inside the access log's request span, so the line carries the trace id.
    tracing::error!(panic = %message, "request handler panicked");
    render(problem(
        StatusCode::INTERNAL_SERVER_ERROR,
        codes::INTERNAL_ERROR,
        Some(
            "an internal error occurred; the server log has the details under this trace_id".into(),
        ),
    ))
}

fn problem_json(p: Problem) -> serde_json::Value {
    let mut v = serde_json::json!({
        "type": p.type_, "title": p.title, "status": p.status, "code": p.code,
    });
    if let Some(d) = p.detail {
        v["detail"] = d.into();
    }
    v
}

pub(super) fn render(p: Problem) -> Response {
    let status = StatusCode::from_u16(p.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    Response::builder()
        .status(status)
        .content_type("application/problem+json")
        .body(serde_json::to_vec(&problem_json(p)).unwrap_or_default())
}

fn is_unsafe(m: &Method) -> bool {
    !matches!(
        *m,
        Method::GET | Method::HEAD | Method::OPTIONS | Method::TRACE
    )
}

/// Refuses unsafe methods sent by a browser from another site: `Sec-Fetch-Site` must be
/// `same-origin` or `none`, and `Origin`, when present, must match `Host`. Clients that send
/// neither (scripts, curl) pass: they carry no ambient cookie a site could abuse.
pub async fn cross_site<E: Endpoint>(ep: E, req: Request) -> poem::Result<Response> {
    if is_unsafe(req.method()) {
        let h = req.headers();
        let fetch_site = h.get("sec-fetch-site").and_then(|v| v.to_str().ok());
        let site_ok = fetch_site.is_none_or(|s| s == "same-origin" || s == "none");
        let origin_ok = match h.get(header::ORIGIN).and_then(|v| v.to_str().ok()) {
            None => true,
            Some(origin) => {
                // HTTP/1.1 names the host in `Host`; HTTP/2 (what browsers speak over TLS)
                // carries it as the `:authority` pseudo-header, which is the URI's authority.
                let host = h
                    .get(header::HOST)
                    .and_then(|v| v.to_str().ok())
                    .or_else(|| req.uri().authority().map(|a| a.as_str()))
                    .unwrap_or("");
                origin
                    .split_once("://")
                    .is_some_and(|(_, rest)| !host.is_empty() && rest == host)
            }
        };
        if !site_ok || !origin_ok {
            return Ok(render(problem(
                StatusCode::FORBIDDEN,
                codes::REQUEST_CROSS_SITE,
                Some("unsafe requests must come from this site's own pages".into()),
            )));
        }
    }
    ep.call(req).await.map(IntoResponse::into_response)
}

/// The largest file `POST /api/v1/imports` takes (other requests: `server.max_body_bytes`).
pub const MAX_IMPORT_BYTES: usize = 64 * 1024 * 1024;

/// How much of an oversized chunked body is read and dropped before answering 413.
const DRAIN_FACTOR: usize = 4;

/// Bounds request bodies to `max` bytes, with or without `Content-Length` (chunked bodies are
/// read up to the limit), answering 413 past it.
pub async fn body_limit<E: Endpoint>(
    ep: E,
    mut req: Request,
    max: usize,
) -> poem::Result<Response> {
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    let too_large = || {
        render(problem(
            StatusCode::PAYLOAD_TOO_LARGE,
            codes::REQUEST_TOO_LARGE,
            Some(format!("the body exceeds the limit of {max} bytes")),
        ))
    };
    if let Some(n) = declared.filter(|n| *n > max as u64) {
        if n <= (DRAIN_FACTOR * max) as u64 {
            // Read and drop it, so a client still sending sees the 413, not a reset.
            use futures_util::StreamExt;
            let mut stream = Box::pin(req.take_body().into_bytes_stream());
            while let Some(Ok(_)) = stream.next().await {}
        }
        return Ok(too_large());
    }
    if declared.is_none() && is_unsafe(req.method()) {
        use futures_util::StreamExt;
        let mut stream = Box::pin(req.take_body().into_bytes_stream());
        let mut buf = Vec::new();
        let mut seen = 0usize;
        while let Some(chunk) = stream.next().await {
            let chunk = chunk.map_err(poem::error::ReadBodyError::Io)?;
            seen += chunk.len();
            if seen <= max {
                buf.extend_from_slice(&chunk);
            } else if seen > DRAIN_FACTOR * max {
                break;
            }
        }
        if seen > max {
            // The excess was read and dropped (up to a bound) so that the client, still
            // sending, receives the 413 instead of a connection reset.
            return Ok(too_large());
        }
        req.set_body(buf);
    }
    ep.call(req).await.map(IntoResponse::into_response)
}
