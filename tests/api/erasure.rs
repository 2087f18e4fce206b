//! Erasure while the person is still writing: what they managed to write before it is erased
//! with the rest, and every write after it is refused, so nothing is left behind under a
//! removed account and nothing acknowledged goes missing.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use serde_json::json;

use crate::helpers::{cli, stderr, stdout, wait_until, Server};

const NOTE: &str = "racing note from Quentin Marblewood";

#[tokio::test]
async fn writes_racing_an_erasure_are_erased_with_it_or_refused() {
    // Arrange: a member on a project, four clients of theirs writing entries without pause.
    let mut s = Server::start();
    let admin = s.setup_admin().await;
    let (member, id) = s
        .user_with_role(&admin, "quentin@example.com", "member")
        .await;
    let p = admin
        .post(
            "/api/v1/projects",
            json!({ "name": "Race", "member_ids": [id] }),
        )
        .await;
    assert_eq!(p.status, 201, "{}", p.body);
    let pid = p.body["id"].as_str().unwrap().to_owned();
    let member = Arc::new(member);
    let acked = Arc::new(AtomicU64::new(0));
    let writers: Vec<_> = (0..4i64)
        .map(|w| {
            let (m, pid, acked) = (member.clone(), pid.clone(), acked.clone());
            tokio::spawn(async move {
                // Apart per writer, and within the range rule's window (1970 .. now + 1 year).
                let base = chrono::DateTime::parse_from_rfc3339("2020-01-01T00:00:00Z").unwrap();
                for n in 0i64.. {
                    let start = base + chrono::Duration::hours(w * 20_000 + n);
                    let end = start + chrono::Duration::minutes(30);
                    let r = m
                        .post(
                            "/api/v1/entries",
                            json!({ "project_id": pid, "start": start.to_rfc3339(), "end": end.to_rfc3339(), "note": NOTE, "confirm": true }),
                        )
                        .await;
                    if r.status != 201 {
                        return (n, r.status, r.body.to_string());
                    }
                    acked.fetch_add(1, Ordering::Relaxed);
                }
                unreachable!()
            })
        })
        .collect();
    assert!(
        wait_until(Duration::from_secs(10), || async {
            acked.load(Ordering::Relaxed) >= 20
        })
        .await,
        "the writers did not get going"
    );

    // Act: the erasure lands in the middle of the writes.
    let r = admin
        .post(&format!("/api/v1/privacy/users/{id}/erase"), json!({}))
        .await;
    assert_eq!(r.status, 200, "{}", r.body);

    // Assert: each writer was stopped by a refusal, and every entry acknowledged before it
    // was anonymised by the erasure — none written after, none missed.
    let mut acknowledged = 0;
    for w in writers {
        let (n, status, body) = w.await.unwrap();
        assert!(
            [401, 403].contains(&status),
            "a write after the erasure: {status} {body}"
        );
        acknowledged += n;
    }
    assert!(
        acknowledged > 0,
        "the writers wrote nothing before the erasure"
    );
    assert_eq!(r.body["entries_anonymised"], acknowledged, "{}", r.body);
    s.stop();
    let out = cli(
        &s.data,
        &[
            "privacy",
            "scan",
            "--text",
            NOTE,
            "--text",
            "quentin@example.com",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let report: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(report["trees"], json!({}), "data left behind: {report}");
}
