//! The golden fixtures of the integrations' trees: API tokens and calendar subscriptions
//! (`api_tokens`), and webhooks (`webhooks`). Kept apart from `fixtures.rs` for its length.

use super::fixtures::uuid;
use super::T0;
use crate::domain::token::{ApiToken, CalendarFeed, Scope, Scopes};
use crate::domain::webhook::Webhook;
use crate::domain::{SessionKey, UserId};

/// An API token and a revoked calendar subscription of user `a`.
pub fn api_tokens(a: UserId) -> Vec<(SessionKey, ApiToken)> {
    vec![
        (
            SessionKey([7; 32]),
            ApiToken {
                id: uuid(70),
                user_id: a,
                name: "laptop terminal".into(),
                scopes: Scopes::new(&[Scope::Write]),
                created_at_ms: T0 + 29_000,
                expires_at_ms: T0 + 29_000 + 90 * 86_400_000,
                last_used_at_ms: Some(T0 + 30_000),
                last_used_ip: Some("192.0.2.7".into()),
                revoked_at_ms: None,
                revoked_by: None,
                calendar: None,
            },
        ),
        (
            SessionKey([8; 32]),
            ApiToken {
                id: uuid(71),
                user_id: a,
                name: "phone calendar".into(),
                scopes: Scopes::default(),
                created_at_ms: T0 + 31_000,
                expires_at_ms: i64::MAX,
                last_used_at_ms: None,
                last_used_ip: None,
                revoked_at_ms: Some(T0 + 32_000),
                revoked_by: Some("cli:root".into()),
                calendar: Some(CalendarFeed { project_id: None }),
            },
        ),
    ]
}

/// One webhook.
pub fn webhooks() -> Vec<Webhook> {
    vec![Webhook {
        id: uuid(80),
        url: "https://hooks.example.com/ophiontt".into(),
        events: vec!["entry.created".into(), "week.approved".into()],
        secret: "whsec_golden-fixture-secret-0000000000".into(),
        description: "Chat notifications".into(),
        active: true,
        created_at_ms: T0 + 33_000,
        created_by: "cli:root".into(),
    }]
}
