//! Exports: the finished entries a caller may see, filtered like the entries list and reports,
//! written in any format (`crate::export`) to a download, a file (CLI) or the scheduled job's
//! folder.
//!
//! Who sees what is the reports' rule: members their own time; managers their own and
//! everyone's on the projects they manage; admins, auditors, the CLI and the server everyone's.
//! A person whose processing is restricted is left out of others' exports, and the scheduled job
//! also leaves out those who objected to it. Entries are listed whole, by the local day they
//! start on (as the entries list does), so an export read back in keeps every second.
//!
//! An export is read in two steps: [`Exports::prepare`] checks the caller and the query and
//! reads the names (nothing has been sent yet: a bad query is still a clean error), then
//! [`Exports::write`] walks the entries page by page and writes each row as it comes. What
//! went out is then recorded ([`Exports::record`]): other people's time as a read of their data.

mod walk;

use std::collections::BTreeMap;
use std::io::Write;

use chrono::{Datelike, NaiveDate};
use chrono_tz::Tz;
use serde_json::json;

use super::audit::Read;
use super::{Actor, Exports, Result, ServiceError, Who};
use crate::domain::time::{days_range, local_date};
use crate::domain::{ClientId, DomainError, Permission, ProjectId, TaskId, UserId};
use crate::export::{CsvOptions, ExportInfo, Format};
pub use walk::Written;

/// The longest range one export covers: 100 years.
pub const MAX_EXPORT_DAYS: i64 = 36_525;

/// What an export covers and how it is written; empty lists filter nothing.
#[derive(Debug, Clone)]
pub struct ExportQuery {
    pub format: Format,
    pub csv: CsvOptions,
    /// First and last local date (default: this month so far).
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub users: Vec<UserId>,
    pub projects: Vec<ProjectId>,
    pub clients: Vec<ClientId>,
    pub tasks: Vec<TaskId>,
    /// Tag names, any letter case: an entry carrying one of them.
    pub tags: Vec<String>,
    pub billable: Option<bool>,
    /// Text the note contains, any letter case.
    pub text: Option<String>,
    /// Ticket ids, any letter case: an entry whose note or task title refers to one of them.
    pub tickets: Vec<String>,
    /// The zone of days and times (default: the caller's; the CLI's and the job's: UTC unless
    /// given).
    pub time_zone: Option<Tz>,
}

impl ExportQuery {
    pub fn new(format: Format) -> Self {
        Self {
            format,
            csv: CsvOptions::default(),
            from: None,
            to: None,
            users: Vec::new(),
            projects: Vec::new(),
            clients: Vec::new(),
            tasks: Vec::new(),
            tags: Vec::new(),
            billable: None,
            text: None,
            tickets: Vec::new(),
            time_zone: None,
        }
    }
}

/// A checked export, ready to write.
pub struct Prepared {
    pub query: ExportQuery,
    pub info: ExportInfo,
    /// A file name for the download: `ophiontt-entries-2026-11-01_2026-11-30.csv`.
    pub file_name: String,
    from_ms: i64,
    to_ms: i64,
    tz: Tz,
    plan: walk::Plan,
}

impl Exports<'_> {
    /// Checks that `actor` may export and that `q` makes sense, and reads what the rows need.
    /// Nothing is written or recorded yet. Roles: admin, manager, member, auditor.
    pub async fn prepare(&self, actor: &Actor, q: ExportQuery) -> Result<Prepared> {
        actor.require(Permission::ReadProjects)?;
        let a2 = actor.clone();
        self.off_runtime(move |s| s.exports().prepare_now(&a2, q))
            .await
    }

    fn prepare_now(&self, actor: &Actor, q: ExportQuery) -> Result<Prepared> {
        let tz = match (q.time_zone, actor.user_id()) {
            (Some(tz), _) => tz,
            (None, Some(_)) => self.zone_of(actor)?,
            (None, None) => Tz::UTC,
        };
        let now = self.now();
        let today = local_date(now, tz);
        let from = q.from.unwrap_or_else(|| today.with_day(1).unwrap_or(today));
        let to = q.to.unwrap_or(today.max(from));
        if to < from {
            return Err(
                DomainError::field("to", "before_from", "the range ends before it starts").into(),
            );
        }
        if (to - from).num_days() >= MAX_EXPORT_DAYS {
            return Err(DomainError::field(
                "to",
                "range_too_long",
                "an export covers at most 100 years",
            )
            .into());
        }
        let (from_ms, to_ms) = days_range(from, to, tz);
        let plan = walk::Plan::new(self, actor, &q)?;
        if let Some(max) = q.format.max_rows() {
            let n = plan.count(self, from_ms, to_ms, max + 1)?;
            if n > max {
                return Err(DomainError::field(
                    "format",
                    "too_many_rows",
                    format!(
                        "{} holds at most {} entries and this export has more: narrow the \
                         range or the filters, or export CSV",
                        match q.format {
                            Format::Pdf => "a PDF",
                            _ => "an XLSX sheet",
                        },
                        thousands(max)
                    ),
                )
                .into());
            }
        }
        let info = ExportInfo {
            title: plan.title(&q),
            from,
            to,
            time_zone: tz.name().to_owned(),
            generated_at: chrono::DateTime::from_timestamp_millis(now)
                .unwrap_or_default()
                .with_timezone(&tz)
                .fixed_offset(),
            generated_by: match &actor.who {
                Who::User(id) => self.labels().user_name(*id)?.unwrap_or_default(),
                Who::Cli(name) => format!("{name} (command line)"),
                Who::System => "scheduled export".to_owned(),
                Who::Anonymous => String::new(),
            },
            filters: plan.filter_lines(&q),
        };
        let file_name = format!("ophiontt-entries-{from}_{to}.{}", q.format.name());
        Ok(Prepared {
            query: q,
            info,
            file_name,
            from_ms,
            to_ms,
            tz,
            plan,
        })
    }

    /// Writes every row of `p` into `out`, page by page, off the async runtime, then records
    /// what went out (also when the writing failed part-way: what was sent was read). `file`
    /// names a file written on this host (`export.written`). An error after the first bytes
    /// leaves `out` cut short. Roles: whoever [`Self::prepare`] let through.
    pub async fn send(
        &self,
        actor: &Actor,
        p: Prepared,
        out: Box<dyn Write + Send + 'static>,
        file: Option<&str>,
    ) -> Result<Written> {
        let p = std::sync::Arc::new(p);
        let p2 = p.clone();
        let (written, outcome) = self
            .off_runtime(move |s| {
                let mut written = Written::default();
                let outcome = p2.plan.write(s, &p2, out, &mut written);
                Ok((written, outcome))
            })
            .await?;
        if outcome.is_ok() || written.entries > 0 {
            self.record(actor, &p, &written, file.filter(|_| outcome.is_ok()))
                .await?;
        }
        outcome.map(|()| written)
    }

    /// Records what an export showed: others' time as a read of their data
    /// (`data.accessed`), and a file written on the server as `export.written`.
    async fn record(
        &self,
        actor: &Actor,
        p: &Prepared,
        written: &Written,
        file: Option<&str>,
    ) -> Result<()> {
        let me = actor.user_id();
        let others: BTreeMap<UserId, usize> = (written.subjects.iter())
            .filter(|(u, _)| Some(**u) != me)
            .map(|(u, n)| (*u, *n))
            .collect();
        if !others.is_empty() {
            // The count is of others' entries: one's own in the same file are no one's read.
            let read = Read {
                what: "time entries (export)",
                subjects: others.keys().copied().collect(),
                count: others.values().sum(),
                from_ms: Some(p.from_ms),
                to_ms: Some(p.to_ms),
            };
            self.audit().record_access(actor, read).await?;
        }
        if let Some(file) = file {
            let subjects: Vec<String> = written.subjects.keys().map(|u| u.to_string()).collect();
            let ev = self.event(
                actor,
                "export.written",
                None,
                json!({
                    "file": file,
                    "format": p.query.format.name(),
                    "from": p.info.from.to_string(),
                    "to": p.info.to.to_string(),
                    "entries": written.entries,
                    "subjects": subjects,
                }),
            );
            self.commit(&ev, |_| Ok(())).await?;
        }
        Ok(())
    }

    /// Prepares, writes and records an export into a file on this host (the CLI and the
    /// scheduled job), through a temporary file renamed into place once complete.
    pub async fn to_file(
        &self,
        actor: &Actor,
        q: ExportQuery,
        path: &std::path::Path,
    ) -> Result<(ExportInfo, Written)> {
        let p = self.prepare(actor, q).await?;
        let info = p.info.clone();
        let file = crate::export::AtomicFile::create(path).map_err(failed)?;
        let shown = path.display().to_string();
        let sink = file.writer().map_err(failed)?;
        let written = self.send(actor, p, Box::new(sink), Some(&shown)).await?;
        file.commit().map_err(failed)?;
        Ok((info, written))
    }
}

/// `10000` as `10,000`.
fn thousands(n: usize) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A file that cannot be written.
fn failed(e: std::io::Error) -> ServiceError {
    ServiceError::Failed {
        code: crate::domain::codes::EXPORT_FAILED,
        message: e.to_string(),
    }
}
