//! The `Allow` header of a `405 Method Not Allowed` answer (RFC 9110 §15.5.6): the methods the
//! API serves at that path, read once from the OpenAPI document, so it cannot drift from the
//! routes. Paths outside the API keep their 405 as they are.

use poem::http::{header, HeaderValue, StatusCode};
use poem::{Endpoint, IntoResponse, Request, Response};

/// Path templates of the API (`/api/v1/users/{id}`) with the methods each serves.
#[derive(Debug, Default, Clone)]
pub struct AllowIndex {
    routes: Vec<(Vec<Segment>, HeaderValue)>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Segment {
    Literal(String),
    Param,
}

fn segments(path: &str) -> impl Iterator<Item = &str> {
    path.split('/').filter(|s| !s.is_empty())
}

impl AllowIndex {
    /// From an OpenAPI document whose paths are relative to `prefix` (`/api/v1`).
    pub fn from_spec(spec: &str, prefix: &str) -> Self {
        let doc: serde_json::Value = serde_json::from_str(spec).unwrap_or_default();
        let mut routes = Vec::new();
        for (path, ops) in doc["paths"].as_object().into_iter().flatten() {
            let pattern: Vec<Segment> = segments(prefix)
                .chain(segments(path))
                .map(|s| {
                    if s.starts_with('{') && s.ends_with('}') {
                        Segment::Param
                    } else {
                        Segment::Literal(s.to_owned())
                    }
                })
                .collect();
            let mut methods: Vec<String> = ops
                .as_object()
                .into_iter()
                .flatten()
                .map(|(m, _)| m.to_ascii_uppercase())
                .collect();
            if methods.iter().any(|m| m == "GET") {
                // poem answers HEAD wherever it answers GET.
                methods.push("HEAD".into());
            }
            methods.sort();
            if let Ok(v) = HeaderValue::from_str(&methods.join(", ")) {
                routes.push((pattern, v));
            }
        }
        // Literal segments win over parameters (`/entries/bulk` before `/entries/{id}`).
        routes.sort_by_key(|(p, _)| p.iter().filter(|s| **s == Segment::Param).count());
        Self { routes }
    }

    /// The `Allow` value for `path`, if it is one of the API's.
    pub fn allow(&self, path: &str) -> Option<&HeaderValue> {
        let parts: Vec<&str> = segments(path).collect();
        self.routes
            .iter()
            .find(|(pattern, _)| {
                pattern.len() == parts.len()
                    && pattern.iter().zip(&parts).all(|(s, p)| match s {
                        Segment::Param => true,
                        Segment::Literal(l) => l == p,
                    })
            })
            .map(|(_, v)| v)
    }
}

/// Adds `Allow` to a 405 answer for a path of the API.
pub async fn add<E: Endpoint>(
    ep: E,
    req: Request,
    index: std::sync::Arc<AllowIndex>,
) -> poem::Result<Response> {
    let path = req.uri().path().to_owned();
    let mut resp = match ep.call(req).await {
        Ok(r) => r.into_response(),
        Err(e) => e.into_response(),
    };
    if resp.status() == StatusCode::METHOD_NOT_ALLOWED {
        if let Some(v) = index.allow(&path) {
            resp.headers_mut().insert(header::ALLOW, v.clone());
        }
    }
    Ok(resp)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_match_their_template_and_literals_win() {
        let spec = r#"{"paths": {
            "/entries/{id}": {"patch": {}, "delete": {}},
            "/entries/bulk": {"post": {}},
            "/me": {"get": {}, "patch": {}}
        }}"#;
        let idx = AllowIndex::from_spec(spec, "/api/v1");
        assert_eq!(idx.allow("/api/v1/entries/abc").unwrap(), "DELETE, PATCH");
        assert_eq!(idx.allow("/api/v1/entries/bulk").unwrap(), "POST");
        assert_eq!(idx.allow("/api/v1/me").unwrap(), "GET, HEAD, PATCH");
        assert!(idx.allow("/api/v1/nope").is_none());
        assert!(idx.allow("/me").is_none());
    }
}
