//! Webhooks through the API: what registering one refuses and why, pausing, deleting (what was
//! queued for it fails as deleted), and the delivery log's filters. Deliveries to real
//! receivers (signatures, retries, re-sends, restriction, erasure) are checked by
//! tests/webhooks/check.py; who may call what, by the authorization matrix.

use serde_json::json;

use crate::helpers::{Client, Server};

fn server() -> Server {
    Server::start_with_env(&[
        (
            "OPHIONTT_WEBHOOKS_ALLOWED_HOSTS",
            "127.0.0.1:9;hooks.invalid",
        ),
        ("OPHIONTT_WEBHOOKS_RETRY_BASE", "1s"),
        ("OPHIONTT_WEBHOOKS_MAX_ATTEMPTS", "1"),
    ])
}

async fn hook(admin: &Client, events: &[&str]) -> String {
    let r = admin
        .post(
            "/api/v1/webhooks",
            json!({ "url": "http://127.0.0.1:9/in", "events": events }),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    r.body["webhook"]["id"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn registering_refuses_bad_urls_hosts_and_events_by_field() {
    // Arrange
    let s = server();
    let admin = s.setup_admin().await;
    // Act + Assert
    for (body, field, code) in [
        (
            json!({ "url": "http://127.0.0.1:10/in", "events": ["entry.created"] }),
            "url",
            "host_not_allowed",
        ),
        (
            json!({ "url": "http://10.0.0.1/in", "events": ["entry.created"] }),
            "url",
            "host_not_allowed",
        ),
        (
            json!({ "url": "ftp://hooks.invalid/in", "events": ["entry.created"] }),
            "url",
            "invalid",
        ),
        (
            json!({ "url": "https://user:pw@hooks.invalid/", "events": ["entry.created"] }),
            "url",
            "invalid",
        ),
        (
            json!({ "url": "https://hooks.invalid/in", "events": [] }),
            "events",
            "required",
        ),
        (
            json!({ "url": "https://hooks.invalid/in", "events": ["entry.exploded"] }),
            "events",
            "invalid",
        ),
        (
            json!({ "url": "https://hooks.invalid/in", "events": ["entry.created"], "description": "a\nb" }),
            "description",
            "invalid",
        ),
    ] {
        let r = admin.post("/api/v1/webhooks", body.clone()).await;
        assert_eq!(
            r.field_error(),
            (422, "validation.failed", field, code),
            "{body}"
        );
    }
    let list = admin.get("/api/v1/webhooks").await;
    assert_eq!(list.body["items"], json!([]), "nothing was registered");
}

#[tokio::test]
async fn a_hook_is_paused_changed_and_deleted_and_its_secret_is_never_listed() {
    // Arrange
    let s = server();
    let admin = s.setup_admin().await;
    let r = admin
        .post("/api/v1/webhooks", json!({ "url": "https://hooks.invalid/in", "events": ["week.approved"], "description": "chat" }))
        .await;
    let secret = r.body["secret"].as_str().unwrap().to_owned();
    let id = r.body["webhook"]["id"].as_str().unwrap().to_owned();
    // Act
    let paused = admin
        .patch(
            &format!("/api/v1/webhooks/{id}"),
            json!({ "active": false, "events": ["week.approved", "week.rejected"] }),
        )
        .await;
    // Assert
    assert_eq!(paused.status, 200, "{}", paused.body);
    assert_eq!(paused.body["active"], false);
    assert_eq!(
        paused.body["events"],
        json!(["week.approved", "week.rejected"])
    );
    let list = admin.get("/api/v1/webhooks").await;
    assert!(
        !list.text.contains(&secret),
        "the secret is shown only once"
    );
    let audit = admin.get("/api/v1/audit?action=webhook.created").await;
    assert!(!audit.text.contains(&secret), "nor audited");
    let gone = admin.delete(&format!("/api/v1/webhooks/{id}")).await;
    assert_eq!(gone.status, 204);
    let again = admin.delete(&format!("/api/v1/webhooks/{id}")).await;
    assert_eq!((again.status, again.code()), (404, "webhook.not_found"));
}

#[tokio::test]
async fn a_delivery_for_a_deleted_hook_fails_as_deleted_and_the_log_filters() {
    // Arrange
    let s = server();
    let admin = s.setup_admin().await;
    let id = hook(&admin, &["entry.created"]).await;
    let ping = admin
        .post_empty(&format!("/api/v1/webhooks/{id}/ping"))
        .await;
    assert_eq!(ping.status, 202, "{}", ping.body);
    let message = ping.body["id"].as_str().unwrap().to_owned();
    // Act: the hook goes before its ping could be delivered (port 9 refuses anyway)
    admin.delete(&format!("/api/v1/webhooks/{id}")).await;
    let failed = crate::helpers::poll_for(std::time::Duration::from_secs(10), || async {
        let log = admin.get("/api/v1/outbox?state=failed").await;
        log.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["id"] == message.as_str())
            .cloned()
    })
    .await
    .expect("the ping ends failed");
    // Assert
    let why = failed["attempts"][0]["error"].as_str().unwrap();
    assert!(
        why == "the webhook was deleted" || why == "could not connect",
        "{why}"
    );
    assert_eq!(failed["channel"], "webhook");
    assert_eq!(failed["event"], "webhook.ping");
    let emails = admin.get("/api/v1/outbox?channel=email").await;
    assert_eq!(emails.body["items"], json!([]));
    let bad = admin.get("/api/v1/outbox?state=lost").await;
    assert_eq!(bad.status, 422, "{}", bad.body);
    let none = admin
        .post_empty(&format!("/api/v1/outbox/{}/resend", uuid::Uuid::nil()))
        .await;
    assert_eq!((none.status, none.code()), (404, "outbox.not_found"));
}
