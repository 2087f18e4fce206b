//! Bad input never gets a 500 or crashes the server: each class has its own 4xx problem code.

use serde_json::json;

use crate::helpers::{Client, Server};

async fn raw(
    c: &Client,
    method: &str,
    path: &str,
    ctype: Option<&str>,
    body: Vec<u8>,
    extra: &[(&str, &str)],
) -> crate::helpers::Resp {
    let mut rb = c
        .http
        .request(method.parse().unwrap(), format!("{}{path}", c.base))
        .body(body);
    if let Some(t) = ctype {
        rb = rb.header("content-type", t);
    }
    for (k, v) in extra {
        rb = rb.header(*k, *v);
    }
    c.send(rb).await
}

#[tokio::test]
async fn each_class_of_bad_body_gets_its_own_4xx_problem() {
    let s = Server::start();
    let admin = s.setup_admin().await;
    let json_ct = Some("application/json");
    /// (what, content type, body, status, code)
    type Case<'a> = (&'a str, Option<&'a str>, Vec<u8>, u16, &'a str);
    let cases: Vec<Case> = vec![
        (
            "malformed JSON",
            json_ct,
            b"{\"name\": \"x\",".to_vec(),
            400,
            "request.malformed_json",
        ),
        (
            "not JSON at all",
            json_ct,
            b"hello".to_vec(),
            400,
            "request.malformed_json",
        ),
        (
            "wrong type",
            json_ct,
            br#"{"name":5,"email":"a@b.c","role":"member","time_zone":"UTC"}"#.to_vec(),
            400,
            "request.invalid_body",
        ),
        (
            "unknown enum value",
            json_ct,
            br#"{"name":"n","email":"a@b.c","role":"king","time_zone":"UTC"}"#.to_vec(),
            400,
            "request.invalid_body",
        ),
        (
            "missing field",
            json_ct,
            br#"{"email":"a@b.c","role":"member","time_zone":"UTC"}"#.to_vec(),
            400,
            "request.invalid_body",
        ),
        (
            "array instead of object",
            json_ct,
            b"[1,2]".to_vec(),
            400,
            "request.invalid_body",
        ),
        (
            "wrong content type",
            Some("text/plain"),
            br#"{}"#.to_vec(),
            415,
            "request.unsupported_media_type",
        ),
        (
            "no content type",
            None,
            br#"{}"#.to_vec(),
            415,
            "request.unsupported_media_type",
        ),
        (
            "oversized",
            json_ct,
            vec![b' '; 1024 * 1024 + 1],
            413,
            "request.too_large",
        ),
    ];
    for (name, ct, body, status, code) in cases {
        let r = raw(&admin, "POST", "/api/v1/users", ct, body, &[]).await;
        assert_eq!((r.status, r.code()), (status, code), "{name}: {}", r.body);
        assert_eq!(
            r.headers["content-type"], "application/problem+json",
            "{name}"
        );
        assert_eq!(r.body["instance"], "/api/v1/users", "{name}");
    }
    // Nothing above created a user.
    let users = admin.get("/api/v1/users").await;
    assert_eq!(users.body["items"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn an_oversized_chunked_body_without_length_is_refused_with_413() {
    let s = Server::start();
    let admin = s.setup_admin().await;
    let chunks: Vec<Result<Vec<u8>, std::io::Error>> =
        (0..20).map(|_| Ok(vec![b' '; 64 * 1024])).collect();
    let stream = futures_util_stream(chunks);
    let rb = admin
        .http
        .post(s.url("/api/v1/users"))
        .header("content-type", "application/json")
        .body(reqwest::Body::wrap_stream(stream));
    let r = admin.send(rb).await;
    assert_eq!((r.status, r.code()), (413, "request.too_large"));
    // A small chunked body still works.
    let small = futures_util_stream(vec![Ok(
        br#"{"name":"C","email":"c@example.com","role":"member","time_zone":"UTC"}"#.to_vec(),
    )]);
    let rb = admin
        .http
        .post(s.url("/api/v1/users"))
        .header("content-type", "application/json")
        .body(reqwest::Body::wrap_stream(small));
    assert_eq!(admin.send(rb).await.status, 201);
}

fn futures_util_stream(
    items: Vec<Result<Vec<u8>, std::io::Error>>,
) -> impl futures_core::Stream<Item = Result<Vec<u8>, std::io::Error>> + Send + 'static {
    tokio_stream::iter(items)
}

#[tokio::test]
async fn bad_parameters_and_unknown_routes_are_4xx_problems() {
    let s = Server::start();
    let admin = s.setup_admin().await;
    let cases = [
        (
            "GET",
            "/api/v1/users?limit=lots",
            400,
            "request.invalid_parameter",
        ),
        ("GET", "/api/v1/users?cursor=%%%", 422, "validation.failed"),
        (
            "GET",
            "/api/v1/audit?from=yesterday",
            422,
            "validation.failed",
        ),
        ("GET", "/api/v1/audit?cursor=abc", 422, "validation.failed"),
        ("GET", "/api/v1/no-such-thing", 404, "route.not_found"),
        ("PUT", "/api/v1/me", 405, "request.method_not_allowed"),
    ];
    for (m, path, status, code) in cases {
        let r = raw(&admin, m, path, None, vec![], &[]).await;
        assert_eq!(
            (r.status, r.code()),
            (status, code),
            "{m} {path}: {}",
            r.body
        );
    }
}

#[tokio::test]
async fn cross_site_unsafe_requests_are_refused_with_403() {
    let s = Server::start();
    let admin = s.setup_admin().await;
    let body =
        json!({ "name": "X", "email": "x@example.com", "role": "member", "time_zone": "UTC" })
            .to_string()
            .into_bytes();
    let evil = [
        vec![("origin", "http://evil.example")],
        vec![("sec-fetch-site", "cross-site")],
        vec![("sec-fetch-site", "same-site")],
        vec![("origin", "null")],
    ];
    for headers in evil {
        let r = raw(
            &admin,
            "POST",
            "/api/v1/users",
            Some("application/json"),
            body.clone(),
            &headers,
        )
        .await;
        assert_eq!(
            (r.status, r.code()),
            (403, "request.cross_site"),
            "{headers:?}"
        );
    }
    let host = s.base.trim_start_matches("http://").to_owned();
    let origin = format!("http://{host}");
    let ok = raw(
        &admin,
        "POST",
        "/api/v1/users",
        Some("application/json"),
        body,
        &[("origin", &origin), ("sec-fetch-site", "same-origin")],
    )
    .await;
    assert_eq!(ok.status, 201, "a same-origin request passes: {}", ok.body);
    // Safe methods are not affected.
    let r = raw(
        &admin,
        "GET",
        "/api/v1/me",
        None,
        vec![],
        &[("sec-fetch-site", "cross-site")],
    )
    .await;
    assert_eq!(r.status, 200);
}

#[tokio::test]
async fn every_response_carries_the_security_headers() {
    let s = Server::start();
    let c = Client::new(&s.base);
    for path in [
        "/",
        "/login",
        "/api/v1/instance",
        "/api/v1/me",
        "/api/v1/nope",
        "/healthz",
        "/api/openapi.json",
        "/api/docs",
    ] {
        let r = c.send(c.http.get(s.url(path))).await;
        let h = &r.headers;
        let csp = h
            .get("content-security-policy")
            .unwrap_or_else(|| panic!("{path}: no CSP"))
            .to_str()
            .unwrap();
        assert!(
            csp.starts_with("default-src 'self'") && csp.contains("frame-ancestors 'none'"),
            "{path}: {csp}"
        );
        assert!(
            !csp.contains("'unsafe-inline'")
                || (path == "/api/docs" && !csp.contains("script-src 'self' 'unsafe-inline'")),
            "{path}: {csp}"
        );
        assert_eq!(h["x-content-type-options"], "nosniff", "{path}");
        assert_eq!(h["referrer-policy"], "no-referrer", "{path}");
    }
}

#[tokio::test]
async fn health_readiness_spec_and_ui_are_served() {
    let s = Server::start();
    let c = Client::new(&s.base);
    assert_eq!(c.get("/healthz").await.body["status"], "ok");
    assert_eq!(c.get("/readyz").await.body["status"], "ready");
    let spec = c.get("/api/openapi.json").await;
    assert_eq!(spec.status, 200);
    assert!(
        spec.body["paths"]["/users"].is_object(),
        "spec lists /users"
    );
    let page = c.send(c.http.get(s.url("/admin/users"))).await;
    assert_eq!(
        page.status, 200,
        "SPA fallback serves index.html for app URLs"
    );
    assert!(page.headers["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/html"));
    let missing = c.send(c.http.get(s.url("/js/nope.js"))).await;
    assert_eq!(missing.status, 404);
}

#[tokio::test]
async fn duplicate_keys_nulls_undecodable_paths_and_unsupported_methods_get_their_own_answers() {
    let s = Server::start();
    let admin = s.setup_admin().await;
    let json_ct = Some("application/json");
    let twice =
        br#"{"name":"A","email":"a@example.com","role":"member","role":"admin","time_zone":"UTC"}"#;
    let r = raw(
        &admin,
        "POST",
        "/api/v1/users",
        json_ct,
        twice.to_vec(),
        &[],
    )
    .await;
    assert_eq!(
        (r.status, r.code()),
        (400, "request.duplicate_key"),
        "{}",
        r.body
    );
    // `null` where the spec does not say nullable is a wrong type, not "absent".
    let r = raw(
        &admin,
        "PATCH",
        "/api/v1/me",
        json_ct,
        br#"{"time_zone":null}"#.to_vec(),
        &[],
    )
    .await;
    assert_eq!(
        (r.status, r.code()),
        (400, "request.invalid_body"),
        "{}",
        r.body
    );
    let r = raw(&admin, "GET", "/api/v1/users/%FF", None, vec![], &[]).await;
    assert_eq!(
        (r.status, r.code()),
        (400, "request.invalid_path"),
        "{}",
        r.body
    );
    let r = raw(&admin, "TRACE", "/api/v1/me", None, vec![], &[]).await;
    assert_eq!((r.status, r.code()), (405, "request.method_not_allowed"));
    assert_eq!(r.headers["allow"], "GET, HEAD, PATCH");
    // Nothing above created a user or changed the admin.
    let users = admin.get("/api/v1/users").await;
    assert_eq!(users.body["items"].as_array().unwrap().len(), 1);
    assert_eq!(
        admin.get("/api/v1/me").await.body["time_zone"],
        "Europe/London"
    );
}

#[tokio::test]
async fn a_project_naming_a_person_who_does_not_exist_is_409_not_404() {
    let s = Server::start();
    let admin = s.setup_admin().await;
    let nobody = "01937a4e-0000-7000-8000-000000000000";
    let r = admin
        .post(
            "/api/v1/projects",
            json!({ "name": "Ghosts", "member_ids": [nobody] }),
        )
        .await;
    assert_eq!(
        (r.status, r.code()),
        (409, "user.not_found"),
        "{:?}",
        r.body
    );
    let pid = admin
        .post("/api/v1/projects", json!({ "name": "Real" }))
        .await
        .body["id"]
        .as_str()
        .unwrap()
        .to_owned();
    // The project exists: a PATCH naming an unknown manager is refused, but not as a 404.
    let r = admin
        .patch(
            &format!("/api/v1/projects/{pid}"),
            json!({ "manager_ids": [nobody] }),
        )
        .await;
    assert_eq!(
        (r.status, r.code()),
        (409, "user.not_found"),
        "{:?}",
        r.body
    );
}
