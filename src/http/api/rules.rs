//! Request field types that carry the server's input rules into `/api/openapi.json`, so the
//! spec says up front what the service layer accepts: lengths, patterns, date formats, closed
//! sets. Each parses any JSON string (another JSON type is `request.invalid_body`, as with
//! [`Text`](super::dto::Text)) and hands the text on unchanged: the service layer still checks
//! the rule and answers `422 validation.failed` with a field code, as it always has. The schema
//! is never looser than the service (a value it allows is accepted), which schemathesis checks
//! in the test command (tests/spec).

use std::borrow::Cow;
use std::sync::atomic::{AtomicUsize, Ordering};

use poem_openapi::registry::{MetaSchema, MetaSchemaRef, Registry};
use poem_openapi::types::{
    ParseError, ParseFromJSON, ParseFromParameter, ParseResult, ToJSON, Type,
};
use serde_json::Value;

pub use super::wrappers::EventList;
pub use super::wrappers::{
    no_null, Bounded, EstimateSecs, IdList, NonNegative, OneOf, RateCents, Required, ScopeList,
};

/// A name: at least one character that is neither blank nor a control character, none of the
/// latter anywhere (`domain::tracking::name`, `domain::user::DisplayName`).
/// Leading and trailing blanks (Rust's `trim`) are dropped first, control ones included, so
/// the length limit is on what is left: it starts and ends with a visible character and is
/// 1–100 characters long.
const NAME_PATTERN: &str = concat!(
    r"^[\t\n\x0b\x0c\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*",
    r"[^\s\x00-\x1f\x7f-\x9f]([^\x00-\x1f\x7f-\x9f]{0,98}[^\s\x00-\x1f\x7f-\x9f])?",
    r"[\t\n\x0b\x0c\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*$"
);
/// [`TAG_PATTERN`], or only blanks and leading `#`s (such a tag is dropped).
const TAG_OR_BLANK_PATTERN: &str = concat!(
    r"^[\t\n\x0b\x0c\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*#*",
    r"[\t\n\x0b\x0c\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*",
    r"([^\s#\x00-\x1f\x7f-\x9f]([^\x00-\x1f\x7f-\x9f]{0,38}[^\s\x00-\x1f\x7f-\x9f])?",
    r"[\t\n\x0b\x0c\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*)?$"
);
/// A tag as [`NAME_PATTERN`], 1–40 characters once blanks and leading `#`s are dropped.
const TAG_PATTERN: &str = concat!(
    r"^[\t\n\x0b\x0c\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*#*",
    r"[\t\n\x0b\x0c\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*",
    r"[^\s#\x00-\x1f\x7f-\x9f]([^\x00-\x1f\x7f-\x9f]{0,38}[^\s\x00-\x1f\x7f-\x9f])?",
    r"[\t\n\x0b\x0c\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*$"
);

fn string() -> MetaSchema {
    MetaSchema::new("string")
}

/// The `Type`, parsing and serialising impls of a string field type `$ty` (a tuple struct whose
/// `.0` is the text) with the schema `$schema`, inline or, with `named`, as a component.
macro_rules! string_impls {
    ([$($gen:tt)*] $ty:ty, $type_name:expr, $named:literal, $schema:expr) => {
        impl<$($gen)*> Type for $ty {
            const IS_REQUIRED: bool = true;
            type RawValueType = Self;
            type RawElementValueType = Self;

            fn name() -> Cow<'static, str> {
                $type_name.into()
            }

            fn schema_ref() -> MetaSchemaRef {
                if $named {
                    MetaSchemaRef::Reference(Self::name().into_owned())
                } else {
                    MetaSchemaRef::Inline(Box::new($schema))
                }
            }

            fn register(registry: &mut Registry) {
                if $named {
                    registry.create_schema::<Self, _>(Self::name().into_owned(), |_| $schema);
                }
            }

            fn as_raw_value(&self) -> Option<&Self> {
                Some(self)
            }

            fn raw_element_iter<'a>(&'a self) -> Box<dyn Iterator<Item = &'a Self> + 'a> {
                Box::new(std::iter::once(self))
            }
        }

        impl<$($gen)*> ParseFromJSON for $ty {
            fn parse_from_json(value: Option<Value>) -> ParseResult<Self> {
                match value {
                    Some(Value::String(s)) => Ok(Self(s)),
                    other => Err(ParseError::expected_type(other.unwrap_or_default())),
                }
            }
        }

        impl<$($gen)*> ParseFromParameter for $ty {
            fn parse_from_parameter(value: &str) -> ParseResult<Self> {
                Ok(Self(value.to_owned()))
            }
        }

        impl<$($gen)*> ToJSON for $ty {
            fn to_json(&self) -> Option<Value> {
                Some(Value::String(self.0.clone()))
            }
        }

        impl<$($gen)*> std::ops::Deref for $ty {
            type Target = str;
            fn deref(&self) -> &str {
                &self.0
            }
        }
    };
}

/// A string field type whose schema is `$schema`; see the module comment.
macro_rules! rule {
    ($(#[$doc:meta])* $name:ident, $type_name:literal, $schema:expr) => {
        rule!($(#[$doc])* $name, $type_name, false, $schema);
    };
    ($(#[$doc:meta])* $name:ident, $type_name:literal, $named:literal, $schema:expr) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub struct $name(pub String);
        string_impls!([] $name, $type_name, $named, $schema);
    };
}

/// Rust's `trim`: the blanks dropped from both ends before a length is counted.
const BLANK: &str = r"[\t\n\x0b\x0c\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]";
const NOT_BLANK: &str =
    r"[^\t\n\x0b\x0c\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]";

/// At most `max` characters once trimmed: blanks, then up to `max` characters that start and
/// end with a non-blank one (`inner` and `edge` restrict them further), then blanks.
fn trimmed_at_most(max: usize, inner: &str, edge: &str) -> String {
    let inner_max = max.saturating_sub(2);
    format!("^{BLANK}*({edge}({inner}{{0,{inner_max}}}{edge})?)?{BLANK}*$")
}

/// As [`trimmed_at_most`], but at least one character must be left.
fn trimmed_not_blank(max: usize, inner: &str, edge: &str) -> String {
    let inner_max = max.saturating_sub(2);
    format!("^{BLANK}*{edge}({inner}{{0,{inner_max}}}{edge})?{BLANK}*$")
}

/// Free text of at most `MAX` characters (leading and trailing blanks are trimmed first).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limited<const MAX: usize>(pub String);
string_impls!([const MAX: usize] Limited<MAX>, format!("string(max {MAX})"), false, MetaSchema {
    pattern: Some(trimmed_at_most(MAX, r"[\s\S]", NOT_BLANK)),
    ..string()
});

/// Text that is not blank, at most `MAX` characters (a reason that must be given).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NonBlank<const MAX: usize>(pub String);
string_impls!([const MAX: usize] NonBlank<MAX>, format!("string(not blank, max {MAX})"), false, MetaSchema {
    min_length: Some(1),
    pattern: Some(trimmed_not_blank(MAX, r"[\s\S]", NOT_BLANK)),
    ..string()
});

/// Text that is not blank, at most `MAX` characters, no control characters but newlines (a
/// reason recorded in the privacy register).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlainNonBlank<const MAX: usize>(pub String);
string_impls!([const MAX: usize] PlainNonBlank<MAX>, format!("string(plain, not blank, max {MAX})"), false, MetaSchema {
    min_length: Some(1),
    pattern: Some(trimmed_not_blank(
        MAX,
        r"[^\x00-\x09\x0b-\x1f\x7f-\x9f]",
        r"[^\s\x00-\x1f\x7f-\x9f]",
    )),
    ..string()
});

/// Free text of at most `MAX` characters and no control characters but newlines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlainText<const MAX: usize>(pub String);
string_impls!([const MAX: usize] PlainText<MAX>, format!("string(plain, max {MAX})"), false, MetaSchema {
    pattern: Some(trimmed_at_most(
        MAX,
        r"[^\x00-\x09\x0b-\x1f\x7f-\x9f]",
        r"[^\s\x00-\x1f\x7f-\x9f]",
    )),
    ..string()
});

rule!(
    /// A name: 1–100 characters, not blank, no control characters (leading and trailing blanks
    /// are trimmed first).
    Name,
    "string(name)",
    MetaSchema {
        min_length: Some(1),
        pattern: Some(NAME_PATTERN.into()),
        ..string()
    }
);

rule!(
    /// A tag: 1–40 characters, not blank, no control characters; a leading `#` is dropped.
    TagName,
    "string(tag)",
    MetaSchema {
        min_length: Some(1),
        pattern: Some(TAG_PATTERN.into()),
        ..string()
    }
);

rule!(
    /// An email address, at most 254 characters (stored trimmed and lower-cased).
    EmailText,
    "string(email)",
    MetaSchema {
        format: Some("email"),
        max_length: Some(254),
        ..string()
    }
);

rule!(
    /// `#rrggbb`.
    Color,
    "string(color)",
    MetaSchema {
        pattern: Some("^#[0-9a-fA-F]{6}$".into()),
        ..string()
    }
);

rule!(
    /// Three letters, an ISO 4217 code such as `EUR` (stored upper-cased).
    Currency,
    "string(currency)",
    MetaSchema {
        pattern: Some("^[A-Za-z]{3}$".into()),
        ..string()
    }
);

rule!(
    /// How billed time is rounded: `none`, or `<up|down|nearest> <minutes> per <entry|day>`.
    RoundingText,
    "string(rounding)",
    MetaSchema {
        pattern: Some("^(none|(up|down|nearest) (1|5|6|10|15|30) per (entry|day))$".into()),
        ..string()
    }
);

rule!(
    /// A calendar date, `YYYY-MM-DD`.
    DateText,
    "string(date)",
    MetaSchema {
        format: Some("date"),
        pattern: Some("^[0-9]{4}-[0-9]{2}-[0-9]{2}$".into()),
        ..string()
    }
);

rule!(
    /// A `YYYY-MM-DD` date, or empty (none).
    DateOrEmpty,
    "string(date|empty)",
    MetaSchema {
        any_of: vec![
            MetaSchemaRef::Inline(Box::new(MetaSchema::new_with_format("string", "date"))),
            MetaSchemaRef::Inline(Box::new(MetaSchema {
                max_length: Some(0),
                ..string()
            })),
        ],
        ..MetaSchema::ANY
    }
);

rule!(
    /// A webhook's URL: http or https, a host without credentials, no fragment or spaces, at
    /// most 2000 characters (the host must also be in `webhooks.allowed_hosts`).
    HookUrl,
    "string(webhook url)",
    MetaSchema {
        pattern: Some(r"^https?://[^\s/?#@]+([/?][^\s#]*)?$".into()),
        max_length: Some(2000),
        ..string()
    }
);

rule!(
    /// An id from this API (a UUID).
    UuidText,
    "string(uuid)",
    MetaSchema::new_with_format("string", "uuid")
);

rule!(
    /// An id from this API (a UUID), or empty (none).
    UuidOrEmpty,
    "string(uuid|empty)",
    MetaSchema {
        any_of: vec![
            MetaSchemaRef::Inline(Box::new(MetaSchema::new_with_format("string", "uuid"))),
            MetaSchemaRef::Inline(Box::new(MetaSchema {
                max_length: Some(0),
                ..string()
            })),
        ],
        ..MetaSchema::ANY
    }
);

rule!(
    /// Security event kinds, comma-separated (see `GET /security-events/kinds`); blank: all.
    KindList,
    "string(kinds)",
    MetaSchema {
        pattern: Some({
            let kinds = crate::domain::security::SecurityKind::ALL
                .iter()
                .map(|k| k.as_str())
                .collect::<Vec<_>>()
                .join("|");
            format!(r"^\s*(({kinds})\s*(,\s*({kinds})\s*)*)?$")
        }),
        ..string()
    }
);

/// A UUID as this API writes it.
const UUID: &str = "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}";
/// What a report may be grouped by.
const DIMS: &str = "client|project|task|user|tag|day|week|month";

rule!(
    /// Ids from this API, comma-separated; blank: all.
    UuidList,
    "string(uuids)",
    MetaSchema {
        pattern: Some(format!(r"^\s*({UUID}\s*(,\s*{UUID}\s*)*)?$")),
        ..string()
    }
);

rule!(
    /// Up to two of `client`, `project`, `task`, `user`, `tag`, `day`, `week`, `month`,
    /// comma-separated, each once; blank: no rows, only the total.
    GroupList,
    "string(groups)",
    MetaSchema {
        pattern: Some(format!(r"^\s*(({DIMS})\s*(,\s*({DIMS})\s*)?)?$")),
        ..string()
    }
);

rule!(
    /// An RFC 3339 instant with any offset, e.g. `2026-11-23T09:15:00Z`.
    InstantText,
    "string(date-time)",
    MetaSchema::new_with_format("string", "date-time")
);

rule!(
    /// An `Idempotency-Key` header: 1–255 visible ASCII characters (a UUID, say).
    IdempotencyKey,
    "string(idempotency-key)",
    MetaSchema {
        min_length: Some(1),
        max_length: Some(255),
        pattern: Some("^[!-~]{1,255}$".into()),
        ..string()
    }
);

rule!(
    /// A `YYYY-MM-DD` date or an RFC 3339 instant.
    DateOrInstant,
    "string(date|date-time)",
    MetaSchema {
        any_of: vec![
            MetaSchemaRef::Inline(Box::new(MetaSchema::new_with_format("string", "date"))),
            MetaSchemaRef::Inline(Box::new(MetaSchema::new_with_format("string", "date-time"))),
        ],
        ..MetaSchema::ANY
    }
);

rule!(
    /// A `YYYY-MM-DD` date, an RFC 3339 instant, or empty (none).
    OptDateOrInstant,
    "string(date|date-time|empty)",
    MetaSchema {
        any_of: vec![
            MetaSchemaRef::Inline(Box::new(MetaSchema::new_with_format("string", "date"))),
            MetaSchemaRef::Inline(Box::new(MetaSchema::new_with_format("string", "date-time"))),
            MetaSchemaRef::Inline(Box::new(MetaSchema {
                max_length: Some(0),
                ..string()
            })),
        ],
        ..MetaSchema::ANY
    }
);

rule!(
    /// A retention rule: `forever`, or a whole number and a unit (`h`, `d`, `w`, `mo`, `y`) up to
    /// 100 years, such as `90d`; blank returns the category to its `[retention]` config value.
    RetentionRule,
    "string(retention rule)",
    MetaSchema {
        pattern: Some(
            r"^\s*(forever|[0-9]{1,5}h|[0-9]{1,4}d|[0-9]{1,3}w|[0-9]{1,3}mo|[0-9]{1,2}y)?\s*$".into()
        ),
        ..string()
    }
);

rule!(
    /// A new password: at least `auth.min_password_length` characters, at most 256.
    NewPassword,
    "string(password)",
    MetaSchema {
        format: Some("password"),
        min_length: Some(MIN_PASSWORD.load(Ordering::Relaxed)),
        max_length: Some(256),
        ..string()
    }
);

/// `auth.min_password_length`, for [`NewPassword`]'s schema; set when the API is assembled.
static MIN_PASSWORD: AtomicUsize = AtomicUsize::new(8);

/// Puts the instance's shortest accepted password into the spec.
pub fn set_min_password_length(n: usize) {
    MIN_PASSWORD.store(n, Ordering::Relaxed);
}

rule!(
    /// An IANA time zone name that exists, e.g. `Europe/Berlin`.
    TimeZoneName,
    "TimeZone",
    true,
    MetaSchema {
        enum_items: chrono_tz::TZ_VARIANTS
            .iter()
            .map(|tz| Value::String(tz.name().to_owned()))
            .collect(),
        ..string()
    }
);

rule!(
    /// A tag on an entry: at most 40 characters, no control characters; blank ones are
    /// dropped, a leading `#` too.
    TagText,
    "string(tag)",
    MetaSchema {
        pattern: Some(TAG_OR_BLANK_PATTERN.into()),
        ..string()
    }
);
