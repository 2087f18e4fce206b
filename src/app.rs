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

    /// The scheduled jobs of this configuration, attached to `svc` so that job use cases
    /// (`svc.jobs().list`, `run_now`) reach them. The services hold them weakly: keep the
    /// returned handle for as long as jobs should run.
    pub fn attach_jobs(&self, svc: &Services) -> Arc<crate::jobs::Scheduler> {
        let jobs = Arc::new(crate::jobs::Scheduler::new(
            svc.clone(),
            Arc::new(self.config.clone()),
        ));
        let weak: std::sync::Weak<dyn crate::service::Scheduling> =
            Arc::downgrade(&jobs) as std::sync::Weak<crate::jobs::Scheduler>;
        svc.attach_scheduler(weak);
        jobs
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
                token_max_days: c.token_max_days,
                sign_in_link_ttl: c.sign_in_link_ttl,
                outbox_retry: c.webhooks.retry,
                webhook_hosts: c.webhooks.allowed_hosts.clone(),
                mail: c.email.as_ref().map(|e| crate::domain::mail::MailServer {
                    host: e.host.clone(),
                    port: e.port,
                    security: e.security.as_str().to_owned(),
                    from: e.from_display(),
                    authenticates: e.username.is_some(),
                }),
                base_url,
                checkpoint_key: c.data_dir.join("keys").join(crate::audit::key::KEY_FILE),
                checkpoint_dir: c.checkpoint_dir.clone(),
                notice: notice_inputs(c),
                retention: c.retention.clone(),
                data_dir: c.data_dir.clone(),
                backup_dir: c.backup.dir.clone(),
                privacy: c.privacy.policy.clone(),
                ledger_file: Some(c.privacy.ledger_file.clone()),
                tracking: c.tracking,
                min_timer_seconds: c.min_timer_seconds,
                billing: c.billing,
                portal_shows_rates: c.portal_shows_rates,
                approval: c.approval,
                tickets: c.tickets.clone(),
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
        let certs = match &self.config.tls {
            Some(files) => Some(
                crate::tls::CertStore::open(files.clone(), self.clock.now_ms() / 1000)
                    .context("TLS certificate refused")?,
            ),
            None => None,
        };
        let svc = self.services(base_url.clone());
        if let Err(e) = svc.notice().refresh().await {
            tracing::warn!(error = %e, "stamping the privacy notice failed");
        }
        if let Err(e) = svc.sessions().purge_expired().await {
            tracing::warn!(error = %e, "purging expired sessions at start failed");
        }
        let jobs = self.attach_jobs(&svc);
        let scheduler = jobs.start();
        svc.webhooks()
            .start_cursor()
            .await
            .context("placing the webhook cursor")?;
        let senders = crate::outbound::Senders {
            webhook: crate::outbound::webhook::Poster::new(
                self.config.webhooks.timeout,
                self.config.webhooks.allowed_hosts.clone(),
            ),
            mail: match &self.config.email {
                Some(e) => {
                    let smtp = crate::outbound::email::Smtp::new(e)
                        .map_err(anyhow::Error::msg)
                        .context("preparing the SMTP client ([email])")?;
                    tracing::info!(host = %e.host, port = e.port, security = e.security.as_str(), "e-mail on");
                    Some(Arc::new(smtp) as Arc<dyn crate::outbound::MailSender>)
                }
                None => None,
            },
        };
        let delivery = crate::jobs::delivery::start(svc.clone(), senders);
        if let Some(link) = svc.setup().issue_link().await? {
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
            cookie: CookieCfg::new(certs.is_some(), self.config.session_absolute.as_secs()),
            ready: ready.clone(),
        };
        let metrics_token = match &self.config.metrics_token_file {
            Some(f) => Some(
                std::fs::read_to_string(f)
                    .with_context(|| format!("reading metrics.token_file {}", f.display()))?
                    .trim()
                    .to_owned(),
            )
            .filter(|t| !t.is_empty()),
            None => None,
        };
        let ep = http::app(st, &base_url, self.config.max_body_bytes, metrics_token);
        // Installed before "listening" is printed, so no SIGHUP can arrive unhandled.
        let hup = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::hangup())
            .context("installing the SIGHUP handler")?;
        let reloader = tokio::spawn(reload_on_sighup(hup, certs.clone(), self.clock.clone()));
        let listener = match &certs {
            Some(c) => {
                println!("HTTPS with the certificate in {}", c.files().cert.display());
                http::Listener::Tls(listener, c.server_config())
            }
            None => http::Listener::Plain(listener),
        };
        let mut limits = conn_limits(&self.config)?;
        let (stopping, stop_rx) = tokio::sync::watch::channel(false);
        let redirect = match self.config.redirect_listen {
            Some(addr) => {
                let l = tokio::net::TcpListener::bind(addr).await.with_context(|| {
                    format!("cannot listen on {addr} (set tls.redirect_listen)")
                })?;
                println!(
                    "redirecting plain HTTP on http://{} to HTTPS",
                    l.local_addr()?
                );
                // The cap is for the process: an eighth of it goes to the redirect listener.
                let share = (limits.max_connections / 8).max(1);
                limits.max_connections = limits.max_connections.saturating_sub(share).max(1);
                let redirect_limits = http::ConnLimits {
                    max_connections: share,
                    ..limits.clone()
                };
                let mut rx = stop_rx.clone();
                Some(tokio::spawn(http::serve_redirect(
                    l,
                    self.config.public_url.clone(),
                    bound.port(),
                    redirect_limits,
                    async move {
                        let _ = rx.wait_for(|s| *s).await;
                    },
                )))
            }
            None => None,
        };
        // The last line of the banner: scripts and tests wait for it.
        println!(
            "OphionTT {} listening on {base_url}",
            env!("CARGO_PKG_VERSION")
        );
        tracing::info!(addr = %bound, data = %self.config.data_dir.display(), https = certs.is_some(), "server started");
        crate::memory::release();
        ready.store(true, Ordering::Relaxed);
        let ready_off = ready.clone();
        let result = http::serve(
            listener,
            ep,
            limits,
            async move {
                shutdown.await;
                ready_off.store(false, Ordering::Relaxed);
                let _ = stopping.send(true);
                tracing::info!("shutting down: finishing in-flight requests");
            },
            self.config.shutdown_grace,
        )
        .await;
        if let Some(r) = redirect {
            let _ = r.await;
        }
        reloader.abort();
        sock_task.abort();
        scheduler.abort();
        delivery.abort();
        let _ = std::fs::remove_file(&sock_path);
        self.store
            .flush()
            .await
            .context("flushing the store at shutdown")?;
        tracing::info!("server stopped; store flushed");
        result.context("HTTP server")
    }
}

/// The connection limits, with `server.max_connections` checked against (or, when `auto`,
/// derived from) this process's open-file limit.
fn conn_limits(c: &Config) -> anyhow::Result<http::ConnLimits> {
    let files = http::open_file_limit();
    let max = http::max_connections(c.max_connections, files).map_err(|files| {
        anyhow::anyhow!(
            "config key `server.max_connections` is {} but this process may open only {files} \
             files and needs 64 of them for itself: raise the open-file limit (LimitNOFILE= in \
             the systemd unit, `ulimit -n`) or lower server.max_connections",
            c.max_connections.unwrap_or_default()
        )
    })?;
    tracing::info!(
        max_connections = max,
        open_file_limit = files,
        header_read_timeout_secs = c.header_read_timeout.as_secs(),
        idle_timeout_secs = c.idle_timeout.as_secs(),
        "connection limits"
    );
    Ok(http::ConnLimits {
        header_read_timeout: c.header_read_timeout,
        idle_timeout: c.idle_timeout,
        max_connections: max,
        max_requests_per_connection: c.max_requests_per_connection,
    })
}

/// What the privacy notice says, from the configuration (the cookie's name as the HTTP layer
/// sets it).
fn notice_inputs(c: &Config) -> crate::domain::notice::NoticeInputs {
    crate::domain::notice::NoticeInputs {
        controller: c.notice.controller.clone(),
        contact: c.notice.contact.clone(),
        processors: c.notice.processors.clone(),
        retention: c.retention_rules(),
        cookie_name: CookieCfg::new(c.tls.is_some(), 0).name.to_owned(),
        session_idle_secs: c.session_idle.as_secs(),
        session_absolute_secs: c.session_absolute.as_secs(),
        backup_keep: (
            c.backup.keep_daily,
            c.backup.keep_weekly,
            c.backup.keep_monthly,
        ),
        backups_encrypted: c.backup.encrypt_to.is_some() || c.backup.passphrase_file.is_some(),
        exports_scheduled: c.jobs.export.is_some(),
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

/// Reads the certificate and key again on every SIGHUP. A pair that fails a check is refused
/// with a log line naming the file, and the pair in use stays. Without TLS, SIGHUP is logged
/// and otherwise ignored (it would end the process by default).
async fn reload_on_sighup(
    mut hup: tokio::signal::unix::Signal,
    certs: Option<Arc<crate::tls::CertStore>>,
    clock: Arc<dyn Clock>,
) {
    while hup.recv().await.is_some() {
        let Some(certs) = &certs else {
            tracing::info!("SIGHUP: nothing to reload (the server speaks plain HTTP)");
            continue;
        };
        match certs.reload(clock.now_ms() / 1000) {
            Ok(()) => tracing::info!(
                cert = %certs.files().cert.display(),
                "SIGHUP: TLS certificate and key reloaded"
            ),
            Err(e) => tracing::error!(
                error = %e,
                "SIGHUP: new TLS certificate refused; the previous one stays in use"
            ),
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
