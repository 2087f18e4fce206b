//! The admin's view of the server: `/api/v1/system` and `/metrics` (loopback or bearer token).

use std::time::Duration;

use crate::helpers::{poll_for, Client, Server};

#[tokio::test]
async fn the_system_status_shows_counts_and_the_last_backup_to_admins_only() {
    let s = Server::start();
    let admin = s.setup_admin().await;
    let r = admin.get("/api/v1/system").await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.body["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(r.body["counts"]["users"], 1);
    assert_eq!(r.body["https"], false);
    assert!(r.body["data_dir_bytes"].as_u64().unwrap() > 0);
    assert_eq!(r.body["last_backup"], serde_json::Value::Null);
    let (member, _) = s.user_with_role(&admin, "m@example.com", "member").await;
    assert_eq!(member.get("/api/v1/system").await.status, 403);

    assert_eq!(
        admin.post_empty("/api/v1/jobs/backup/run").await.status,
        202
    );
    let b = poll_for(Duration::from_secs(10), || async {
        let b = admin.get("/api/v1/system").await.body["last_backup"].clone();
        (b["outcome"] == "ok").then_some(b)
    })
    .await
    .expect("the backup did not finish");
    assert_eq!(b["verified"], true, "{b}");
    assert!(b["bytes"].as_i64().unwrap() > 0);
}

#[tokio::test]
async fn metrics_answer_loopback_and_the_token_but_not_a_proxied_request() {
    let tmp = tempfile::tempdir().unwrap();
    let token_file = tmp.path().join("metrics.token");
    std::fs::write(&token_file, "s3cret-metrics-token\n").unwrap();
    let data = tmp.path().join("data");
    let s = Server::start_in(
        &data,
        &[("OPHIONTT_METRICS_TOKEN_FILE", token_file.to_str().unwrap())],
    );
    let admin = s.setup_admin().await;
    admin.get("/api/v1/me").await;
    let http = reqwest::Client::new();
    let get = |headers: Vec<(&'static str, &'static str)>| {
        let mut rb = http.get(s.url("/metrics"));
        for (k, v) in headers {
            rb = rb.header(k, v);
        }
        rb.send()
    };
    let r = get(vec![]).await.unwrap();
    assert_eq!(r.status(), 200);
    assert!(r.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/plain; version=0.0.4"));
    let text = r.text().await.unwrap();
    for needle in [
        "ophiontt_http_requests_total{method=\"POST\",status=\"2xx\"}",
        "ophiontt_http_request_duration_seconds_bucket{le=\"+Inf\"}",
        "ophiontt_store_size_bytes ",
        "ophiontt_store_records{tree=\"users\"} 1",
        "ophiontt_uptime_seconds ",
    ] {
        assert!(text.contains(needle), "no {needle} in:\n{text}");
    }
    let proxied = get(vec![("x-forwarded-for", "203.0.113.9")]).await.unwrap();
    assert_eq!(proxied.status(), 403);
    let wrong = get(vec![
        ("x-forwarded-for", "203.0.113.9"),
        ("authorization", "Bearer nope"),
    ])
    .await
    .unwrap();
    assert_eq!(wrong.status(), 403);
    let right = get(vec![
        ("x-forwarded-for", "203.0.113.9"),
        ("authorization", "Bearer s3cret-metrics-token"),
    ])
    .await
    .unwrap();
    assert_eq!(right.status(), 200);

    // Job outcomes show up once a job has run.
    assert_eq!(
        admin.post_empty("/api/v1/jobs/export/run").await.status,
        202
    );
    let c = Client::new(&s.base);
    let text = poll_for(Duration::from_secs(10), || async {
        let text = c
            .http
            .get(s.url("/metrics"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        text.contains("ophiontt_job_last_success_timestamp_seconds{job=\"export\"}")
            .then_some(text)
    })
    .await
    .expect("the export job's outcome never appeared in /metrics");
    assert!(text.contains("ophiontt_job_last_run_timestamp_seconds{job=\"export\",outcome=\"ok\"}"));
}
