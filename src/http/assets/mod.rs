//! The embedded web UI (`web/`), served as `catalog` describes: content-hashed URLs cached for
//! a year, the HTML shell and plain paths `no-cache` with an ETag, text sent brotli-compressed
//! (copies made at build time) or gzipped (made once) to clients that accept it. Unknown
//! non-API paths fall back to the shell so that real URLs like `/admin/users` load the app.
//! HEAD is answered like GET without a body. `/api/docs`, the Swagger UI page, is served the
//! same way (`docs`).

mod catalog;
mod docs;
mod files;

use poem::http::{header, Method, StatusCode};
use poem::{Endpoint, Request, Response};

use crate::http::compress::{preferred_codings, Coding};
pub use catalog::catalog;
use catalog::Asset;

pub struct Assets;

/// The API documentation page (`/api/docs`).
pub struct ApiDocs;

/// A year: what browsers may keep a content-hashed file without asking again.
const IMMUTABLE: &str = "public, max-age=31536000, immutable";

/// Files larger than this are gzipped (once) on the blocking pool, not on a runtime worker.
const OFF_RUNTIME: usize = 64 * 1024;

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
        Ok(serve(&req, asset, immutable).await)
    }
}

impl Endpoint for ApiDocs {
    type Output = Response;

    async fn call(&self, req: Request) -> poem::Result<Response> {
        if req.method() != Method::GET && req.method() != Method::HEAD {
            return Err(poem::Error::from_status(StatusCode::METHOD_NOT_ALLOWED));
        }
        Ok(serve(&req, &docs::docs().page, false).await)
    }
}

/// `asset` as the request asks for it: in the coding the client prefers among those the file
/// has (brotli, gzip), with its ETag (weak when encoded) and cache policy, or 304.
async fn serve(req: &Request, asset: &'static Asset, immutable: bool) -> Response {
    let accept = (req.headers().get(header::ACCEPT_ENCODING))
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    // HEAD: the identity headers, as the compression middleware answers HEAD.
    let head = req.method() == Method::HEAD;
    let mut encoded = None;
    for coding in preferred_codings(accept).into_iter().flatten() {
        if head {
            break;
        }
        let bytes = match coding {
            Coding::Br => asset.brotli(),
            Coding::Gzip => {
                if asset.gzip_pending() && asset.data.len() > OFF_RUNTIME {
                    // Made once; a failed task leaves it to be made below.
                    let _ = tokio::task::spawn_blocking(move || asset.gzipped().is_some()).await;
                }
                asset.gzipped()
            }
        };
        if let Some(bytes) = bytes {
            encoded = Some((coding.name(), bytes));
            break;
        }
    }
    // The encoded bytes are not the identity ones: their tag is weak (as the compression
    // middleware marks the answers it compresses), and `If-None-Match` compares weakly.
    let etag = match encoded {
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
        return builder.status(StatusCode::NOT_MODIFIED).finish();
    }
    let body = match encoded {
        Some((name, bytes)) => {
            builder = builder.header(header::CONTENT_ENCODING, name);
            bytes.clone()
        }
        None => asset.data.clone(),
    };
    let builder = builder
        .header(header::CONTENT_TYPE, asset.mime)
        .header(header::CONTENT_LENGTH, body.len());
    if head {
        builder.finish()
    } else {
        builder.body(body)
    }
}
