//! Imports: time entries from Toggl, Clockify, Kimai, solidtime or OphionTT's own JSON export
//! (`crate::import` reads the files), with the people, clients, projects, tasks and tags they
//! name. Admins only.
//!
//! A dry run ([`Imports::dry_run`]) says what an import would create and lists every row it
//! cannot take, with its line and why; it writes nothing. An import ([`Imports::run`]) takes
//! the file only if every row is good (a file with a bad row writes nothing), then writes:
//! first, in one transaction, the new people (disabled), clients, projects, memberships and
//! tasks; then the entries, a batch per transaction. Each entry keeps its row's source id
//! (`store::imports`), checked inside the transaction that writes it, so importing the same
//! file again creates nothing twice and an import cut short (a crash, a full disk) is finished
//! by running it again: imports are resumable by design rather than one transaction, which
//! would hold every entry of a large file in memory and the write lock for its whole length.
//! Every record is audited as its own kind (`user.created`, `entry.created`, …, each naming
//! the import), and the import as `import.completed`.

mod plan;
mod write;

use chrono_tz::Tz;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::{Actor, Imports, Result, ServiceError};
use crate::domain::{FieldError, Permission};
use crate::import::{FileError, Options, RowError, Source};
pub use plan::NO_PROJECT;

/// Entries written per transaction.
const BATCH: usize = 500;

/// What to import.
pub struct ImportRequest {
    pub source: Source,
    pub bytes: Vec<u8>,
    /// The zone of times the file writes without an offset (default: the caller's; the CLI's:
    /// UTC). New people get it as theirs.
    pub time_zone: Option<Tz>,
    /// Every row belongs to this person (e-mail or id), whoever the file names.
    pub user: Option<String>,
}

/// A new project, by name.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct NamedProject {
    pub name: String,
    pub client: Option<String>,
}

/// What an import did, or (a dry run) would do.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct ImportReport {
    pub import_id: String,
    pub source: String,
    pub dry_run: bool,
    /// Whether the import was written (false for a dry run, and for a file with a bad row).
    pub written: bool,
    /// SHA-256 of the file, hex.
    pub file_sha256: String,
    pub time_zone: String,
    /// Rows in the file: taken, skipped (imported before) and refused.
    pub rows: usize,
    /// People to create, disabled: `Name <e-mail>`.
    pub new_users: Vec<String>,
    /// People the file names who have an account already.
    pub matched_users: Vec<String>,
    pub new_clients: Vec<String>,
    pub new_projects: Vec<NamedProject>,
    /// `Project: Name` for each person added to an existing project.
    pub new_memberships: Vec<String>,
    /// `Project › Task`.
    pub new_tasks: Vec<String>,
    pub new_tags: Vec<String>,
    /// Entries to create (a dry run) or created.
    pub entries: usize,
    /// The first and last local day (in `time_zone`) the file's new entries start on.
    pub first_day: Option<chrono::NaiveDate>,
    pub last_day: Option<chrono::NaiveDate>,
    /// Rows imported before: skipped.
    pub already_imported: usize,
    /// Every row that cannot be taken, by line.
    pub errors: Vec<RowErrorView>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct RowErrorView {
    pub line: usize,
    pub message: String,
}

impl From<RowError> for RowErrorView {
    fn from(e: RowError) -> Self {
        RowErrorView {
            line: e.line,
            message: e.message,
        }
    }
}

/// A file that cannot be read at all (422 `validation.failed`, field `file`), naming why.
fn unreadable(e: FileError) -> ServiceError {
    ServiceError::Invalid(vec![FieldError::new("file", "unreadable", e.to_string())])
}

impl Imports<'_> {
    /// What importing `req` would do; nothing is written. Roles: admin.
    pub async fn dry_run(&self, actor: &Actor, req: ImportRequest) -> Result<ImportReport> {
        let (report, _) = self.prepare(actor, req, true).await?;
        Ok(report)
    }

    /// Imports `req` if every row is good; with a bad row, nothing is written and the report
    /// lists the rows (`written` false). `progress` hears (entries written, entries to write)
    /// after each batch. Roles: admin.
    pub async fn run(
        &self,
        actor: &Actor,
        req: ImportRequest,
        progress: &(dyn Fn(u64, u64) + Send + Sync),
    ) -> Result<ImportReport> {
        let (mut report, plan) = self.prepare(actor, req, false).await?;
        if !report.errors.is_empty() {
            return Ok(report);
        }
        let created = write::apply(self, actor, &report, plan, progress).await?;
        report.entries = created;
        report.written = true;
        Ok(report)
    }

    /// Reads and plans the file.
    async fn prepare(
        &self,
        actor: &Actor,
        req: ImportRequest,
        dry_run: bool,
    ) -> Result<(ImportReport, plan::Plan)> {
        actor.require(Permission::ManageUsers)?;
        actor.require(Permission::ManageProjects)?;
        let tz = match (req.time_zone, actor.user_id()) {
            (Some(tz), _) => tz,
            (None, Some(_)) => self.zone_of(actor)?,
            (None, None) => Tz::UTC,
        };
        let owner = match &req.user {
            Some(u) => plan::Owner::Everyone(self.users().find(actor, u)?),
            None => plan::Owner::PerRow,
        };
        let sha = hex::encode(Sha256::digest(&req.bytes));
        let source = req.source;
        let (report, plan) = self
            .off_runtime(move |s| {
                let parsed = crate::import::parse(source, &req.bytes, &Options { time_zone: tz })
                    .map_err(unreadable)?;
                let rows = parsed.rows.len() + parsed.errors.len();
                let plan = plan::plan(s, parsed.rows, parsed.errors, tz, &owner)?;
                let report = report_of(&plan, source, &sha, tz, rows, dry_run);
                Ok((report, plan))
            })
            .await?;
        Ok((report, plan))
    }
}

/// The report of a plan.
fn report_of(
    plan: &plan::Plan,
    source: Source,
    sha: &str,
    tz: Tz,
    rows: usize,
    dry_run: bool,
) -> ImportReport {
    let client_name = |id: Option<crate::domain::ClientId>| {
        id.and_then(|c| plan.new_clients.iter().find(|x| x.id == c))
            .map(|c| c.name.clone())
    };
    let project_name = |id| plan.project_names.get(&id).cloned().unwrap_or_default();
    let person = |id| plan.user_names.get(&id).cloned().unwrap_or_default();
    let mut memberships = Vec::new();
    for (before, after) in &plan.joined {
        for u in after.members.iter().filter(|u| !before.members.contains(u)) {
            memberships.push(format!("{}: {}", after.name, person(*u)));
        }
    }
    ImportReport {
        import_id: uuid::Uuid::now_v7().to_string(),
        source: source.name().to_owned(),
        dry_run,
        written: false,
        file_sha256: sha.to_owned(),
        time_zone: tz.name().to_owned(),
        rows,
        new_users: (plan.new_users.iter())
            .map(|u| format!("{} <{}>", u.name.as_str(), u.email.as_str()))
            .collect(),
        matched_users: plan.matched_users.clone(),
        new_clients: plan.new_clients.iter().map(|c| c.name.clone()).collect(),
        new_projects: (plan.new_projects.iter())
            .map(|p| NamedProject {
                name: p.name.clone(),
                client: client_name(p.client_id),
            })
            .collect(),
        new_memberships: memberships,
        new_tasks: (plan.new_tasks.iter())
            .map(|t| format!("{} › {}", project_name(t.project_id), t.title))
            .collect(),
        new_tags: plan.new_tags.clone(),
        entries: plan.entries.len(),
        first_day: (plan.entries.iter().map(|e| e.entry.start_ms).min())
            .map(|ms| crate::domain::time::local_date(ms, tz)),
        last_day: (plan.entries.iter().map(|e| e.entry.start_ms).max())
            .map(|ms| crate::domain::time::local_date(ms, tz)),
        already_imported: plan.already,
        errors: plan
            .errors
            .iter()
            .cloned()
            .map(RowErrorView::from)
            .collect(),
    }
}
