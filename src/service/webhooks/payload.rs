//! What a webhook delivery carries: `{"id","event","occurred_at","data"}`, `id` being the
//! delivery's (also in the `OphionTT-Delivery` header, for receivers that drop repeats).

use serde_json::json;

use crate::domain::outbox::{Channel, OutboxItem};
use crate::domain::webhook::Webhook;
use crate::domain::UserId;
use crate::service::outbox::new_item;
use crate::service::rfc3339;

/// The JSON body of delivery `id`.
pub fn envelope(id: uuid::Uuid, event: &str, at_ms: i64, data: serde_json::Value) -> String {
    json!({
        "id": id.to_string(),
        "event": event,
        "occurred_at": rfc3339(at_ms),
        "data": data,
    })
    .to_string()
}

/// A delivery of `event` to `hook`, carrying `subject`'s data (erasing them deletes it).
pub fn item(
    hook: &Webhook,
    event: &str,
    at_ms: i64,
    subject: Option<UserId>,
    data: serde_json::Value,
) -> OutboxItem {
    let mut it = new_item(
        at_ms,
        Channel::Webhook {
            hook: hook.id,
            url: hook.url.clone(),
        },
        event,
        subject,
        String::new(),
        None,
    );
    it.payload = envelope(it.id, event, at_ms, data);
    it
}
