//! A 2xx means the write is on disk: acknowledged writes survive `kill -9` mid-load.

use std::collections::BTreeSet;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::json;

use crate::helpers::{wait_until, Client, Server, PASSWORD};

const ROUNDS: usize = 5;
const WRITERS: usize = 8;
const KILL_AFTER_ACKS: usize = 40;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn acknowledged_writes_survive_kill_9_mid_load() {
    let dir = tempfile::tempdir().unwrap();
    let mut acked_total: BTreeSet<String> = BTreeSet::new();
    for round in 0..ROUNDS {
        // Arrange: a server on the same data folder as the previous round, and a signed-in admin.
        let mut s = Server::start_in(dir.path(), &[]);
        let admin = if round == 0 {
            s.setup_admin().await
        } else {
            let c = Client::new(&s.base);
            assert_eq!(c.login("admin@example.com", PASSWORD).await.status, 200);
            c
        };
        let admin = Arc::new(admin);
        let acked = Arc::new(Mutex::new(Vec::<String>::new()));

        // Act: writers create users until the server dies; kill -9 once enough were acknowledged.
        let mut tasks = Vec::new();
        for w in 0..WRITERS {
            let (admin, acked) = (admin.clone(), acked.clone());
            tasks.push(tokio::spawn(async move {
                for i in 0..1000 {
                    let email = format!("r{round}-w{w}-{i}@example.com");
                    let rb = admin
                        .http
                        .post(format!("{}/api/v1/users", admin.base))
                        .json(&json!({ "name": "Durable", "email": email, "role": "member", "time_zone": "UTC" }))
                        .timeout(Duration::from_secs(10));
                    match rb.send().await {
                        Ok(r) if r.status().as_u16() == 201 => acked.lock().unwrap().push(email),
                        Ok(r) => panic!("unexpected status {}", r.status()),
                        Err(_) => return, // the server is gone
                    }
                }
            }));
        }
        // Asserted below, once the writers have stopped.
        wait_until(Duration::from_secs(60), || async {
            acked.lock().unwrap().len() >= KILL_AFTER_ACKS
        })
        .await;
        s.kill9();
        for t in tasks {
            t.await.unwrap();
        }
        let acked = acked.lock().unwrap().clone();
        assert!(
            acked.len() >= KILL_AFTER_ACKS,
            "round {round}: only {} writes acknowledged in 60 s",
            acked.len()
        );
        acked_total.extend(acked);

        // Assert: after a restart every acknowledged write is there.
        let s = Server::start_in(dir.path(), &[]);
        let c = Client::new(&s.base);
        assert_eq!(c.login("admin@example.com", PASSWORD).await.status, 200);
        let present = c.user_emails().await;
        let lost: Vec<_> = acked_total.difference(&present).collect();
        assert!(
            lost.is_empty(),
            "round {round}: {} acknowledged writes lost, e.g. {:?}",
            lost.len(),
            lost.first()
        );
        let v = c.get("/api/v1/audit/verify").await;
        assert_eq!(v.body["ok"], true, "round {round}: {}", v.body);
    }
}
