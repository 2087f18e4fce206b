//! The audit log over HTTP and `ophiontt audit verify`, including tamper detection. Signed
//! checkpoints belong in `checkpoints.rs`, the record of reads of personal data in `accessed.rs`.

use serde_json::json;

use crate::helpers::{cli, stdout, Server};

#[tokio::test]
async fn every_change_is_audited_with_actor_ip_target_and_body() {
    let s = Server::start();
    let admin = s.setup_admin().await;
    let (_, id) = s.user_with_role(&admin, "m@example.com", "member").await;
    admin
        .patch(&format!("/api/v1/users/{id}"), json!({ "role": "manager" }))
        .await;
    admin
        .post_empty(&format!("/api/v1/users/{id}/disable"))
        .await;
    let page = admin.get("/api/v1/audit?limit=100").await;
    assert_eq!(page.status, 200);
    let items = page.body["items"].as_array().unwrap();
    let actions: Vec<&str> = items
        .iter()
        .map(|r| r["action"].as_str().unwrap())
        .collect();
    for a in [
        "user.created",
        "instance.setup_completed",
        "password.reset",
        "session.created",
        "user.updated",
        "user.disabled",
    ] {
        assert!(actions.contains(&a), "no {a} in {actions:?}");
    }
    let seqs: Vec<u64> = items.iter().map(|r| r["seq"].as_u64().unwrap()).collect();
    assert!(
        seqs.windows(2).all(|w| w[0] == w[1] + 1),
        "newest first, contiguous: {seqs:?}"
    );
    let updated = items
        .iter()
        .find(|r| r["action"] == "user.updated")
        .unwrap();
    assert_eq!(updated["target"], format!("user:{id}"));
    assert_eq!(updated["ip"], "127.0.0.1");
    assert_eq!(updated["actor_name"], "Ada Admin");
    assert_eq!(
        updated["body"]["role"],
        json!({ "before": "member", "after": "manager" })
    );
}

#[tokio::test]
async fn the_audit_log_pages_and_filters_by_actor_action_and_date() {
    let s = Server::start();
    let admin = s.setup_admin().await;
    for i in 0..4 {
        admin.post("/api/v1/users", json!({ "name": "N", "email": format!("u{i}@example.com"), "role": "member", "time_zone": "UTC" })).await;
    }
    let me = admin.get("/api/v1/me").await.body["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let created = admin.get("/api/v1/audit?action=user.created&limit=3").await;
    assert_eq!(created.body["items"].as_array().unwrap().len(), 3);
    let cursor = created.body["next_cursor"].as_str().unwrap();
    let rest = admin
        .get(&format!(
            "/api/v1/audit?action=user.created&limit=3&cursor={cursor}"
        ))
        .await;
    assert_eq!(
        rest.body["items"].as_array().unwrap().len(),
        2,
        "4 created by the admin + the admin itself"
    );
    let by_actor = admin
        .get(&format!("/api/v1/audit?actor=user:{me}&limit=100"))
        .await;
    assert!(by_actor.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r["actor"] == format!("user:{me}")));
    let by_cli = admin.get("/api/v1/audit?actor=cli:nobody").await;
    assert!(by_cli.body["items"].as_array().unwrap().is_empty());
    let today = chrono::Utc::now().date_naive();
    let in_range = admin
        .get(&format!(
            "/api/v1/audit?from={}&to={}",
            today.pred_opt().unwrap(),
            today.succ_opt().unwrap()
        ))
        .await;
    assert!(!in_range.body["items"].as_array().unwrap().is_empty());
    let future = admin.get("/api/v1/audit?from=2999-01-01").await;
    assert!(future.body["items"].as_array().unwrap().is_empty());
    let past = admin.get("/api/v1/audit?to=2000-01-01").await;
    assert!(past.body["items"].as_array().unwrap().is_empty());
    let actions = admin.get("/api/v1/audit/actions").await;
    assert!(actions.body["items"]
        .as_array()
        .unwrap()
        .contains(&json!("user.disabled")));
}

#[tokio::test]
async fn audit_verify_passes_on_a_real_store_and_names_a_tampered_record() {
    // Arrange: a store with some history, server stopped.
    let mut s = Server::start();
    let admin = s.setup_admin().await;
    for i in 0..3 {
        admin.post("/api/v1/users", json!({ "name": "N", "email": format!("t{i}@example.com"), "role": "member", "time_zone": "UTC" })).await;
    }
    let v = admin.get("/api/v1/audit/verify").await;
    assert_eq!(
        (v.body["ok"].as_bool(), v.body["records"].as_u64()),
        (Some(true), Some(6))
    );
    s.stop();
    let ok = cli(&s.data, &["audit", "verify"]);
    assert_eq!(ok.status.code(), Some(0), "{}", stdout(&ok));
    assert!(
        stdout(&ok).contains("audit chain OK: 6 records verified"),
        "{}",
        stdout(&ok)
    );

    // Act: change one byte of record 5 (an email inside its body) directly in the store.
    // (1 setup link issued, 2 admin created, 3 setup completed, 4–6 users t0–t2.)
    {
        let db = sled::open(s.data.join("db")).unwrap();
        let tree = db.open_tree("audit").unwrap();
        let key = 5u64.to_be_bytes();
        let mut v = tree.get(key).unwrap().unwrap().to_vec();
        let at = v
            .windows(2)
            .position(|w| w == b"t1")
            .expect("record 5 holds t1@example.com");
        v[at] = b'x';
        tree.insert(key, v).unwrap();
        db.flush().unwrap();
    }

    // Assert
    let bad = cli(&s.data, &["audit", "verify"]);
    assert_eq!(bad.status.code(), Some(1));
    assert!(
        stdout(&bad).contains("BROKEN at record 5"),
        "{}",
        stdout(&bad)
    );
}

#[tokio::test]
async fn reading_the_audit_log_or_the_user_list_is_itself_recorded() {
    let s = Server::start();
    let admin = s.setup_admin().await;
    let me = admin.get("/api/v1/me").await.body["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let first = admin.get("/api/v1/audit?action=user.created").await;
    assert!(first.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r["action"] == "user.created"));
    admin.get("/api/v1/users?q=admin").await;
    admin.get("/api/v1/users?q=admin").await; // the same view again: recorded once
    admin.get(&format!("/api/v1/users/{me}")).await;
    let views = admin.get("/api/v1/audit?limit=100").await;
    let items = views.body["items"].as_array().unwrap();
    let find = |action: &str| {
        items
            .iter()
            .find(|r| r["action"] == action)
            .unwrap_or_else(|| panic!("no {action}"))
    };
    assert_eq!(find("audit.viewed")["body"]["action"], "user.created");
    assert_eq!(find("users.listed")["body"]["q"], "admin");
    let listed = items
        .iter()
        .filter(|r| r["action"] == "users.listed")
        .count();
    assert_eq!(
        listed, 1,
        "a repeated view within ten minutes is recorded once"
    );
    assert_eq!(find("user.viewed")["target"], format!("user:{me}"));
    assert_eq!(find("audit.viewed")["actor"], format!("user:{me}"));
}
