//! Generic request and response field wrappers that carry a rule into the spec while the
//! service layer keeps answering a breach itself (see [`rules`](super::rules)): a required
//! field, a closed set, a bounded integer, a bounded list of ids, and `null` refused.

use std::borrow::Cow;
use std::marker::PhantomData;

use poem_openapi::registry::{MetaSchema, MetaSchemaRef, Registry};
use poem_openapi::types::{
    ParseError, ParseFromJSON, ParseFromParameter, ParseResult, ToJSON, Type,
};
use serde_json::Value;

/// A string whose allowed values are the variants of the poem-openapi `Enum` `E`: the schema
/// is `E`'s, but the text is handed on as it came, so that the service answers an unknown value
/// with its own 422 field code (`unknown_kind`, `invalid_status`…). In responses, the value the
/// server writes is always one of `E`'s.
pub struct OneOf<E>(pub String, PhantomData<E>);

impl<E> std::fmt::Debug for OneOf<E> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl<E> Clone for OneOf<E> {
    fn clone(&self) -> Self {
        Self::new(self.0.clone())
    }
}

impl<E> OneOf<E> {
    pub fn new(s: impl Into<String>) -> Self {
        Self(s.into(), PhantomData)
    }
}

impl<E> std::ops::Deref for OneOf<E> {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl<E: Type> ParseFromParameter for OneOf<E> {
    fn parse_from_parameter(value: &str) -> ParseResult<Self> {
        Ok(Self::new(value))
    }
}

impl<E> From<&str> for OneOf<E> {
    fn from(s: &str) -> Self {
        Self::new(s)
    }
}

impl<E> From<String> for OneOf<E> {
    fn from(s: String) -> Self {
        Self::new(s)
    }
}

impl<E: Type> Type for OneOf<E> {
    const IS_REQUIRED: bool = true;
    type RawValueType = Self;
    type RawElementValueType = Self;

    fn name() -> Cow<'static, str> {
        E::name()
    }

    fn schema_ref() -> MetaSchemaRef {
        E::schema_ref()
    }

    fn register(registry: &mut Registry) {
        E::register(registry);
    }

    fn as_raw_value(&self) -> Option<&Self> {
        Some(self)
    }

    fn raw_element_iter<'a>(&'a self) -> Box<dyn Iterator<Item = &'a Self> + 'a> {
        Box::new(std::iter::once(self))
    }
}

impl<E: Type> ParseFromJSON for OneOf<E> {
    fn parse_from_json(value: Option<Value>) -> ParseResult<Self> {
        match value {
            Some(Value::String(s)) => Ok(Self::new(s)),
            other => Err(ParseError::expected_type(other.unwrap_or_default())),
        }
    }
}

impl<E: Type> ToJSON for OneOf<E> {
    fn to_json(&self) -> Option<Value> {
        Some(Value::String(self.0.clone()))
    }
}

/// For `#[oai(deserialize_with = "no_null")]` on an optional request field: absent means
/// "unchanged" (or the default), a value is parsed as usual, and `null`, which the schema does
/// not allow there, is `request.invalid_body` instead of quietly meaning "absent".
pub fn no_null<T: ParseFromJSON>(value: Option<Value>) -> ParseResult<Option<T>> {
    match value {
        None => Ok(None),
        Some(Value::Null) => Err(ParseError::custom(
            "null is not allowed here; leave the field out instead",
        )),
        Some(v) => T::parse_from_json(Some(v))
            .map(Some)
            .map_err(ParseError::propagate),
    }
}

/// A field the schema lists as required whose absence the service layer answers itself, with
/// `422 validation.failed` and the field code `required` (as it did before the spec said so).
/// `null` is refused like a wrong type.
#[derive(Debug, Clone)]
pub struct Required<T>(pub Option<T>);

impl<T: Type> Type for Required<T> {
    const IS_REQUIRED: bool = true;
    type RawValueType = T::RawValueType;
    type RawElementValueType = T::RawElementValueType;

    fn name() -> Cow<'static, str> {
        T::name()
    }

    fn schema_ref() -> MetaSchemaRef {
        T::schema_ref()
    }

    fn register(registry: &mut Registry) {
        T::register(registry);
    }

    fn as_raw_value(&self) -> Option<&Self::RawValueType> {
        self.0.as_ref().and_then(Type::as_raw_value)
    }

    fn raw_element_iter<'a>(
        &'a self,
    ) -> Box<dyn Iterator<Item = &'a Self::RawElementValueType> + 'a> {
        match &self.0 {
            Some(v) => v.raw_element_iter(),
            None => Box::new(std::iter::empty()),
        }
    }
}

impl<T: ParseFromJSON> ParseFromJSON for Required<T> {
    fn parse_from_json(value: Option<Value>) -> ParseResult<Self> {
        no_null(value).map(Self).map_err(ParseError::propagate)
    }
}

impl<T: ToJSON> ToJSON for Required<T> {
    fn to_json(&self) -> Option<Value> {
        self.0.as_ref().and_then(ToJSON::to_json)
    }
}

/// 1 to 500 ids (the service answers another count with 422 `out_of_range`).
#[derive(Debug, Clone)]
pub struct IdList(pub Vec<super::dto::Text>);

impl Type for IdList {
    const IS_REQUIRED: bool = true;
    type RawValueType = Self;
    type RawElementValueType = Self;

    fn name() -> Cow<'static, str> {
        "[string](1..500)".into()
    }

    fn schema_ref() -> MetaSchemaRef {
        MetaSchemaRef::Inline(Box::new(MetaSchema {
            items: Some(Box::new(MetaSchemaRef::Inline(Box::new(MetaSchema::new(
                "string",
            ))))),
            min_items: Some(1),
            max_items: Some(500),
            ..MetaSchema::new("array")
        }))
    }

    fn as_raw_value(&self) -> Option<&Self> {
        Some(self)
    }

    fn raw_element_iter<'a>(&'a self) -> Box<dyn Iterator<Item = &'a Self> + 'a> {
        Box::new(std::iter::once(self))
    }
}

impl ParseFromJSON for IdList {
    fn parse_from_json(value: Option<Value>) -> ParseResult<Self> {
        Vec::<super::dto::Text>::parse_from_json(value)
            .map(Self)
            .map_err(ParseError::propagate)
    }
}

impl ToJSON for IdList {
    fn to_json(&self) -> Option<Value> {
        self.0.to_json()
    }
}

impl std::ops::Deref for IdList {
    type Target = Vec<super::dto::Text>;
    fn deref(&self) -> &Self::Target {
        &self.0
    }
}

/// A closed set of names a list field takes (see [`NameList`]).
pub trait Names: Send + Sync + 'static {
    /// The type's name in the spec.
    const NAME: &'static str;
    const NAMES: &'static [&'static str];
}

/// An API token's scopes: `read`, `write`, `admin`.
pub struct ScopeNames;
impl Names for ScopeNames {
    const NAME: &'static str = "[scope](1..)";
    const NAMES: &'static [&'static str] = &["read", "write", "admin"];
}

/// A webhook's events.
pub struct EventNames;
impl Names for EventNames {
    const NAME: &'static str = "[webhook_event](1..)";
    const NAMES: &'static [&'static str] = &crate::domain::webhook::EVENTS;
}

/// 1 to as many of `N`'s names as there are (the service answers another list with its own
/// 422 field code).
pub struct NameList<N: Names>(pub Vec<super::dto::Text>, PhantomData<N>);

/// An API token's scopes.
pub type ScopeList = NameList<ScopeNames>;
/// A webhook's events.
pub type EventList = NameList<EventNames>;

impl<N: Names> Type for NameList<N> {
    const IS_REQUIRED: bool = true;
    type RawValueType = Self;
    type RawElementValueType = Self;

    fn name() -> Cow<'static, str> {
        N::NAME.into()
    }

    fn schema_ref() -> MetaSchemaRef {
        let item = MetaSchema {
            enum_items: N::NAMES
                .iter()
                .map(|s| Value::String((*s).to_owned()))
                .collect(),
            ..MetaSchema::new("string")
        };
        MetaSchemaRef::Inline(Box::new(MetaSchema {
            items: Some(Box::new(MetaSchemaRef::Inline(Box::new(item)))),
            min_items: Some(1),
            max_items: Some(N::NAMES.len()),
            ..MetaSchema::new("array")
        }))
    }

    fn as_raw_value(&self) -> Option<&Self> {
        Some(self)
    }

    fn raw_element_iter<'a>(&'a self) -> Box<dyn Iterator<Item = &'a Self> + 'a> {
        Box::new(std::iter::once(self))
    }
}

impl<N: Names> ParseFromJSON for NameList<N> {
    fn parse_from_json(value: Option<Value>) -> ParseResult<Self> {
        Vec::<super::dto::Text>::parse_from_json(value)
            .map(|v| Self(v, PhantomData))
            .map_err(ParseError::propagate)
    }
}

impl<N: Names> ToJSON for NameList<N> {
    fn to_json(&self) -> Option<Value> {
        self.0.to_json()
    }
}

/// A whole number in `MIN..=MAX` (the service answers another with its own 422 field code).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bounded<const MIN: i64, const MAX: i64>(pub i64);

/// A whole number that is not negative (the service answers a negative one with 422
/// `negative`).
pub type NonNegative = Bounded<0, { i64::MAX }>;

/// An hourly rate in minor units, 0 to `domain::tracking::MAX_RATE_CENTS` (the spec says so;
/// the service names the limit in its 422).
pub type RateCents = Bounded<0, { crate::domain::tracking::MAX_RATE_CENTS }>;

/// A task estimate in seconds, 0 to `domain::tracking::MAX_ESTIMATE_SECS` (1,000 hours).
pub type EstimateSecs = Bounded<0, { crate::domain::tracking::MAX_ESTIMATE_SECS }>;

impl<const MIN: i64, const MAX: i64> Type for Bounded<MIN, MAX> {
    const IS_REQUIRED: bool = true;
    type RawValueType = Self;
    type RawElementValueType = Self;

    fn name() -> Cow<'static, str> {
        format!("integer({MIN}..={MAX})").into()
    }

    fn schema_ref() -> MetaSchemaRef {
        MetaSchemaRef::Inline(Box::new(MetaSchema {
            minimum: (MIN != i64::MIN).then_some(MIN as f64),
            maximum: (MAX != i64::MAX).then_some(MAX as f64),
            ..MetaSchema::new_with_format("integer", "int64")
        }))
    }

    fn as_raw_value(&self) -> Option<&Self> {
        Some(self)
    }

    fn raw_element_iter<'a>(&'a self) -> Box<dyn Iterator<Item = &'a Self> + 'a> {
        Box::new(std::iter::once(self))
    }
}

impl<const MIN: i64, const MAX: i64> ParseFromJSON for Bounded<MIN, MAX> {
    fn parse_from_json(value: Option<Value>) -> ParseResult<Self> {
        i64::parse_from_json(value)
            .map(Self)
            .map_err(ParseError::propagate)
    }
}

impl<const MIN: i64, const MAX: i64> ToJSON for Bounded<MIN, MAX> {
    fn to_json(&self) -> Option<Value> {
        Some(Value::from(self.0))
    }
}
