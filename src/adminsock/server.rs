//! The server side of the admin socket.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::{UnixListener, UnixStream};

use crate::domain::codes;
use crate::service::admin::{os_user_name, ComplianceOp, Op, Reply};
use crate::service::{Actor, Services};

/// Binds `<data>/admin.sock` (mode 0600) and serves it until the task is dropped.
/// Returns the socket's path so the caller can remove it on shutdown.
pub fn listen(
    svc: Services,
    data_dir: &Path,
) -> std::io::Result<(PathBuf, tokio::task::JoinHandle<()>)> {
    let path = crate::config::admin_socket(data_dir);
    // A socket file left by a crashed server: nobody answers on it.
    if path.exists() {
        if std::os::unix::net::UnixStream::connect(&path).is_ok() {
            return Err(std::io::Error::new(
                std::io::ErrorKind::AddrInUse,
                format!(
                    "{} answers: another ophiontt server uses this data folder",
                    path.display()
                ),
            ));
        }
        std::fs::remove_file(&path)?;
    }
    let listener = UnixListener::bind(&path)?;
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600))?;
    let task = tokio::spawn(async move {
        loop {
            match listener.accept().await {
                Ok((stream, _)) => {
                    let svc = svc.clone();
                    tokio::spawn(async move {
                        if let Err(e) = handle(svc, stream).await {
                            tracing::warn!(error = %e, "admin socket connection failed");
                        }
                    });
                }
                Err(e) => tracing::warn!(error = %e, "admin socket accept failed"),
            }
        }
    });
    Ok((path, task))
}

async fn handle(svc: Services, stream: UnixStream) -> std::io::Result<()> {
    let uid = stream.peer_cred().map(|c| c.uid()).unwrap_or(u32::MAX);
    let actor = Actor::cli(&os_user_name(uid));
    let (r, mut w) = stream.into_split();
    // Large enough for years of hourly checkpoints sent for verification; the socket is the
    // server owner's alone (mode 0600).
    let mut lines = BufReader::new(r.take(64 * 1024 * 1024)).lines();
    while let Some(line) = lines.next_line().await? {
        let reply = match serde_json::from_str::<Op>(&line) {
            Ok(op) => {
                tracing::info!(actor = %actor.audit_name(), op = op_name(&op), "admin socket operation");
                // `status` is how the CLI finds out whether the server answers: not a command.
                if !matches!(op, Op::Status) {
                    if let Err(e) = svc
                        .security()
                        .record_admin_command(&actor, op_name(&op))
                        .await
                    {
                        tracing::warn!(error = %e, "could not record an admin command");
                    }
                }
                run_reporting(&svc, &actor, op, &mut w).await?
            }
            Err(e) => Reply::Err {
                code: codes::REQUEST_INVALID_BODY.into(),
                message: format!("not an admin operation: {e}"),
            },
        };
        let mut out = serde_json::to_vec(&reply).unwrap_or_default();
        out.push(b'\n');
        w.write_all(&out).await?;
    }
    Ok(())
}

/// Runs `op`, sending a progress line for each step a long operation reports, then its answer.
async fn run_reporting(
    svc: &Services,
    actor: &Actor,
    op: Op,
    w: &mut tokio::net::unix::OwnedWriteHalf,
) -> std::io::Result<Reply> {
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<(u64, u64)>();
    let report = move |done, total| {
        let _ = tx.send((done, total));
    };
    let admin = svc.admin();
    let run = admin.run_reporting(actor, op, &report);
    tokio::pin!(run);
    loop {
        tokio::select! {
            res = &mut run => return Ok(Reply::from_result(res)),
            Some((done, total)) = rx.recv() => {
                let mut line = serde_json::to_vec(&Reply::Progress { done, total }).unwrap_or_default();
                line.push(b'\n');
                w.write_all(&line).await?;
            }
        }
    }
}

fn op_name(op: &Op) -> &'static str {
    match op {
        Op::UserAdd { .. } => "user_add",
        Op::UserList { .. } => "user_list",
        Op::UserDisable { .. } => "user_disable",
        Op::UserEnable { .. } => "user_enable",
        Op::UserSetRole { .. } => "user_set_role",
        Op::UserResetLink { .. } => "user_reset_link",
        Op::AuditVerify => "audit_verify",
        Op::AuditCheckpoint => "audit_checkpoint",
        Op::AuditAccessed { .. } => "audit_accessed",
        Op::AuditVerifyCheckpoints { .. } => "audit_verify_checkpoints",
        Op::Status => "status",
        Op::JobList => "job_list",
        Op::JobRun { .. } => "job_run",
        Op::BackupCreate { .. } => "backup_create",
        Op::Export { .. } => "export",
        Op::Import { spec } if spec.dry_run => "import_dry_run",
        Op::Import { .. } => "import",
        Op::Compliance { what } => match what {
            ComplianceOp::RetentionShow => "retention_show",
            ComplianceOp::RetentionRun { .. } => "retention_run",
            ComplianceOp::RetentionSet { .. } => "retention_set",
            ComplianceOp::HoldAdd { .. } => "hold_add",
            ComplianceOp::HoldList => "hold_list",
            ComplianceOp::HoldRelease { .. } => "hold_release",
        },
        Op::Privacy { what } => what.name(),
    }
}

use tokio::io::AsyncReadExt as _;
