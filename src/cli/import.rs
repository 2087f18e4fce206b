//! `ophiontt import --from SOURCE FILE [--dry-run]`: time entries from another tracker or our
//! own JSON export, through the running server when there is one or against the store. The
//! file is copied into the data folder first (the server may be sandboxed to it) and removed
//! once the import has read it.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use crate::config::Config;
use crate::service::admin::{ImportSpec, Op, Outcome};
use crate::service::imports::ImportReport;

/// Flags of `ophiontt import`.
#[derive(clap::Args, Debug)]
pub struct ImportArgs {
    /// Where the file comes from: toggl, clockify, kimai, solidtime or ophiontt (docs/imports.md).
    #[arg(long = "from", value_name = "SOURCE")]
    source: String,
    /// The exported file (CSV; JSON for ophiontt).
    file: PathBuf,
    /// Show what would be created and every row that cannot be imported; write nothing.
    #[arg(long)]
    dry_run: bool,
    /// The zone of times the file writes without an offset (IANA name); default UTC. People
    /// the import creates get it as theirs.
    #[arg(long, value_name = "ZONE")]
    time_zone: Option<String>,
    /// Every row belongs to this person (e-mail or id), whoever the file names.
    #[arg(long, value_name = "USER")]
    user: Option<String>,
    /// Print the report as JSON.
    #[arg(long)]
    json: bool,
}

pub async fn run(config: Config, a: ImportArgs) -> anyhow::Result<ExitCode> {
    if !a.file.is_file() {
        eprintln!("ophiontt: {} is not a file", a.file.display());
        return Ok(ExitCode::from(2));
    }
    let incoming = config.data_dir.join("imports");
    std::fs::create_dir_all(&incoming)?;
    let staged = incoming.join(format!("incoming-{}", uuid::Uuid::now_v7()));
    std::fs::copy(&a.file, &staged).map_err(|e| {
        anyhow::anyhow!(
            "cannot copy {} into {}: {e}",
            a.file.display(),
            incoming.display()
        )
    })?;
    let spec = ImportSpec {
        source: a.source,
        file: std::path::absolute(&staged).unwrap_or(staged.clone()),
        time_zone: a.time_zone,
        user: a.user,
        dry_run: a.dry_run,
    };
    let bar = Bar::new(a.dry_run);
    let progress = |done, total| bar.set(done, total);
    let result = super::admin::run_op_reporting(&config, Op::Import { spec }, &progress).await;
    bar.finish();
    let _ = std::fs::remove_file(&staged);
    let Outcome::Imported { report } = result?.0 else {
        anyhow::bail!("unexpected reply from the server");
    };
    if a.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        print!("{}", describe(&report, &a.file.display().to_string()));
    }
    Ok(if report.errors.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// The report as people read it.
pub fn describe(r: &ImportReport, file: &str) -> String {
    let mut out = format!(
        "{} file {file}: {} rows, times read in {}\n",
        r.source, r.rows, r.time_zone
    );
    let list = |out: &mut String, what: &str, items: &[String]| {
        if !items.is_empty() {
            out.push_str(&format!(
                "  {what} ({}): {}\n",
                items.len(),
                items.join(", ")
            ));
        }
    };
    out.push_str(if r.written {
        "Created:\n"
    } else if r.dry_run {
        "Would create (dry run, nothing written):\n"
    } else {
        "Would create, once every row can be imported (nothing written):\n"
    });
    list(&mut out, "people, disabled", &r.new_users);
    list(&mut out, "clients", &r.new_clients);
    let projects: Vec<String> = (r.new_projects.iter())
        .map(|p| match &p.client {
            Some(c) => format!("{} ({c})", p.name),
            None => p.name.clone(),
        })
        .collect();
    list(&mut out, "projects", &projects);
    list(&mut out, "project memberships", &r.new_memberships);
    list(&mut out, "tasks", &r.new_tasks);
    list(&mut out, "tags", &r.new_tags);
    match (r.first_day, r.last_day) {
        (Some(a), Some(b)) => out.push_str(&format!("  entries: {} ({a} to {b})\n", r.entries)),
        _ => out.push_str(&format!("  entries: {}\n", r.entries)),
    }
    list(&mut out, "matched to existing people", &r.matched_users);
    if r.already_imported > 0 {
        out.push_str(&format!(
            "Already imported, skipped: {} rows\n",
            r.already_imported
        ));
    }
    if !r.errors.is_empty() {
        out.push_str(&format!(
            "Rows that cannot be imported ({}):\n",
            r.errors.len()
        ));
        for e in &r.errors {
            out.push_str(&format!("  line {}: {}\n", e.line, e.message));
        }
        out.push_str(
            "Nothing is imported while a row cannot be: correct or remove these rows, then run \
             the import again.\n",
        );
    }
    out
}

/// A progress bar over the entries written, on a terminal; plain lines every tenth otherwise.
struct Bar(Option<indicatif::ProgressBar>, std::sync::atomic::AtomicU64);

impl Bar {
    fn new(dry_run: bool) -> Bar {
        if dry_run || !std::io::stderr().is_terminal() {
            return Bar(None, Default::default());
        }
        let bar = indicatif::ProgressBar::new(0);
        bar.set_style(
            indicatif::ProgressStyle::with_template(
                "importing {bar:30} {pos}/{len} entries ({eta} left)",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        Bar(Some(bar), Default::default())
    }

    fn set(&self, done: u64, total: u64) {
        match &self.0 {
            Some(bar) => {
                bar.set_length(total);
                bar.set_position(done);
            }
            None => {
                // A line at each further tenth, for logs.
                let tenth = (done * 10).checked_div(total).unwrap_or(10);
                let before = self.1.swap(tenth, std::sync::atomic::Ordering::Relaxed);
                if tenth > before {
                    eprintln!("imported {done} of {total} entries");
                }
            }
        }
    }

    fn finish(&self) {
        if let Some(bar) = &self.0 {
            bar.finish_and_clear();
        }
    }
}
