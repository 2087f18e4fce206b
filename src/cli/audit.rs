//! `ophiontt audit checkpoint` and `audit verify --checkpoints DIR`: through the running
//! server when there is one, else against the store directly.

use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;

use super::admin::run_op;
use crate::config::Config;
use crate::domain::time::parse_bound;
use crate::service::admin::{Op, Outcome};
use crate::service::{rfc3339, AccessView};

/// `ophiontt audit checkpoint`.
pub async fn checkpoint(config: Config) -> anyhow::Result<ExitCode> {
    let (outcome, _) = run_op(&config, Op::AuditCheckpoint).await?;
    let Outcome::Checkpoint { made } = outcome else {
        anyhow::bail!("unexpected reply from the server");
    };
    let Some((c, file, pub_file)) = made else {
        println!("the audit log is empty: nothing to checkpoint");
        return Ok(ExitCode::SUCCESS);
    };
    println!(
        "checkpoint of record {} written to {}",
        c.seq,
        file.display()
    );
    println!("head:       {}", c.head);
    println!(
        "public key: {} (also in {})",
        c.public_key,
        pub_file.display()
    );
    Ok(ExitCode::SUCCESS)
}

/// `ophiontt audit verify --checkpoints DIR [--key FILE]`.
pub async fn verify_checkpoints(
    config: Config,
    dir: PathBuf,
    key: Option<PathBuf>,
) -> anyhow::Result<ExitCode> {
    let items = crate::service::read_checkpoint_files(&dir).map_err(anyhow::Error::msg)?;
    if items.is_empty() {
        anyhow::bail!("no checkpoint files (*.json) in {}", dir.display());
    }
    let key = match key {
        Some(f) => Some(
            std::fs::read_to_string(&f)
                .with_context(|| format!("reading the public key {}", f.display()))?,
        ),
        None => None,
    };
    let n = items.len();
    let op = Op::AuditVerifyCheckpoints {
        checkpoints: items,
        key,
    };
    let (outcome, _) = run_op(&config, op).await?;
    let Outcome::CheckpointVerify { report } = outcome else {
        anyhow::bail!("unexpected reply from the server");
    };
    let chain = &report.chain;
    if chain.ok {
        println!("audit chain OK: {} records verified", chain.records);
    } else {
        println!(
            "audit chain BROKEN at record {}: {} ({} records before it verified)",
            chain.first_bad_seq.unwrap_or(0),
            chain.reason.as_deref().unwrap_or("unknown"),
            chain.records
        );
    }
    match report.failures.first() {
        None => {
            println!(
                "checkpoints OK: the chain extends all {n} checkpoints (newest: record {})",
                report.newest_seq.unwrap_or(0)
            );
        }
        Some(f) => {
            println!(
                "checkpoint {} FAILS{}: {}",
                f.name,
                f.seq.map(|s| format!(" (record {s})")).unwrap_or_default(),
                f.reason
            );
            for more in &report.failures[1..] {
                println!("also fails: {}: {}", more.name, more.reason);
            }
            println!(
                "{} of {n} checkpoints hold, {} fail",
                report.passed,
                report.failures.len()
            );
        }
    }
    Ok(if report.ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// `ophiontt audit accessed --from T --to T [--user U] [--json]`.
pub async fn accessed(
    config: Config,
    from: &str,
    to: &str,
    user: Option<String>,
    json: bool,
) -> anyhow::Result<ExitCode> {
    let bound = |flag: &str, t: &str, end: bool| {
        parse_bound(t, end).map_err(|e| anyhow::anyhow!("--{flag}: {e}"))
    };
    let from_ms = bound("from", from, false)?;
    let to_ms = bound("to", to, true)?;
    if to_ms <= from_ms {
        anyhow::bail!("--to {to:?} is not after --from {from:?}");
    }
    let op = Op::AuditAccessed {
        from_ms,
        to_ms,
        user,
    };
    let (outcome, _) = run_op(&config, op).await?;
    let Outcome::Accessed { items } = outcome else {
        anyhow::bail!("unexpected reply from the server");
    };
    // Piped into `head`, stdout closes early: that ends the listing quietly (#14), the way
    // `cat` or `grep` do, instead of panicking in `println!`.
    let mut out = std::io::stdout().lock();
    for a in &items {
        let line = if json {
            serde_json::to_string(a)?
        } else {
            describe(a)
        };
        if let Err(e) = writeln!(out, "{line}") {
            return closed_quietly(e);
        }
    }
    if let Err(e) = out.flush() {
        return closed_quietly(e);
    }
    if !json {
        eprintln!(
            "{} recorded reads of other people's data from {} to {}",
            items.len(),
            rfc3339(from_ms),
            rfc3339(to_ms)
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// A write to stdout failed: a closed pipe (the reader had enough) is a clean end, anything
/// else an error.
fn closed_quietly(e: std::io::Error) -> anyhow::Result<ExitCode> {
    if e.kind() == std::io::ErrorKind::BrokenPipe {
        Ok(ExitCode::SUCCESS)
    } else {
        Err(anyhow::Error::new(e).context("writing to stdout"))
    }
}

fn person(id: &str, name: &Option<String>, email: &Option<String>) -> String {
    match (name, email) {
        (Some(n), Some(e)) => format!("{n} <{e}>"),
        _ => format!("user {id} (account gone)"),
    }
}

/// One line: when, who, what, whose.
fn describe(a: &AccessView) -> String {
    let who = match a.actor.strip_prefix("user:") {
        Some(id) => person(id, &a.actor_name, &a.actor_email),
        None => a.actor.clone(),
    };
    let whose = if a.everyone {
        "everyone".to_owned()
    } else if a.unknown_subjects {
        "unknown (record redacted)".to_owned()
    } else if a.subjects.is_empty() {
        // An export that held nobody's entries names no one (#14).
        "no one".to_owned()
    } else {
        a.subjects
            .iter()
            .map(|s| person(&s.id, &s.name, &s.email))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut extra = Vec::new();
    if let Some(n) = a.count {
        // A personal data export counts the ZIP's bytes, not records (#14).
        let unit = if n == 1 {
            a.count_unit.trim_end_matches('s')
        } else {
            a.count_unit.as_str()
        };
        extra.push(format!("{n} {unit}"));
    }
    if let Some(d) = &a.detail {
        extra.push(d.clone());
    }
    let extra = if extra.is_empty() {
        String::new()
    } else {
        format!(" ({})", extra.join("; "))
    };
    format!(
        "{}  {who}  read {} of {whose}{extra}  [#{} {}]",
        rfc3339(a.at_ms),
        a.what,
        a.seq,
        a.action
    )
}
