//! `ophiontt export`: entries into a file, in any export format, through the running server
//! when there is one (it holds the store) or against the store directly.

use std::path::PathBuf;
use std::process::ExitCode;

use crate::config::Config;
use crate::service::admin::{ExportSpec, Op, Outcome};

/// Flags of `ophiontt export`.
#[derive(clap::Args, Debug)]
pub struct ExportArgs {
    /// csv, json, xlsx, ics or pdf (docs/exports.md).
    #[arg(long, default_value = "csv", value_name = "FORMAT")]
    format: String,
    /// First local date (default: the first of this month).
    #[arg(long, value_name = "DATE")]
    from: Option<chrono::NaiveDate>,
    /// Last local date, included (default: today).
    #[arg(long, value_name = "DATE")]
    to: Option<chrono::NaiveDate>,
    /// Only this person's entries (e-mail or id; repeatable).
    #[arg(long, value_name = "USER")]
    user: Vec<String>,
    /// Only this project's entries (name or id; repeatable).
    #[arg(long, value_name = "PROJECT")]
    project: Vec<String>,
    /// Only entries on this client's projects (name or id; repeatable).
    #[arg(long, value_name = "CLIENT")]
    client: Vec<String>,
    /// Only entries carrying this tag (repeatable: any of them).
    #[arg(long, value_name = "TAG")]
    tag: Vec<String>,
    /// Only billable (true) or non-billable (false) entries.
    #[arg(long, value_name = "BOOL")]
    billable: Option<bool>,
    /// Only entries whose note contains this text.
    #[arg(long, value_name = "TEXT")]
    text: Option<String>,
    /// The zone of dates and times (IANA name, e.g. Europe/Berlin); default UTC.
    #[arg(long, value_name = "ZONE")]
    time_zone: Option<String>,
    /// CSV: a UTF-8 byte-order mark first, for Excel.
    #[arg(long)]
    bom: bool,
    /// CSV: `;` between fields, for spreadsheets whose decimal mark is a comma.
    #[arg(long)]
    semicolon: bool,
    /// The file to write (default: ./ophiontt-entries-<from>_<to>.<format>).
    #[arg(long, short, value_name = "FILE")]
    output: Option<PathBuf>,
}

pub async fn run(config: Config, a: ExportArgs) -> anyhow::Result<ExitCode> {
    let out = match a.output {
        Some(p) => p,
        None => {
            let today = chrono::Utc::now().date_naive();
            let from = a.from.unwrap_or(today);
            let to = a.to.unwrap_or(today);
            PathBuf::from(format!("ophiontt-entries-{from}_{to}.{}", a.format))
        }
    };
    let out = std::path::absolute(&out).unwrap_or(out);
    if out.exists() {
        eprintln!(
            "ophiontt: {} exists already; choose another --output",
            out.display()
        );
        return Ok(ExitCode::from(2));
    }
    // The server (which may be sandboxed to its data folder) writes into the exports folder;
    // this process then moves the file where it was asked for, with its own rights.
    let staged =
        config
            .data_dir
            .join("exports")
            .join(format!("cli-{}.{}", uuid::Uuid::now_v7(), a.format));
    let staged = std::path::absolute(&staged).unwrap_or(staged);
    let spec = ExportSpec {
        format: a.format,
        from: a.from,
        to: a.to,
        users: a.user,
        projects: a.project,
        clients: a.client,
        tags: a.tag,
        billable: a.billable,
        text: a.text,
        time_zone: a.time_zone,
        bom: a.bom,
        semicolon: a.semicolon,
        out: staged.clone(),
    };
    let (outcome, _) = super::admin::run_op(&config, Op::Export { spec }).await?;
    let Outcome::Exported {
        path,
        entries,
        bytes,
        from,
        to,
        time_zone,
    } = outcome
    else {
        anyhow::bail!("unexpected reply from the server");
    };
    if let Err(e) = super::backup::move_file(&path, &out) {
        eprintln!(
            "ophiontt: the export was written to {} but cannot be moved to {}: {e}",
            path.display(),
            out.display()
        );
        return Ok(ExitCode::from(1));
    }
    let path = out;
    println!(
        "wrote {entries} entries ({from} to {to}, {time_zone}) to {} ({bytes} bytes)",
        path.display()
    );
    Ok(ExitCode::SUCCESS)
}
