//! HTTP: routing, middleware, problem+json, the embedded web UI. The only module importing
//! `poem`. Handlers call `service`; nothing here knows about sled.

mod allow;
pub mod api;
mod assets;
pub mod auth;
mod compress;
mod connlimit;
mod json_guard;
mod metrics;
mod middleware;
mod notice;
pub mod problem;
mod tls;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use poem::http::StatusCode;
use poem::listener::TcpAcceptor;
use poem::web::Json;
use poem::{handler, Endpoint, EndpointExt, IntoResponse, Response, Route};

pub use api::HttpState;
pub use auth::CookieCfg;
pub use connlimit::{max_connections, open_file_limit, ConnLimits};
pub use metrics::uptime;

/// Builds the whole application endpoint.
pub fn app(
    st: HttpState,
    base_url: &str,
    max_body: usize,
    metrics_token: Option<String>,
) -> impl Endpoint<Output = Response> {
    metrics::mark_start(st.svc.now_ms());
    let metrics_state = st.clone();
    let api = api::service(&st, base_url);
    let spec = api.spec_endpoint();
    let allow = std::sync::Arc::new(allow::AllowIndex::from_spec(&api.spec(), "/api/v1"));
    let ready = st.ready.clone();
    let ready_svc = st.svc.clone();
    let headers = middleware::security_headers(st.cookie.secure);
    let routes = Route::new()
        .nest(
            "/api/v1",
            api.data(auth::Authn {
                svc: st.svc.clone(),
                cookie: st.cookie.clone(),
            }),
        )
        .at("/api/openapi.json", spec)
        // Swagger UI over /api/openapi.json, its files served like the web UI's.
        .at("/api/docs", assets::ApiDocs)
        .at("/healthz", healthz)
        .at("/privacy", notice::page(st.svc.clone()))
        .at(
            "/metrics",
            poem::endpoint::make(move |req| {
                let (st, token) = (metrics_state.clone(), metrics_token.clone());
                async move { metrics::endpoint(&st, token, &req).await }
            }),
        )
        .at(
            "/readyz",
            poem::endpoint::make_sync(move |_| readyz(&ready, &ready_svc)),
        )
        .nest("/", assets::Assets);
    layers(routes, max_body, headers, allow)
}

/// Every middleware, around any routes: the product's, or a test's.
fn layers(
    routes: Route,
    max_body: usize,
    headers: impl Fn(&str, &mut Response) + Send + Sync + Clone + 'static,
    allow: std::sync::Arc<allow::AllowIndex>,
) -> impl Endpoint<Output = Response> {
    routes
        .with(middleware::catch_panic())
        .around(json_guard::refuse_duplicate_keys)
        .around(move |ep, req| {
            // An import's body is a whole exported file (`POST /api/v1/imports`).
            let max = if req.uri().path() == "/api/v1/imports" {
                max_body.max(middleware::MAX_IMPORT_BYTES)
            } else {
                max_body
            };
            middleware::body_limit(ep, req, max)
        })
        .around(middleware::cross_site)
        .around(middleware::problems)
        // Boxed here to keep the endpoint's type (and the compiler's query depth) small.
        .boxed()
        .around(move |ep, req| allow::add(ep, req, allow.clone()))
        .around(move |ep, req| {
            let headers = headers.clone();
            async move {
                let path = req.uri().path().to_owned();
                let mut resp = ep.get_response(req).await;
                headers(&path, &mut resp);
                Ok(resp)
            }
        })
        .around(compress::compress)
        .around(middleware::access_log)
}

#[handler]
fn healthz() -> Json<serde_json::Value> {
    Json(serde_json::json!({ "status": "ok" }))
}

/// 200 when the server takes requests; 503 before start and while shutting down, and while
/// the store cannot write to disk: then a problem whose `code` (also `reason`) says why
/// (`store.disk_full`, `store.unavailable`) and `since` since when. The cause's own text stays
/// in the log.
fn readyz(ready: &AtomicBool, svc: &crate::service::Services) -> Response {
    if !ready.load(Ordering::Relaxed) {
        return Response::builder()
            .status(StatusCode::SERVICE_UNAVAILABLE)
            .content_type("application/json")
            .body(r#"{"status":"unavailable"}"#);
    }
    let health = svc.system().health();
    let Some(cause) = health.cause else {
        return Json(serde_json::json!({ "status": "ready" })).into_response();
    };
    let code = cause.code();
    let p = problem::problem(StatusCode::SERVICE_UNAVAILABLE, code, None);
    let since = health
        .since_ms
        .and_then(chrono::DateTime::from_timestamp_millis)
        .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true));
    let body = serde_json::json!({
        "type": p.type_, "title": p.title, "status": p.status, "code": code,
        "detail": "writes are refused until the store can write to disk again; the server retries on its own",
        "reason": code, "since": since,
    });
    Response::builder()
        .status(StatusCode::SERVICE_UNAVAILABLE)
        .content_type("application/problem+json")
        .header(poem::http::header::CACHE_CONTROL, "no-store")
        .body(body.to_string())
}

/// An already-bound listener, speaking plain HTTP or HTTPS.
pub enum Listener {
    Plain(tokio::net::TcpListener),
    Tls(tokio::net::TcpListener, Arc<rustls::ServerConfig>),
}

/// Serves `ep` on `listener` within `limits` until `shutdown` resolves, then lets in-flight
/// requests finish for up to `grace`.
pub async fn serve(
    listener: Listener,
    ep: impl Endpoint + 'static,
    limits: ConnLimits,
    shutdown: impl std::future::Future<Output = ()> + Send,
    grace: std::time::Duration,
) -> std::io::Result<()> {
    match listener {
        Listener::Plain(l) => {
            connlimit::serve(TcpAcceptor::from_tokio(l)?, ep, limits, shutdown, grace).await
        }
        Listener::Tls(l, config) => {
            let tls = tls::TlsAcceptor::new(l, config, limits.header_read_timeout)?;
            connlimit::serve(tls, ep, limits, shutdown, grace).await
        }
    }
}

/// Answers every request on `listener` with a redirect to the same path over HTTPS.
pub async fn serve_redirect(
    listener: tokio::net::TcpListener,
    public_url: Option<String>,
    https_port: u16,
    limits: ConnLimits,
    shutdown: impl std::future::Future<Output = ()> + Send,
) -> std::io::Result<()> {
    let ep = poem::endpoint::make_sync(move |req| {
        tls::redirect_response(tls::https_location(&req, public_url.as_deref(), https_port))
    });
    let acceptor = TcpAcceptor::from_tokio(listener)?;
    let grace = std::time::Duration::from_secs(1);
    connlimit::serve(acceptor, ep, limits, shutdown, grace).await
}

pub fn ready_flag() -> Arc<AtomicBool> {
    Arc::new(AtomicBool::new(false))
}

#[cfg(test)]
mod tests {
    //! The panic path is tested in-process, around a route that panics on purpose: every input
    //! known to reach a panic is fixed (tests/api/ranges.rs shows they answer 422 now), and a
    //! route that panics on request does not belong in the product. What is tested is the
    //! product's own middleware stack, [`layers`], the same function [`app`] wraps its routes in.
    use super::*;
    use poem::http::Uri;

    #[handler]
    fn boom() -> &'static str {
        panic!("boom at /secret/path")
    }

    async fn get(ep: &impl Endpoint<Output = Response>, path: &'static str) -> Response {
        let req = poem::Request::builder()
            .uri(Uri::from_static(path))
            .finish();
        ep.get_response(req).await
    }

    #[tokio::test]
    async fn a_panicking_handler_answers_a_counted_500_problem_and_the_server_goes_on() {
        // Arrange
        let routes = Route::new().at("/boom", boom).at("/healthz", healthz);
        let ep = layers(
            routes,
            1024,
            middleware::security_headers(false),
            Default::default(),
        );
        let before = metrics::panics();
        // Act
        let resp = get(&ep, "/boom").await;
        // Assert
        assert_eq!(resp.status(), StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(
            resp.headers()
                .get(poem::http::header::CONTENT_TYPE)
                .unwrap(),
            "application/problem+json"
        );
        let body: serde_json::Value =
            serde_json::from_slice(&resp.into_body().into_bytes().await.unwrap()).unwrap();
        assert_eq!(body["code"], crate::domain::codes::INTERNAL_ERROR);
        assert_eq!(body["status"], 500);
        assert_eq!(body["instance"], "/boom");
        assert!(body["trace_id"].as_str().is_some_and(|t| t.len() == 16));
        assert!(body["type"].as_str().unwrap().ends_with("/internal.error"));
        assert!(!body["detail"].as_str().unwrap().contains("/secret/path"));
        assert!(metrics::panics() > before, "counted in /metrics");
        assert_eq!(get(&ep, "/healthz").await.status(), StatusCode::OK);
    }
}
