//! Refuses a JSON request body that names a key twice in one object. serde_json (and so
//! poem-openapi) keeps the last one, so `{"role":"member","role":"admin"}` would mean whatever
//! the last writer intended, and a proxy or a log that reads the first one would disagree
//! with the server. Such a body is `400 request.duplicate_key`; every other body passes on
//! unchanged (a body that is not JSON at all is left to the handler's own error).

use std::collections::HashSet;
use std::fmt;

use poem::http::{header, StatusCode};
use poem::{Endpoint, IntoResponse, Request, Response};
use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};

use super::problem::problem;
use crate::domain::codes;

/// What the walk reports for a key seen twice; recognised again by [`duplicate_key`].
const MARKER: &str = "duplicate key ";

/// A JSON value walked only to find a repeated key.
struct Walk;

impl<'de> Deserialize<'de> for Walk {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(WalkVisitor)
    }
}

struct WalkVisitor;

impl<'de> Visitor<'de> for WalkVisitor {
    type Value = Walk;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, _: bool) -> Result<Walk, E> {
        Ok(Walk)
    }
    fn visit_i64<E>(self, _: i64) -> Result<Walk, E> {
        Ok(Walk)
    }
    fn visit_u64<E>(self, _: u64) -> Result<Walk, E> {
        Ok(Walk)
    }
    fn visit_f64<E>(self, _: f64) -> Result<Walk, E> {
        Ok(Walk)
    }
    fn visit_str<E>(self, _: &str) -> Result<Walk, E> {
        Ok(Walk)
    }
    fn visit_unit<E>(self) -> Result<Walk, E> {
        Ok(Walk)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Walk, A::Error> {
        while seq.next_element::<Walk>()?.is_some() {}
        Ok(Walk)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Walk, A::Error> {
        let mut seen = HashSet::new();
        while let Some(key) = map.next_key::<String>()? {
            if seen.contains(&key) {
                let shown: String = key.chars().take(60).collect();
                return Err(de::Error::custom(format!("{MARKER}`{shown}`")));
            }
            map.next_value::<Walk>()?;
            seen.insert(key);
        }
        Ok(Walk)
    }
}

/// The repeated key's message, when `body` is JSON with one; `None` for any other body.
pub fn duplicate_key(body: &[u8]) -> Option<String> {
    // Broken JSON is the handler's to report (`request.malformed_json`), wherever it breaks.
    serde_json::from_slice::<de::IgnoredAny>(body).ok()?;
    match serde_json::from_slice::<Walk>(body) {
        Err(e) if e.is_data() && e.to_string().starts_with(MARKER) => Some(e.to_string()),
        _ => None,
    }
}

/// The middleware: JSON bodies only, read whole (the body limit outside bounds them).
pub async fn refuse_duplicate_keys<E: Endpoint>(ep: E, mut req: Request) -> poem::Result<Response> {
    let json = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.to_ascii_lowercase().contains("json"));
    if json {
        let body = req.take_body().into_vec().await?;
        if let Some(why) = duplicate_key(&body) {
            let p = problem(
                StatusCode::BAD_REQUEST,
                codes::REQUEST_DUPLICATE_KEY,
                Some(why),
            );
            return Ok(super::middleware::render(p));
        }
        req.set_body(body);
    }
    ep.call(req).await.map(IntoResponse::into_response)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_named_twice_in_one_object_is_found_at_any_depth() {
        assert!(duplicate_key(br#"{"a":1,"a":2}"#).unwrap().contains("`a`"));
        assert!(duplicate_key(br#"{"x":[{"b":1,"\u0062":2}]}"#).is_some());
        assert!(duplicate_key(br#"{"a":{"a":1},"b":[{"a":1},{"a":2}]}"#).is_none());
        assert!(duplicate_key(b"not json").is_none());
        assert!(
            duplicate_key(br#"{"a":1,"a":"#).is_none(),
            "broken JSON: the handler says so"
        );
    }
}
