//! Servers run in-process with a `FixedClock`, on a real loopback listener: for behaviour that
//! needs hours or months to pass (session expiry, retention) without waiting for them.

use std::collections::BTreeMap;
use std::sync::Arc;

use ophiontt::app::App;
use ophiontt::clock::FixedClock;
use ophiontt::config::{Config, Flags};

use crate::helpers::{Client, PASSWORD};

/// A running in-process server.
pub struct InProc {
    pub base: String,
    /// Dropping it stops the server.
    pub stop: tokio::sync::oneshot::Sender<()>,
    pub dir: tempfile::TempDir,
    /// A fresh setup token.
    pub token: String,
    pub svc: ophiontt::service::Services,
}

/// Starts a server on a new data folder after `configure` adjusted the default configuration.
pub async fn spawn_with(clock: FixedClock, configure: impl FnOnce(&mut Config)) -> InProc {
    crate::helpers::crypto_provider();
    let dir = tempfile::tempdir().unwrap();
    let flags = Flags {
        data: Some(dir.path().to_path_buf()),
        listen: Some("127.0.0.1:0".into()),
        ..Flags::default()
    };
    let mut config = Config::load(&flags, &BTreeMap::new()).unwrap();
    config.log_file = false;
    configure(&mut config);
    let app = App::open(config, Arc::new(clock)).unwrap();
    let svc = app.services(String::new());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let (stop, rx) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(app.serve(listener, async move {
        let _ = rx.await;
    }));
    // Not ready within 5 s: the test's own requests say why.
    crate::helpers::wait_until(std::time::Duration::from_secs(5), || async {
        reqwest::get(format!("{base}/readyz"))
            .await
            .is_ok_and(|r| r.status() == 200)
    })
    .await;
    // Once ready the server has printed its own setup link; issue a fresh one to use here.
    let url = svc.setup().issue_link().await.unwrap().unwrap().url;
    let token = url.split("#token=").nth(1).unwrap().to_owned();
    InProc {
        base,
        stop,
        dir,
        token,
        svc,
    }
}

impl InProc {
    /// Completes setup as admin `a@example.com`; returns the signed-in client.
    pub async fn admin(&self) -> Client {
        let c = Client::new(&self.base);
        let r = c
            .post("/api/v1/setup", serde_json::json!({ "token": self.token, "name": "A", "email": "a@example.com", "password": PASSWORD, "time_zone": "UTC" }))
            .await;
        assert_eq!(r.status, 201, "{}", r.body);
        c
    }
}
