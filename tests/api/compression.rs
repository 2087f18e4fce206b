//! Response compression: gzip when the client accepts it, only for text worth it, never for
//! an answer that sets a cookie, and conditional requests still answered 304. Answers are gzip
//! only, even to clients that take brotli (the web UI's files come in brotli: `assets`).

use std::io::Read;

use reqwest::header::{ACCEPT_ENCODING, CONTENT_ENCODING, ETAG, IF_NONE_MATCH, VARY};

use crate::helpers::{Client, EntryReq, ProjectReq, Server};

/// GET `path` asking for `encoding`; the status, the headers and the raw (undecoded) body.
async fn raw(c: &Client, path: &str, encoding: &str) -> (u16, reqwest::header::HeaderMap, Vec<u8>) {
    let r = c
        .http
        .get(format!("{}{path}", c.base))
        .header(ACCEPT_ENCODING, encoding)
        .send()
        .await
        .unwrap();
    let (status, headers) = (r.status().as_u16(), r.headers().clone());
    (status, headers, r.bytes().await.unwrap().to_vec())
}

fn gunzip(b: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(b)
        .read_to_end(&mut out)
        .unwrap();
    out
}

#[tokio::test]
async fn a_listing_comes_compressed_as_asked_and_decodes_to_the_same_json() {
    let s = Server::start();
    let admin = s.setup_admin().await;
    let pid = admin.create_project(&ProjectReq::named("Squeeze")).await.id;
    for h in 0..20 {
        let (start, end) = (
            format!("2026-05-04T{h:02}:00:00Z"),
            format!("2026-05-04T{h:02}:30:00Z"),
        );
        admin
            .create_entry(&EntryReq::new(&pid, &start, &end).note("rotated the keys"))
            .await;
    }
    let path = "/api/v1/entries?from=2026-05-01&to=2026-05-31&limit=100";

    let (status, h, plain) = raw(&admin, path, "identity").await;
    assert_eq!(status, 200);
    assert!(h.get(CONTENT_ENCODING).is_none());
    assert!(plain.len() > 4096, "{} bytes", plain.len());
    let vary = h.get(VARY).and_then(|v| v.to_str().ok()).unwrap_or("");
    assert!(
        vary.to_ascii_lowercase().contains("accept-encoding"),
        "{vary}"
    );

    // What browsers send: gzip still (no brotli encoder in the binary).
    let (status, h, gz) = raw(&admin, path, "gzip, deflate, br, zstd").await;
    assert_eq!(status, 200);
    assert_eq!(h[CONTENT_ENCODING], "gzip");
    assert_eq!(gunzip(&gz), plain);
    assert!(
        gz.len() * 5 < plain.len(),
        "{} of {}",
        gz.len(),
        plain.len()
    );

    // A client that takes only codings we do not make, or refuses gzip, gets the plain JSON.
    for accept in ["br", "br, gzip;q=0", "*, gzip;q=0"] {
        let (status, h, body) = raw(&admin, path, accept).await;
        assert_eq!(status, 200);
        assert!(h.get(CONTENT_ENCODING).is_none(), "{accept}");
        assert_eq!(body, plain, "{accept}");
    }
}

#[tokio::test]
async fn small_answers_and_answers_that_set_a_cookie_are_sent_as_they_are() {
    let s = Server::start();
    let admin = s.setup_admin().await;
    let (status, h, body) = raw(&admin, "/api/v1/timer", "br, gzip").await;
    assert_eq!(status, 200);
    assert!(body.len() < 1024);
    assert!(h.get(CONTENT_ENCODING).is_none());

    // A sign-in answer carries the session cookie: never compressed.
    let fresh = Client::new(&s.base);
    let r = fresh
        .http
        .post(format!("{}/api/v1/session", s.base))
        .header(ACCEPT_ENCODING, "br, gzip")
        .json(&serde_json::json!({ "email": "admin@example.com", "password": crate::helpers::PASSWORD }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    assert!(r.headers().get("set-cookie").is_some());
    assert!(r.headers().get(CONTENT_ENCODING).is_none());
}

#[tokio::test]
async fn a_compressed_page_has_a_weak_etag_that_still_answers_304() {
    let s = Server::start();
    let c = Client::new(&s.base);
    let (status, h, body) = raw(&c, "/", "gzip").await;
    assert_eq!(status, 200);
    assert_eq!(h[CONTENT_ENCODING], "gzip");
    assert!(String::from_utf8(gunzip(&body)).unwrap().contains("<html"));
    let etag = h[ETAG].to_str().unwrap().to_owned();
    assert!(etag.starts_with("W/\""), "{etag}");
    let r = c
        .http
        .get(format!("{}/", s.base))
        .header(ACCEPT_ENCODING, "gzip")
        .header(IF_NONE_MATCH, &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 304);
    // HEAD: headers only, no encoding of an empty body.
    let r = c
        .http
        .head(format!("{}/", s.base))
        .header(ACCEPT_ENCODING, "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    assert!(r.headers().get(CONTENT_ENCODING).is_none());
}
