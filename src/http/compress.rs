//! Response compression: gzip when the client accepts it (`Accept-Encoding`), for text a
//! browser or a script reads (JSON, HTML, CSS, JavaScript, SVG, plain text) of 1 KiB or more.
//! A month of entries (930 KB of JSON) goes over the wire as about a twentieth of that.
//!
//! Answers are compressed with gzip only: brotli (quality 4) made a month's answer 17 % smaller
//! than gzip but served fewer months per second and its encoder added 1 MB to the binary
//! (docs/performance.md, "A month of entries"). The web UI's files also come in brotli, made at
//! build time (`src/build.rs`), so no brotli encoder is in the binary; `preferred_codings` chooses
//! between the two for them (`assets`).
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
/// Gzip level 5: most of the size win for a fraction of level 9's CPU (measured in
/// docs/performance.md, "A month of entries").
const GZIP_LEVEL: u32 = 5;

/// The q-values (RFC 9110 §12.5.3) an `Accept-Encoding` gives gzip, brotli and `*`, when it
/// names them. A value that does not parse counts as 1.
#[derive(Default)]
struct Accepted {
    gzip: Option<f32>,
    br: Option<f32>,
    any: Option<f32>,
}

impl Accepted {
    fn parse(accept: &str) -> Self {
        let mut a = Self::default();
        for part in accept.split(',') {
            let mut fields = part.split(';');
            let name = fields.next().unwrap_or("").trim().to_ascii_lowercase();
            let q = fields
                .filter_map(|f| f.trim().strip_prefix("q="))
                .filter_map(|q| q.trim().parse::<f32>().ok())
                .next()
                .unwrap_or(1.0);
            match name.as_str() {
                "gzip" | "x-gzip" => a.gzip = Some(q),
                "br" => a.br = Some(q),
                "*" => a.any = Some(q),
                _ => {}
            }
        }
        a
    }

    /// A coding's q-value: its own, else `*`'s, else 0 (not acceptable).
    fn q(&self, coding: Option<f32>) -> f32 {
        coding.or(self.any).unwrap_or(0.0)
    }
}

/// Whether the client accepts gzip (RFC 9110 §12.5.3: `q=0` refuses a coding, `*` stands for
/// any not named).
pub fn accepts_gzip(accept: &str) -> bool {
    let a = Accepted::parse(accept);
    a.q(a.gzip) > 0.0
}

/// A content coding a static file is kept in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Coding {
    /// Brotli: made at build time; 14 % smaller than gzip (level 9) for the web UI's files.
    Br,
    Gzip,
}

impl Coding {
    /// The `Content-Encoding` name.
    pub fn name(self) -> &'static str {
        match self {
            Coding::Br => "br",
            Coding::Gzip => "gzip",
        }
    }
}

/// The codings the client accepts, best first: the higher q-value first, brotli first when
/// they are equal (as in every browser's `gzip, deflate, br, zstd`), since it is the smaller.
/// Empty: identity only.
pub fn preferred_codings(accept: &str) -> [Option<Coding>; 2] {
    let a = Accepted::parse(accept);
    let (br, gzip) = (a.q(a.br), a.q(a.gzip));
    let ok = |q: f32, c: Coding| (q > 0.0).then_some(c);
    if gzip > br {
        [ok(gzip, Coding::Gzip), ok(br, Coding::Br)]
    } else {
        [ok(br, Coding::Br), ok(gzip, Coding::Gzip)]
    }
}

/// Whether a response of this `Content-Type` is text worth compressing.
pub(super) fn compressible(content_type: &str) -> bool {
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

/// Gzips `data`; `None` if the encoder failed (the identity body is sent then).
pub fn gzip(data: &[u8]) -> Option<Vec<u8>> {
    use std::io::Write;
    let mut e = flate2::write::GzEncoder::new(
        Vec::with_capacity(data.len() / 6),
        flate2::Compression::new(GZIP_LEVEL),
    );
    e.write_all(data).ok()?;
    e.finish().ok()
}

/// The middleware.
pub async fn compress<E: Endpoint>(ep: E, req: Request) -> poem::Result<Response> {
    let wanted = req
        .headers()
        .get(header::ACCEPT_ENCODING)
        .and_then(|v| v.to_str().ok())
        .is_some_and(accepts_gzip);
    let head = req.method() == Method::HEAD;
    let mut resp = ep.call(req).await.map(IntoResponse::into_response)?;
    let text = resp
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(compressible);
    let varies = (resp.headers().get_all(header::VARY).iter())
        .any(|v| v.to_str().is_ok_and(|v| v.contains("accept-encoding")));
    if text && !varies {
        resp.headers_mut()
            .append(header::VARY, HeaderValue::from_static("accept-encoding"));
    }
    if !wanted {
        return Ok(resp);
    }
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
    let (data, encoded) = if data.len() > OFF_RUNTIME {
        tokio::task::spawn_blocking(move || {
            let e = gzip(&data);
            (data, e)
        })
        .await
        .map_err(|_| poem::Error::from_status(StatusCode::INTERNAL_SERVER_ERROR))?
    } else {
        let e = gzip(&data);
        (data, e)
    };
    let Some(encoded) = encoded else {
        resp.set_body(data);
        return Ok(resp);
    };
    let h = resp.headers_mut();
    h.insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
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
    fn gzip_is_taken_when_accepted_by_name_or_by_star() {
        assert!(accepts_gzip("gzip, deflate, br, zstd"));
        assert!(accepts_gzip("gzip"));
        assert!(accepts_gzip("x-gzip;q=0.5"));
        assert!(accepts_gzip("br;q=0, gzip;q=0.8"));
        assert!(accepts_gzip("*"));
        assert!(!accepts_gzip("identity"));
        assert!(!accepts_gzip("gzip;q=0"));
        assert!(!accepts_gzip("br"));
        assert!(!accepts_gzip("*, gzip;q=0"));
        assert!(!accepts_gzip(""));
    }

    #[test]
    fn brotli_comes_first_unless_refused_or_less_wanted_than_gzip() {
        use Coding::{Br, Gzip};
        let cases: [(&str, &[Coding]); 11] = [
            ("gzip, deflate, br, zstd", &[Br, Gzip]),
            ("br", &[Br]),
            ("BR;q=0.5", &[Br]),
            ("gzip", &[Gzip]),
            ("br;q=0, gzip", &[Gzip]),
            ("gzip;q=1, br;q=0.5", &[Gzip, Br]),
            ("br;q=0.8, gzip;q=0.8", &[Br, Gzip]),
            ("*", &[Br, Gzip]),
            ("*;q=0, gzip", &[Gzip]),
            ("identity", &[]),
            ("", &[]),
        ];
        for (accept, want) in cases {
            let got: Vec<_> = preferred_codings(accept).into_iter().flatten().collect();
            assert_eq!(got, want, "{accept}");
        }
    }

    #[test]
    fn gzip_round_trips() {
        use std::io::Read;
        let data = br#"{"items":[{"note":"rotated keys"}]}"#.repeat(200);
        let gz = gzip(&data).unwrap();
        let mut back = Vec::new();
        flate2::read::GzDecoder::new(&gz[..])
            .read_to_end(&mut back)
            .unwrap();
        assert_eq!(back, data);
        assert!(gz.len() < data.len() / 10);
    }
}
