//! The embedded web UI (`web/`), served as `catalog` describes: content-hashed URLs cached for
//! a year, the HTML shell and plain paths `no-cache` with an ETag, text gzipped once and sent
//! gzipped to clients that accept it. Unknown non-API paths fall back to the shell so that real
//! URLs like `/admin/users` load the app. HEAD is answered like GET without a body.

mod catalog;

use poem::http::{header, Method, StatusCode};
use poem::{Endpoint, Request, Response};

pub use catalog::catalog;

pub struct Assets;

/// A year: what browsers may keep a content-hashed file without asking again.
const IMMUTABLE: &str = "public, max-age=31536000, immutable";

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
        let c = catalog();
        let (asset, immutable) = match c.get(path).filter(|_| path != "index.html") {
            Some(served) => (served.asset, served.immutable),
            // A path that looks like a file and is missing is a real 404; anything else is a page.
            None if path != "index.html"
                && path
                    .rsplit('/')
                    .next()
                    .is_some_and(|last| last.contains('.')) =>
            {
                return Err(poem::Error::from_status(StatusCode::NOT_FOUND))
            }
            None => (&*c.shell, false),
        };
        let gzip = req
            .headers()
            .get(header::ACCEPT_ENCODING)
            .and_then(|v| v.to_str().ok())
            .is_some_and(crate::http::compress::accepts_gzip);
        // HEAD: the identity headers, as the compression middleware answers HEAD.
        let head = req.method() == Method::HEAD;
        let gzipped = if gzip && !head { asset.gzipped() } else { None };
        // The gzipped bytes are not the identity ones: their tag is weak (as the compression
        // middleware marks the answers it compresses), and `If-None-Match` compares weakly.
        let etag = match gzipped {
            Some(_) => format!("W/{}", asset.etag),
            None => asset.etag.clone(),
        };
        let fresh = req
            .headers()
            .get(header::IF_NONE_MATCH)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| {
                v.split(',')
                    .any(|t| t.trim().trim_start_matches("W/") == asset.etag || t.trim() == "*")
            });
        let mut builder = Response::builder()
            .header(header::ETAG, etag)
            .header(
                header::CACHE_CONTROL,
                if immutable { IMMUTABLE } else { "no-cache" },
            )
            .header(header::VARY, "accept-encoding");
        if fresh {
            return Ok(builder.status(StatusCode::NOT_MODIFIED).finish());
        }
        let body = match gzipped {
            Some(gz) => {
                builder = builder.header(header::CONTENT_ENCODING, "gzip");
                gz.clone()
            }
            None => asset.data.clone(),
        };
        let builder = builder
            .header(header::CONTENT_TYPE, asset.mime)
            .header(header::CONTENT_LENGTH, body.len());
        Ok(if head {
            builder.finish()
        } else {
            builder.body(body)
        })
    }
}
