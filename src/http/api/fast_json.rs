//! A JSON payload written directly: the same body and the same spec as
//! `poem_openapi::payload::Json`, without building a `serde_json::Value` tree first. For large
//! listings (a month of entries), where building and dropping that tree of maps was about 40 %
//! of the response's CPU (docs/performance.md, "A month of entries").
//!
//! `T` is the answer's type in the spec (it derives `Object`); the writer must give the JSON
//! `T` would for the same data; a test beside each use checks that the two are the same bytes.

use std::marker::PhantomData;

use poem::{IntoResponse, Response};
use poem_openapi::payload::Payload;
use poem_openapi::registry::{MetaMediaType, MetaResponse, MetaResponses, MetaSchemaRef, Registry};
use poem_openapi::types::Type;
use poem_openapi::ApiResponse;

const CONTENT_TYPE: &str = "application/json; charset=utf-8";

/// `200 OK` with a JSON body in `T`'s schema, serialized directly.
pub struct FastJson<T> {
    body: bytes::Bytes,
    schema: PhantomData<fn() -> T>,
}

impl<T> FastJson<T> {
    /// The answer `write` writes, which must be the JSON a `T` of the same data would be.
    /// `size_hint` is about how many bytes that is: the buffer is a reused one
    /// ([`super::buffers`]) with that much room.
    pub fn written_by(size_hint: usize, write: impl FnOnce(&mut Vec<u8>)) -> Self {
        let mut buf = super::buffers::take(size_hint);
        write(&mut buf);
        Self {
            body: super::buffers::into_bytes(buf),
            schema: PhantomData,
        }
    }
}

impl<T: Type> Payload for FastJson<T> {
    const CONTENT_TYPE: &'static str = CONTENT_TYPE;

    fn check_content_type(content_type: &str) -> bool {
        content_type.starts_with("application/json")
    }

    fn schema_ref() -> MetaSchemaRef {
        T::schema_ref()
    }

    fn register(registry: &mut Registry) {
        T::register(registry);
    }
}

impl<T> IntoResponse for FastJson<T> {
    fn into_response(self) -> Response {
        Response::builder()
            .content_type(CONTENT_TYPE)
            .body(self.body)
    }
}

impl<T: Type> ApiResponse for FastJson<T> {
    fn meta() -> MetaResponses {
        MetaResponses {
            responses: vec![MetaResponse {
                description: "",
                status: Some(200),
                status_range: None,
                content: vec![MetaMediaType {
                    content_type: <Self as Payload>::CONTENT_TYPE,
                    schema: <Self as Payload>::schema_ref(),
                }],
                headers: vec![],
            }],
        }
    }

    fn register(registry: &mut Registry) {
        T::register(registry);
    }
}
