//! The audit log over HTTP and `ophiontt audit verify`, including tamper detection. Signed
//! checkpoints belong in `checkpoints.rs`, the record of reads of personal data in `accessed.rs`.

use serde_json::json;

use crate::helpers::{cli, stdout, Server, UserPatch, UserReq};

#[tokio::test]
async fn every_change_is_audited_with_actor_ip_target_and_body() {
    let s = Server::start();
    let admin = s.setup_admin().await;
    let (_, id) = s.user_with_role(&admin, "m@example.com", "member").await;
    let promote = UserPatch {
        role: Some("manager".into()),
        ..UserPatch::default()
    };
    admin.update_user(&id, &promote).await;
    admin.disable_user(&id).await;
    let items = admin.audit("limit=100").await;
    let actions: Vec<&str> = items.iter().map(|r| r.action.as_str()).collect();
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
    let seqs: Vec<u64> = items.iter().map(|r| r.seq).collect();
    assert!(
        seqs.windows(2).all(|w| w[0] == w[1] + 1),
        "newest first, contiguous: {seqs:?}"
    );
    let updated = items.iter().find(|r| r.action == "user.updated").unwrap();
    assert_eq!(updated.target, Some(format!("user:{id}")));
    assert_eq!(updated.ip.as_deref(), Some("127.0.0.1"));
    assert_eq!(updated.actor_name.as_deref(), Some("Ada Admin"));
    assert_eq!(
        updated.body["role"],
        json!({ "before": "member", "after": "manager" })
    );
}

#[tokio::test]
async fn the_audit_log_pages_and_filters_by_actor_action_and_date() {
    let s = Server::start();
    let admin = s.setup_admin().await;
    for i in 0..4 {
        let email = format!("u{i}@example.com");
        admin
            .create_user(&UserReq::new("N", &email, "member", "UTC"))
            .await;
    }
    let me = admin.me().await.id;
    let created = admin.audit_page("action=user.created&limit=3").await;
    assert_eq!(created.items.len(), 3);
    let cursor = created.next_cursor.unwrap();
    let rest = admin
        .audit(&format!("action=user.created&limit=3&cursor={cursor}"))
        .await;
    assert_eq!(rest.len(), 2, "4 created by the admin + the admin itself");
    let by_actor = admin.audit(&format!("actor=user:{me}&limit=100")).await;
    assert!(by_actor.iter().all(|r| r.actor == format!("user:{me}")));
    let by_cli = admin.audit("actor=cli:nobody").await;
    assert!(by_cli.is_empty());
    let today = chrono::Utc::now().date_naive();
    let in_range = admin
        .audit(&format!(
            "from={}&to={}",
            today.pred_opt().unwrap(),
            today.succ_opt().unwrap()
        ))
        .await;
    assert!(!in_range.is_empty());
    let future = admin.audit("from=2999-01-01").await;
    assert!(future.is_empty());
    let past = admin.audit("to=2000-01-01").await;
    assert!(past.is_empty());
    let actions = admin.audit_actions().await;
    assert!(actions.iter().any(|a| a == "user.disabled"));
}

#[tokio::test]
async fn audit_verify_passes_on_a_real_store_and_names_a_tampered_record() {
    // Arrange: a store with some history, server stopped.
    let mut s = Server::start();
    let admin = s.setup_admin().await;
    for i in 0..3 {
        let email = format!("t{i}@example.com");
        admin
            .create_user(&UserReq::new("N", &email, "member", "UTC"))
            .await;
    }
    let v = admin.audit_verify().await;
    assert_eq!((v.ok, v.records), (true, 6));
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
    let me = admin.me().await.id;
    let first = admin.audit("action=user.created").await;
    assert!(first.iter().all(|r| r.action == "user.created"));
    admin.list_users("q=admin").await;
    admin.list_users("q=admin").await; // the same view again: recorded once
    admin.get_user(&me).await;
    let items = admin.audit("limit=100").await;
    let find = |action: &str| {
        items
            .iter()
            .find(|r| r.action == action)
            .unwrap_or_else(|| panic!("no {action}"))
    };
    assert_eq!(find("audit.viewed").body["action"], "user.created");
    assert_eq!(find("users.listed").body["q"], "admin");
    let listed = items.iter().filter(|r| r.action == "users.listed").count();
    assert_eq!(
        listed, 1,
        "a repeated view within ten minutes is recorded once"
    );
    assert_eq!(find("user.viewed").target, Some(format!("user:{me}")));
    assert_eq!(find("audit.viewed").actor, format!("user:{me}"));
}
