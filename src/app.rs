//! `App`: the store, clock and configuration, built once and used by `serve`, the CLI and tests.

use std::future::Future;
use std::os::unix::fs::PermissionsExt;
use std::sync::atomic::Ordering;
use std::sync::Arc;

use anyhow::Context;

use crate::clock::Clock;
use crate::config::Config;
use crate::http::{self, CookieCfg, HttpState};
use crate::service::{Services, Settings};
use crate::store::Store;

pub struct App {
    pub config: Config,
    pub store: Store,
    pub clock: Arc<dyn Clock>,
}

impl App {
    /// Creates the data folder (mode 0700 when new) and opens the store in it.
    pub fn open(config: Config, clock: Arc<dyn Clock>) -> anyhow::Result<App> {
        let dir = &config.data_dir;
        ensure_data_dir(dir)?;
        let store = Store::open(dir, clock.now_ms())
            .with_context(|| format!("opening the store in {}", dir.display()))?;
        Ok(App {
            config,
            store,
            clock,
        })
    }

    /// The use cases, with links built on `base_url`.
    pub fn services(&self, base_url: String) -> Services {
        let c = &self.config;
        Services::new(
            self.store.clone(),
            self.clock.clone(),
            Settings {
                min_password_length: c.min_password_length,
                session_idle: c.session_idle,
                session_absolute: c.session_absolute,
                reset_link_ttl: c.reset_link_ttl,
                setup_link_ttl: c.setup_link_ttl,
                login_attempts_per_minute: c.login_attempts_per_minute,
                base_url,
            },
        )
    }

    /// Serves HTTP and the admin socket on `listener` until `shutdown` resolves; then lets
    /// in-flight requests finish, flushes the store and removes the socket file.
    pub async fn serve(
        self,
        listener: tokio::net::TcpListener,
        shutdown: impl Future<Output = ()> + Send,
    ) -> anyhow::Result<()> {
        let bound = listener.local_addr()?;
        let base_url = self.config.base_url(bound);
        let svc = self.services(base_url.clone());
        let purger = tokio::spawn(purge_hourly(svc.clone()));
        if let Some(link) = svc.issue_setup_link().await? {
            // Printed, never logged: the link is a secret meant for this terminal only.
            println!(
                "\nNo admin account exists yet. Open this one-time link in a browser within 1 hour \
                 to create it:\n\n    {}\n\nIt works once. Or create an admin from the shell: \
                 ophiontt user add --role admin --email you@example.com --name \"Your Name\"\n",
                link.url
            );
        }
        let (sock_path, sock_task) = crate::adminsock::listen(svc.clone(), &self.config.data_dir)
            .context("opening the admin socket")?;
        let ready = http::ready_flag();
        let st = HttpState {
            svc: svc.clone(),
            cookie: CookieCfg::new(self.config.tls, self.config.session_absolute.as_secs()),
            ready: ready.clone(),
        };
        let ep = http::app(st, &base_url, self.config.max_body_bytes);
        println!(
            "OphionTT {} listening on {base_url}",
            env!("CARGO_PKG_VERSION")
        );
        tracing::info!(addr = %bound, data = %self.config.data_dir.display(), "server started");
        ready.store(true, Ordering::Relaxed);
        let ready_off = ready.clone();
        let result = http::serve(
            listener,
            ep,
            async move {
                shutdown.await;
                ready_off.store(false, Ordering::Relaxed);
                tracing::info!("shutting down: finishing in-flight requests");
            },
            self.config.shutdown_grace,
        )
        .await;
        sock_task.abort();
        purger.abort();
        let _ = std::fs::remove_file(&sock_path);
        self.store
            .flush()
            .await
            .context("flushing the store at shutdown")?;
        tracing::info!("server stopped; store flushed");
        result.context("HTTP server")
    }
}

/// Creates the data folder, readable by its owner only, if it does not exist.
pub fn ensure_data_dir(dir: &std::path::Path) -> anyhow::Result<()> {
    if !dir.exists() {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("creating data folder {}", dir.display()))?;
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))
            .with_context(|| format!("restricting data folder {}", dir.display()))?;
    }
    Ok(())
}

/// Purges expired sessions and links now and then every hour. A failure is logged and retried
/// at the next tick. TODO(#5): a job on the scheduler, with its runs recorded.
async fn purge_hourly(svc: Services) {
    let mut tick = tokio::time::interval(std::time::Duration::from_secs(3600));
    loop {
        tick.tick().await;
        if let Err(e) = svc.purge_expired().await {
            tracing::warn!(error = %e, "purging expired sessions failed; retrying in an hour");
        }
    }
}

/// Resolves on SIGINT or SIGTERM.
pub async fn shutdown_signal() {
    use tokio::signal::unix::{signal, SignalKind};
    let mut term = signal(SignalKind::terminate()).expect("installing the SIGTERM handler");
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        _ = term.recv() => {}
    }
}
