//! The state of the server for its admin: version, uptime, data folder size, record counts,
//! HTTPS, and the latest backup with its verification. Roles: admin.

use std::collections::BTreeMap;

use poem_openapi::{payload::Json, Object, OpenApi};

use super::enums::JobOutcome;
use super::rules::OneOf;
use super::{ApiTags, HttpState};
use crate::domain::jobs::Outcome;
use crate::http::auth::SignedIn;
use crate::http::problem::ApiError;
use crate::service::rfc3339;

pub struct SystemApi(pub HttpState);

/// The latest run of the backup job.
#[derive(Object)]
struct LastBackupDto {
    started: String,
    #[oai(nullable)]
    ended: Option<String>,
    /// `running`, `ok`, `failed` or `skipped`.
    outcome: OneOf<JobOutcome>,
    /// Whether a test restore of the file matched its record counts; null when not checked
    /// (encrypted to a recipient) or still running.
    #[oai(nullable)]
    verified: Option<bool>,
    #[oai(nullable)]
    detail: Option<String>,
    #[oai(nullable)]
    error: Option<String>,
    #[oai(nullable)]
    bytes: Option<i64>,
}

#[derive(Object)]
struct SystemDto {
    version: String,
    started: String,
    uptime_seconds: u64,
    data_dir: String,
    /// Everything under the data folder (store, logs, backups, exports).
    data_dir_bytes: u64,
    store_bytes: u64,
    /// Records per primary tree.
    counts: BTreeMap<String, u64>,
    https: bool,
    /// Null before the first backup.
    #[oai(nullable)]
    last_backup: Option<LastBackupDto>,
    /// The SMTP server e-mail goes through; null when the server sends no e-mail.
    #[oai(nullable)]
    email: Option<EmailServerDto>,
}

/// The `[email]` settings in use (never the password).
#[derive(Object)]
struct EmailServerDto {
    host: String,
    port: u16,
    /// `starttls`, `tls` or `none`.
    security: String,
    /// The sender, as configured.
    from: String,
    /// Whether the server signs in with a user name and password.
    authenticates: bool,
}

/// A test e-mail, queued.
#[derive(Object)]
struct TestEmailDto {
    /// The message's id in the outbox (the delivery log shows how it went).
    id: String,
    /// Where it goes: the admin's own address.
    to: String,
}

fn dir_size(dir: &std::path::Path) -> u64 {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    entries
        .flatten()
        .map(|e| match e.metadata() {
            Ok(m) if m.is_dir() => dir_size(&e.path()),
            Ok(m) => m.len(),
            Err(_) => 0,
        })
        .sum()
}

#[OpenApi(tag = "ApiTags::System")]
impl SystemApi {
    /// Version, uptime, data folder size, record counts and the latest backup. Roles: admin.
    #[oai(path = "/system", method = "get")]
    async fn get(&self, actor: SignedIn) -> Result<Json<SystemDto>, ApiError> {
        let svc = &self.0.svc;
        let status = svc.system().status(&actor).await?;
        let data_dir = status.data_dir.clone();
        let (uptime, started_ms) = crate::http::uptime();
        let last_backup = svc
            .jobs()
            .runs(&actor, "backup", 1)?
            .into_iter()
            .next()
            .map(|r| LastBackupDto {
                started: rfc3339(r.started_ms),
                ended: r.ended_ms.map(rfc3339),
                outcome: match r.outcome {
                    Outcome::Running => "running",
                    Outcome::Ok => "ok",
                    Outcome::Failed => "failed",
                    Outcome::Skipped => "skipped",
                }
                .into(),
                verified: match r.outcome {
                    Outcome::Ok => r.counts.get("verified").map(|v| *v == 1),
                    Outcome::Failed => Some(false),
                    _ => None,
                },
                bytes: r.counts.get("bytes").copied(),
                detail: r.detail,
                error: r.error,
            });
        let walk = data_dir.clone();
        let data_dir_bytes = tokio::task::spawn_blocking(move || dir_size(&walk))
            .await
            .unwrap_or(0);
        Ok(Json(SystemDto {
            version: env!("CARGO_PKG_VERSION").into(),
            started: rfc3339(started_ms),
            uptime_seconds: uptime,
            data_dir: data_dir.display().to_string(),
            data_dir_bytes,
            store_bytes: status.size_bytes,
            counts: status
                .counts
                .into_iter()
                .map(|(k, v)| (k.to_owned(), v))
                .collect(),
            https: self.0.cookie.secure,
            last_backup,
            email: svc.mail().server().map(|m| EmailServerDto {
                host: m.host.clone(),
                port: m.port,
                security: m.security.clone(),
                from: m.from.clone(),
                authenticates: m.authenticates,
            }),
        }))
    }

    /// Queues a test e-mail to the signed-in admin's own address; the delivery log shows how
    /// it went. `409 email.not_configured` without `[email]`. Roles: admin.
    #[oai(path = "/system/test-email", method = "post")]
    async fn test_email(&self, actor: SignedIn) -> Result<Json<TestEmailDto>, ApiError> {
        let item = self.0.svc.mail().send_test(&actor).await?;
        let to = match &item.channel {
            crate::domain::outbox::Channel::Email { to } => to.clone(),
            crate::domain::outbox::Channel::Webhook { url, .. } => url.clone(),
        };
        Ok(Json(TestEmailDto {
            id: item.id.to_string(),
            to,
        }))
    }
}
