//! A 2xx means the write is on disk: acknowledged writes survive `kill -9` mid-load, both those
//! that commit on their own (new users) and those that share a transaction through the commit
//! queue (time entries, `store/committer.rs`).

use std::collections::BTreeSet;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::{json, Value};

use crate::helpers::{wait_until, Client, Server, PASSWORD};

const ROUNDS: usize = 4;
const WRITERS: usize = 12;
const KILL_AFTER_ACKS: usize = 40;

/// What the writers create.
#[derive(Clone, Copy, Debug)]
enum Kind {
    Users,
    Entries,
}

impl Kind {
    /// The request for writer `w`'s `i`-th write in `round`, and what identifies it once
    /// acknowledged (its email, or the id the answer gives).
    fn body(self, round: usize, w: usize, i: usize, project: &str) -> (&'static str, Value) {
        match self {
            Kind::Users => (
                "/api/v1/users",
                json!({ "name": "Durable", "email": format!("r{round}-w{w}-{i}@example.com"),
                        "role": "member", "time_zone": "UTC" }),
            ),
            Kind::Entries => {
                // Each write its own hour: 2025 plus (round, writer, i) hours.
                let hour = (round * 100 + w) * 1000 + i;
                let start = chrono::DateTime::parse_from_rfc3339("2025-01-01T00:00:00Z").unwrap()
                    + chrono::Duration::minutes(hour as i64);
                let end = start + chrono::Duration::seconds(50);
                (
                    "/api/v1/entries",
                    json!({ "project_id": project, "start": start.to_rfc3339(),
                            "end": end.to_rfc3339(), "note": format!("r{round} w{w} {i}"),
                            "confirm": true }),
                )
            }
        }
    }

    /// What identifies an acknowledged write: the email sent, or the new entry's id.
    fn acknowledged(self, sent: &Value, answer: &Value) -> String {
        let v = match self {
            Kind::Users => &sent["email"],
            Kind::Entries => &answer["id"],
        };
        v.as_str().unwrap().to_owned()
    }

    async fn present(self, c: &Client) -> BTreeSet<String> {
        match self {
            Kind::Users => c.user_emails().await,
            Kind::Entries => c.entries_by_id().await.into_keys().collect(),
        }
    }
}

async fn acknowledged_writes_survive_kill_9(kind: Kind) {
    let dir = tempfile::tempdir().unwrap();
    let mut acked_total: BTreeSet<String> = BTreeSet::new();
    let mut project = String::new();
    for round in 0..ROUNDS {
        // Arrange: a server on the same data folder as the previous round, and a signed-in admin.
        let mut s = Server::start_in(dir.path(), &[]);
        let admin = if round == 0 {
            let admin = s.setup_admin().await;
            let p = admin
                .post("/api/v1/projects", json!({ "name": "Durable" }))
                .await;
            assert_eq!(p.status, 201, "{}", p.body);
            project = p.body["id"].as_str().unwrap().to_owned();
            admin
        } else {
            let c = Client::new(&s.base);
            assert_eq!(c.login("admin@example.com", PASSWORD).await.status, 200);
            c
        };
        let admin = Arc::new(admin);
        let acked = Arc::new(Mutex::new(Vec::<String>::new()));

        // Act: writers write until the server dies; kill -9 once enough were acknowledged.
        let mut tasks = Vec::new();
        for w in 0..WRITERS {
            let (admin, acked, project) = (admin.clone(), acked.clone(), project.clone());
            tasks.push(tokio::spawn(async move {
                for i in 0..1000 {
                    let (path, body) = kind.body(round, w, i, &project);
                    let rb = admin
                        .http
                        .post(format!("{}{path}", admin.base))
                        .json(&body)
                        .timeout(Duration::from_secs(10));
                    match rb.send().await {
                        Ok(r) if r.status().as_u16() == 201 => {
                            let answer: Value = r.json().await.unwrap_or(Value::Null);
                            if answer.is_null() {
                                return; // died while answering: not acknowledged
                            }
                            acked
                                .lock()
                                .unwrap()
                                .push(kind.acknowledged(&body, &answer));
                        }
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
            "{kind:?} round {round}: only {} writes acknowledged in 60 s",
            acked.len()
        );
        acked_total.extend(acked);

        // Assert: after a restart every acknowledged write is there, and the chain verifies.
        let s = Server::start_in(dir.path(), &[]);
        let c = Client::new(&s.base);
        assert_eq!(c.login("admin@example.com", PASSWORD).await.status, 200);
        let present = kind.present(&c).await;
        let lost: Vec<_> = acked_total.difference(&present).collect();
        assert!(
            lost.is_empty(),
            "{kind:?} round {round}: {} acknowledged writes lost, e.g. {:?}",
            lost.len(),
            lost.first()
        );
        let v = c.get("/api/v1/audit/verify").await;
        assert_eq!(v.body["ok"], true, "{kind:?} round {round}: {}", v.body);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn acknowledged_users_survive_kill_9_mid_load() {
    acknowledged_writes_survive_kill_9(Kind::Users).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn acknowledged_entries_through_the_commit_queue_survive_kill_9_mid_load() {
    acknowledged_writes_survive_kill_9(Kind::Entries).await;
}
