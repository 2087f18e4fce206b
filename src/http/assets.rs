//! The embedded web UI (`web/`). Files get an ETag (content hash) and `no-cache`; unknown
//! non-API paths fall back to `index.html` so that real URLs like `/admin/users` load the app.
//! HEAD is answered like GET without a body.

use poem::http::{header, Method, StatusCode};
use poem::{Endpoint, Request, Response};
use rust_embed::RustEmbed;

#[derive(RustEmbed)]
#[folder = "web/"]
struct Web;

pub struct Assets;

fn mime(path: &str) -> &'static str {
    match path.rsplit('.').next().unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "ico" => "image/x-icon",
        "json" => "application/json",
        "txt" => "text/plain; charset=utf-8",
        "woff2" => "font/woff2",
        _ => "application/octet-stream",
    }
}

impl Endpoint for Assets {
    type Output = Response;

    async fn call(&self, req: Request) -> poem::Result<Response> {
        if req.method() != Method::GET && req.method() != Method::HEAD {
            return Err(poem::Error::from_status(StatusCode::METHOD_NOT_ALLOWED));
        }
        let path = match req.uri().path().trim_start_matches('/') {
            // Browsers ask for this by themselves; the SVG icon answers.
            "favicon.ico" => "favicon.svg",
            p => p,
        };
        if path.starts_with("api/") {
            return Err(poem::Error::from_status(StatusCode::NOT_FOUND));
        }
        let (name, file) = match Web::get(path).filter(|_| !path.is_empty()) {
            Some(f) => (path.to_owned(), f),
            // A path that looks like a file and is missing is a real 404; anything else is a page.
            None if path
                .rsplit('/')
                .next()
                .is_some_and(|last| last.contains('.')) =>
            {
                return Err(poem::Error::from_status(StatusCode::NOT_FOUND))
            }
            None => match Web::get("index.html") {
                Some(f) => ("index.html".to_owned(), f),
                None => return Err(poem::Error::from_status(StatusCode::NOT_FOUND)),
            },
        };
        let etag = format!("\"{}\"", hex::encode(&file.metadata.sha256_hash()[..16]));
        let fresh = req
            .headers()
            .get(header::IF_NONE_MATCH)
            .and_then(|v| v.to_str().ok())
            // Weak comparison (RFC 9110 §13.1.2): a compressed copy carries the tag as `W/"…"`.
            .is_some_and(|v| {
                v.split(',')
                    .any(|t| t.trim().trim_start_matches("W/") == etag || t.trim() == "*")
            });
        let builder = Response::builder()
            .header(header::ETAG, etag)
            .header(header::CACHE_CONTROL, "no-cache");
        if fresh {
            return Ok(builder.status(StatusCode::NOT_MODIFIED).finish());
        }
        let builder = builder
            .header(header::CONTENT_TYPE, mime(&name))
            .header(header::CONTENT_LENGTH, file.data.len());
        Ok(if req.method() == Method::HEAD {
            builder.finish()
        } else {
            builder.body(file.data.into_owned())
        })
    }
}
