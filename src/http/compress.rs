//! Response compression: brotli or gzip when the client asks (`Accept-Encoding`), for text a
//! browser or a script reads (JSON, HTML, CSS, JavaScript, SVG, plain text) of 1 KiB or more.
//! A month of entries (930 KB of JSON) goes over the wire as about a tenth of that.
//!
//! Not compressed: small bodies (the header costs more than it saves), bodies already encoded
//! or binary (ZIP downloads, images), `HEAD` answers, and any response that sets a cookie. That
//! last rule and the session cookie's `SameSite=Strict` (with cross-site requests refused, see
//! `middleware::cross_site`) keep BREACH-style guessing out: a third-party page cannot make a
//! signed-in browser send the requests whose compressed sizes would reveal a secret.
//!
//! The body is read whole before it is compressed: a future streaming download (a large export)
//! must send a non-text type or set its own `Content-Encoding`, which this leaves alone.
//!
//! A compressed answer's `ETag` becomes weak (`W/"…"`), as the bytes differ from the identity
//! ones; `If-None-Match` compares weakly (RFC 9110 §13.1.2), so the 304 still works.

use poem::http::header::{self, HeaderValue};
use poem::http::{Method, StatusCode};
use poem::{Body, Endpoint, IntoResponse, Request, Response};

/// Bodies below this are sent as they are.
const MIN_SIZE: usize = 1024;
/// Bodies above this are compressed on the blocking pool, not on a runtime worker.
const OFF_RUNTIME: usize = 64 * 1024;
/// Brotli quality 4 and gzip level 5: most of the size win for a fraction of the top levels'
/// CPU (measured in docs/performance.md, "A month of entries").
const BROTLI_QUALITY: u32 = 4;
const GZIP_LEVEL: u32 = 5;

/// A content coding we produce.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Coding {
    Brotli,
    Gzip,
}

impl Coding {
    fn token(self) -> &'static str {
        match self {
            Coding::Brotli => "br",
            Coding::Gzip => "gzip",
        }
    }
}

/// The coding to answer with: brotli over gzip when both are acceptable (RFC 9110 §12.5.3;
/// `q=0` refuses a coding, `*` stands for any not named).
pub fn negotiate(accept: &str) -> Option<Coding> {
    let mut br = None;
    let mut gzip = None;
    let mut any = None;
    for part in accept.split(',') {
        let mut fields = part.split(';');
        let name = fields.next().unwrap_or("").trim().to_ascii_lowercase();
        let q = fields
            .filter_map(|f| f.trim().strip_prefix("q="))
            .filter_map(|q| q.trim().parse::<f32>().ok())
            .next()
            .unwrap_or(1.0);
        match name.as_str() {
            "br" => br = Some(q),
            "gzip" | "x-gzip" => gzip = Some(q),
            "*" => any = Some(q),
            _ => {}
        }
    }
    let br = br.or(any).unwrap_or(0.0);
    let gzip = gzip.or(any).unwrap_or(0.0);
    match (br > 0.0, gzip > 0.0) {
        (true, _) if br >= gzip => Some(Coding::Brotli),
        (_, true) => Some(Coding::Gzip),
        (true, false) => Some(Coding::Brotli),
        _ => None,
    }
}

/// Whether a response of this `Content-Type` is text worth compressing.
fn compressible(content_type: &str) -> bool {
    let t = content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    t.starts_with("text/")
        || t == "application/json"
        || t.ends_with("+json")
        || t == "application/javascript"
        || t == "image/svg+xml"
        || t == "application/manifest+json"
}

/// Compresses `data`; `None` if the encoder failed (the identity body is sent then).
pub fn encode(coding: Coding, data: &[u8]) -> Option<Vec<u8>> {
    use std::io::Write;
    match coding {
        Coding::Brotli => {
            let mut out = Vec::with_capacity(data.len() / 8);
            let params = brotli::enc::BrotliEncoderParams {
                quality: BROTLI_QUALITY as i32,
                lgwin: 22,
                ..Default::default()
            };
            brotli::BrotliCompress(&mut &data[..], &mut out, &params).ok()?;
            Some(out)
        }
        Coding::Gzip => {
            let mut e = flate2::write::GzEncoder::new(
                Vec::with_capacity(data.len() / 6),
                flate2::Compression::new(GZIP_LEVEL),
            );
            e.write_all(data).ok()?;
            e.finish().ok()
        }
    }
}

/// The middleware.
pub async fn compress<E: Endpoint>(ep: E, req: Request) -> poem::Result<Response> {
    let coding = req
        .headers()
        .get(header::ACCEPT_ENCODING)
        .and_then(|v| v.to_str().ok())
        .and_then(negotiate);
    let head = req.method() == Method::HEAD;
    let mut resp = ep.call(req).await.map(IntoResponse::into_response)?;
    let text = resp
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(compressible);
    if text {
        resp.headers_mut()
            .append(header::VARY, HeaderValue::from_static("accept-encoding"));
    }
    let Some(coding) = coding else {
        return Ok(resp);
    };
    if resp.status() == StatusCode::NOT_MODIFIED {
        weaken_etag(&mut resp);
        return Ok(resp);
    }
    if !text
        || head
        || resp.headers().contains_key(header::CONTENT_ENCODING)
        || resp.headers().contains_key(header::SET_COOKIE)
        || resp.status() == StatusCode::NO_CONTENT
    {
        return Ok(resp);
    }
    let data = resp.take_body().into_vec().await?;
    if data.len() < MIN_SIZE {
        resp.set_body(data);
        return Ok(resp);
    }
    let encoded = if data.len() > OFF_RUNTIME {
        let (d, c) = (data, coding);
        let (data, encoded) = tokio::task::spawn_blocking(move || {
            let e = encode(c, &d);
            (d, e)
        })
        .await
        .map_err(|_| poem::Error::from_status(StatusCode::INTERNAL_SERVER_ERROR))?;
        match encoded {
            Some(e) => e,
            None => {
                resp.set_body(data);
                return Ok(resp);
            }
        }
    } else {
        match encode(coding, &data) {
            Some(e) => e,
            None => {
                resp.set_body(data);
                return Ok(resp);
            }
        }
    };
    let h = resp.headers_mut();
    h.insert(
        header::CONTENT_ENCODING,
        HeaderValue::from_static(coding.token()),
    );
    h.remove(header::CONTENT_LENGTH);
    weaken_etag(&mut resp);
    resp.set_body(Body::from_vec(encoded));
    Ok(resp)
}

/// `"x"` → `W/"x"`: the compressed bytes are not the identity ones.
fn weaken_etag(resp: &mut Response) {
    let Some(tag) = resp
        .headers()
        .get(header::ETAG)
        .and_then(|v| v.to_str().ok())
    else {
        return;
    };
    if tag.starts_with("W/") {
        return;
    }
    if let Ok(weak) = HeaderValue::from_str(&format!("W/{tag}")) {
        resp.headers_mut().insert(header::ETAG, weak);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn negotiation_follows_the_q_values_and_prefers_brotli() {
        assert_eq!(negotiate("gzip, deflate, br, zstd"), Some(Coding::Brotli));
        assert_eq!(negotiate("gzip"), Some(Coding::Gzip));
        assert_eq!(negotiate("br;q=0.5, gzip;q=0.8"), Some(Coding::Gzip));
        assert_eq!(negotiate("br;q=0, gzip"), Some(Coding::Gzip));
        assert_eq!(negotiate("identity"), None);
        assert_eq!(negotiate("gzip;q=0"), None);
        assert_eq!(negotiate("*"), Some(Coding::Brotli));
        assert_eq!(negotiate("*;q=0, gzip"), Some(Coding::Gzip));
        assert_eq!(negotiate(""), None);
    }

    #[test]
    fn both_codings_round_trip() {
        use std::io::Read;
        let data = br#"{"items":[{"note":"rotated keys"}]}"#.repeat(200);
        let gz = encode(Coding::Gzip, &data).unwrap();
        let mut back = Vec::new();
        flate2::read::GzDecoder::new(&gz[..])
            .read_to_end(&mut back)
            .unwrap();
        assert_eq!(back, data);
        let br = encode(Coding::Brotli, &data).unwrap();
        let mut back = Vec::new();
        brotli::BrotliDecompress(&mut &br[..], &mut back).unwrap();
        assert_eq!(back, data);
        assert!(br.len() < data.len() / 10 && gz.len() < data.len() / 10);
    }
}
