//! The admin command set: the operations `ophiontt` subcommands run, and the one use case that
//! runs them (`svc.admin().run`). The admin socket (`crate::adminsock`) carries them as one JSON
//! line per request and per reply while the server runs; with the server stopped, the CLI opens
//! the store and runs the same operation here.

mod compliance;
mod data;
mod privacy;

pub use compliance::{ComplianceOp, ComplianceOutcome, HoldView};
pub use data::{ExportSpec, ImportSpec};
pub use privacy::PrivacyOp;

use serde::{Deserialize, Serialize};

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::audit::checkpoint::Named;
use crate::audit::{Checkpoint, CheckpointReport, VerifyReport};
use crate::domain::jobs::JobRun;
use crate::domain::user::User;
use crate::domain::Role;
use crate::service::Encrypt;
use crate::service::{AccessView, Actor, Admin, Link, NewUser, ServiceError, Services, UserPatch};

/// An admin operation.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Op {
    UserAdd {
        name: String,
        email: String,
        role: Role,
        time_zone: String,
    },
    UserList {
        q: Option<String>,
    },
    UserDisable {
        user: String,
    },
    UserEnable {
        user: String,
    },
    UserSetRole {
        user: String,
        role: Role,
    },
    UserResetLink {
        user: String,
    },
    AuditVerify,
    /// Sign the audit chain's head now.
    AuditCheckpoint,
    /// Check checkpoints the CLI read from a folder (file name and content, or why not).
    AuditVerifyCheckpoints {
        checkpoints: Vec<Named>,
        /// A public key (hex) to check signatures under instead of the instance's.
        key: Option<String>,
    },
    /// Reads of other people's data recorded in `[from_ms, to_ms)`, optionally only those
    /// including `user`'s (an email or id).
    AuditAccessed {
        from_ms: i64,
        to_ms: i64,
        user: Option<String>,
    },
    Status,
    JobList,
    JobRun {
        name: String,
    },
    /// Retention and legal holds.
    Compliance {
        what: ComplianceOp,
    },
    /// The privacy-request register and its tools.
    Privacy {
        what: PrivacyOp,
    },
    /// A backup into `out` (an absolute path), taken by whoever holds the store.
    BackupCreate {
        out: PathBuf,
        encrypt_to: Option<String>,
        passphrase_file: Option<PathBuf>,
    },
    /// Entries exported into a file (`ophiontt export`).
    Export {
        spec: ExportSpec,
    },
    /// A file imported, or its dry run (`ophiontt import`).
    Import {
        spec: ImportSpec,
    },
}

/// A job as the CLI shows it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct JobView {
    pub name: String,
    pub description: String,
    pub schedule: Option<String>,
    pub next_ms: Option<i64>,
    pub running: bool,
    pub runs: Vec<JobRun>,
}

/// A successful operation's result.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Outcome {
    User {
        user: User,
    },
    Created {
        user: User,
        link: Link,
    },
    Users {
        users: Vec<User>,
    },
    Link {
        user: User,
        link: Link,
    },
    Verify {
        report: VerifyReport,
    },
    /// `None`: the audit log is empty.
    Checkpoint {
        made: Option<(Checkpoint, PathBuf, PathBuf)>,
    },
    CheckpointVerify {
        report: CheckpointReport,
    },
    Accessed {
        items: Vec<AccessView>,
    },
    Status {
        pid: u32,
        schema: u32,
        users: usize,
        audit_records: usize,
        store_bytes: u64,
    },
    Jobs {
        jobs: Vec<JobView>,
        time_zone: String,
    },
    JobRun {
        run: JobRun,
    },
    Compliance {
        result: ComplianceOutcome,
    },
    Privacy {
        result: serde_json::Value,
    },
    Backup {
        path: PathBuf,
        bytes: u64,
        counts: BTreeMap<String, u64>,
        paused_ms: u64,
        elapsed_ms: u64,
    },
    Imported {
        report: Box<crate::service::imports::ImportReport>,
    },
    Exported {
        path: PathBuf,
        entries: u64,
        bytes: u64,
        from: chrono::NaiveDate,
        to: chrono::NaiveDate,
        time_zone: String,
    },
}

/// What travels back over the socket.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Reply {
    Ok(Outcome),
    Err {
        code: String,
        message: String,
    },
    /// How far a long operation (an import) is, sent before its answer.
    Progress {
        done: u64,
        total: u64,
    },
}

impl Admin<'_> {
    /// Runs `op` as `actor`: the admin socket's server, and the CLI when the server is stopped.
    /// Each operation checks its own permissions in the use case it calls.
    pub async fn run(&self, actor: &Actor, op: Op) -> Result<Outcome, ServiceError> {
        dispatch(self, actor, op, &|_, _| {}).await
    }

    /// [`Self::run`], telling `progress` how far a long operation is (done, total).
    pub async fn run_reporting(
        &self,
        actor: &Actor,
        op: Op,
        progress: &(dyn Fn(u64, u64) + Send + Sync),
    ) -> Result<Outcome, ServiceError> {
        dispatch(self, actor, op, progress).await
    }
}

async fn dispatch(
    svc: &Services,
    actor: &Actor,
    op: Op,
    progress: &(dyn Fn(u64, u64) + Send + Sync),
) -> Result<Outcome, ServiceError> {
    Ok(match op {
        Op::UserAdd {
            name,
            email,
            role,
            time_zone,
        } => {
            let (user, link) = svc
                .users()
                .create(
                    actor,
                    NewUser {
                        name,
                        email,
                        role,
                        time_zone,
                        client_id: None,
                    },
                )
                .await?;
            Outcome::Created { user, link }
        }
        Op::UserList { q } => {
            let mut users = Vec::new();
            let mut after: Option<String> = None;
            loop {
                let (page, next) = svc
                    .users()
                    .list(actor, after.as_deref(), 500, q.as_deref())
                    .await?;
                users.extend(page);
                match next {
                    Some(n) => after = Some(n),
                    None => break,
                }
            }
            Outcome::Users { users }
        }
        Op::UserDisable { user } => {
            let u = svc.users().find(actor, &user)?;
            Outcome::User {
                user: svc.users().disable(actor, u.id).await?,
            }
        }
        Op::UserEnable { user } => {
            let u = svc.users().find(actor, &user)?;
            Outcome::User {
                user: svc.users().enable(actor, u.id).await?,
            }
        }
        Op::UserSetRole { user, role } => {
            let u = svc.users().find(actor, &user)?;
            let patch = UserPatch {
                role: Some(role),
                ..Default::default()
            };
            Outcome::User {
                user: svc.users().update(actor, u.id, patch).await?,
            }
        }
        Op::UserResetLink { user } => {
            let u = svc.users().find(actor, &user)?;
            let link = svc.users().issue_reset_link(actor, u.id).await?;
            Outcome::Link { user: u, link }
        }
        Op::AuditVerify => Outcome::Verify {
            report: svc.audit().verify(actor).await?,
        },
        Op::AuditCheckpoint => Outcome::Checkpoint {
            made: svc
                .audit()
                .make_checkpoint(actor, false)
                .await?
                .map(|m| (m.checkpoint, m.file, m.public_key_file)),
        },
        Op::AuditVerifyCheckpoints { checkpoints, key } => Outcome::CheckpointVerify {
            report: svc
                .audit()
                .verify_checkpoints(actor, checkpoints, key)
                .await?,
        },
        Op::AuditAccessed {
            from_ms,
            to_ms,
            user,
        } => Outcome::Accessed {
            items: svc
                .audit()
                .accessed(actor, from_ms, to_ms, user.as_deref())
                .await?,
        },
        Op::JobList => {
            let (time_zone, jobs) = svc.jobs().list(actor, 5)?;
            Outcome::Jobs {
                jobs: jobs
                    .into_iter()
                    .map(|j| JobView {
                        name: j.job.name.into(),
                        description: j.job.description.into(),
                        schedule: j.job.schedule,
                        next_ms: j.job.next_ms,
                        running: j.job.running,
                        runs: j.runs,
                    })
                    .collect(),
                time_zone,
            }
        }
        Op::JobRun { name } => Outcome::JobRun {
            run: svc.jobs().run_now(actor, &name, true).await?,
        },
        Op::BackupCreate {
            out,
            encrypt_to,
            passphrase_file,
        } => {
            actor.require(crate::domain::Permission::ManageSystem)?;
            let encrypt = Encrypt::choose(encrypt_to, passphrase_file);
            let made = svc.backups().write(actor, &out, &encrypt).await?;
            let shown = made.path.display().to_string();
            svc.backups()
                .audit_made(actor, &shown, made.bytes, &made.counts, None)
                .await?;
            Outcome::Backup {
                path: made.path,
                bytes: made.bytes,
                counts: made.counts,
                paused_ms: made.paused.as_millis() as u64,
                elapsed_ms: made.elapsed.as_millis() as u64,
            }
        }
        Op::Export { spec } => data::export(svc, actor, spec).await?,
        Op::Import { spec } => data::import(svc, actor, spec, progress).await?,
        Op::Compliance { what } => Outcome::Compliance {
            result: compliance::dispatch(svc, actor, what).await?,
        },
        Op::Privacy { what } => Outcome::Privacy {
            result: privacy::dispatch(svc, actor, what).await?,
        },
        Op::Status => {
            let s = svc.system().status(actor).await?;
            let count = |tree: &str| s.counts.get(tree).copied().unwrap_or(0) as usize;
            Outcome::Status {
                pid: std::process::id(),
                schema: s.schema,
                users: count("users"),
                audit_records: count("audit"),
                store_bytes: s.size_bytes,
            }
        }
    })
}

impl Reply {
    pub fn from_result(r: Result<Outcome, ServiceError>) -> Self {
        match r {
            Ok(o) => Reply::Ok(o),
            Err(e) => {
                if let ServiceError::Internal(inner) = &e {
                    tracing::error!(error = %inner, chain = ?inner, "admin operation failed");
                }
                let message = e.explain();
                Reply::Err {
                    code: e.code().to_owned(),
                    message,
                }
            }
        }
    }
}

/// The local OS user name for `uid`, from /etc/passwd, or `uid:N`: who the audit log names for
/// an admin command.
pub fn os_user_name(uid: u32) -> String {
    std::fs::read_to_string("/etc/passwd")
        .ok()
        .and_then(|s| {
            s.lines().find_map(|l| {
                let mut f = l.split(':');
                let name = f.next()?;
                let id = f.nth(1)?.parse::<u32>().ok()?;
                (id == uid).then(|| name.to_owned())
            })
        })
        .unwrap_or_else(|| format!("uid:{uid}"))
}

/// This process's uid (Linux: the owner of /proc/self).
pub fn own_uid() -> u32 {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata("/proc/self")
        .map(|m| m.uid())
        .unwrap_or(u32::MAX)
}
