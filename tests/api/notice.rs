//! The privacy notice (issue 6): `/privacy` and `/api/v1/privacy-notice`, public, generated from
//! the real configuration; its "last updated" changes when (and only when) its content does; the
//! cookie it names is the one the server really sets, under plain HTTP and under TLS.

use std::path::Path;

use serde_json::Value;

use crate::helpers::{wait_until, Client, Server};

fn config(dir: &Path, processors: &str, extra: &str) -> String {
    let f = dir.join("ophiontt.toml");
    std::fs::write(
        &f,
        format!(
            "[privacy]\ncontroller = \"Acme <Ltd>\"\ncontact = \"privacy@acme.example\"\nprocessors = {processors}\n{extra}"
        ),
    )
    .unwrap();
    f.display().to_string()
}

async fn page(c: &Client) -> (u16, String) {
    let r = c
        .http
        .get(format!("{}/privacy", c.base))
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    let ct = r.headers()["content-type"].to_str().unwrap().to_owned();
    assert!(ct.starts_with("text/html"), "{ct}");
    (status, r.text().await.unwrap())
}

async fn notice(c: &Client) -> Value {
    let r = c.get("/api/v1/privacy-notice").await;
    assert_eq!(r.status, 200, "{}", r.body);
    r.body
}

#[tokio::test]
async fn the_notice_follows_the_configuration_and_its_date_moves_only_when_it_changes() {
    // Arrange: a configuration naming the controller and one processor.
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let f = config(
        tmp.path(),
        r#"["Hoster GmbH, Germany: server hosting"]"#,
        "",
    );
    let mut s = Server::start_in(&data, &[("OPHIONTT_CONFIG", &f)]);
    let anon = Client::new(&s.base);

    // Public, no sign-in; configured text shown (escaped), the plain-HTTP cookie named.
    let (status, html) = page(&anon).await;
    assert_eq!(status, 200);
    assert!(html.contains("Acme &lt;Ltd&gt;"), "{html}");
    assert!(
        html.contains("<li>Hoster GmbH, Germany: server hosting</li>"),
        "{html}"
    );
    assert!(html.contains("<code class=\"cookie-name\">ophiontt_session</code>"));
    assert!(!html.contains("__Host-ophiontt"));
    let first = notice(&anon).await;
    assert_eq!(first["controller"], "Acme <Ltd>");
    assert_eq!(first["cookies"].as_array().unwrap().len(), 1, "one cookie");
    let sec = first["categories"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "Security events")
        .unwrap()
        .clone();
    assert_eq!(
        sec["retention"], "90 days",
        "retention.security_events' default"
    );
    assert!(html.contains(first["last_updated_on"].as_str().unwrap()));

    // The same configuration after a restart: the same date.
    s.stop();
    let mut s = Server::start_in(&data, &[("OPHIONTT_CONFIG", &f)]);
    let again = notice(&Client::new(&s.base)).await;
    assert_eq!(again["last_updated"], first["last_updated"]);
    assert_eq!(again["content_hash"], first["content_hash"]);

    // Another processor: the page and the date change, and the change is audited.
    s.stop();
    // "Last updated" has whole seconds: the next start must fall in a later second than the
    // first stamp for the change to show in it.
    let first_stamp = first["last_updated"].as_str().unwrap().to_owned();
    let later = wait_until(std::time::Duration::from_secs(5), || async {
        let now = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        now > first_stamp
    })
    .await;
    assert!(later, "the clock did not pass {first_stamp}");
    let f = config(
        tmp.path(),
        r#""Hoster GmbH, Germany: server hosting; Vault AG: encrypted off-site backups""#,
        "[retention]\nsecurity_events = \"30d\"\ntime_entries = \"7y\"\n",
    );
    let s = Server::start_in(&data, &[("OPHIONTT_CONFIG", &f)]);
    let anon = Client::new(&s.base);
    let changed = notice(&anon).await;
    assert_eq!(
        changed["processors"],
        serde_json::json!([
            "Hoster GmbH, Germany: server hosting",
            "Vault AG: encrypted off-site backups"
        ])
    );
    assert_ne!(changed["content_hash"], first["content_hash"]);
    let kept = |name: &str| {
        changed["categories"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["name"] == name)
            .unwrap()["retention"]
            .clone()
    };
    assert_eq!(kept("Security events"), "30 days");
    assert_eq!(kept("Time entries"), "7 years");
    assert!(
        changed["last_updated"].as_str().unwrap() > first["last_updated"].as_str().unwrap(),
        "{} then {}",
        first["last_updated"],
        changed["last_updated"]
    );
    let (_, html) = page(&anon).await;
    assert!(html.contains("<li>Vault AG: encrypted off-site backups</li>"));
    let admin = s.setup_admin().await;
    let log = admin
        .get("/api/v1/audit?action=privacy.notice_updated")
        .await;
    let items = log.body["items"].as_array().unwrap();
    assert_eq!(
        items.len(),
        1,
        "the change, not the first stamp: {}",
        log.body
    );
    assert_eq!(items[0]["body"]["previous_hash"], first["content_hash"]);
}

#[tokio::test]
async fn under_tls_the_notice_names_the_host_prefixed_cookie_the_server_sets() {
    let tmp = tempfile::tempdir().unwrap();
    crate::tls::self_signed(tmp.path());
    let s = Server::start_in(tmp.path(), &[]);
    let c = crate::tls::https_client(&s);
    let n = notice(&c).await;
    assert_eq!(n["cookies"][0]["name"], "__Host-ophiontt");
    let (_, html) = page(&c).await;
    assert!(html.contains("<code class=\"cookie-name\">__Host-ophiontt</code>"));
    assert!(
        html.contains("Nobody: the data stays on this server"),
        "no processors configured"
    );
    // The cookie a sign-in sets has that very name.
    let r = c
        .post(
            "/api/v1/setup",
            serde_json::json!({ "token": s.setup_token(), "name": "Ada", "email": "ada@example.com",
                    "password": crate::helpers::PASSWORD, "time_zone": "UTC" }),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let cookie = r.headers["set-cookie"].to_str().unwrap();
    assert!(cookie.starts_with(&format!("{}=", n["cookies"][0]["name"].as_str().unwrap())));
}
