//! `ophiontt retention show|run` and `ophiontt hold add|list|release`.

use std::process::ExitCode;

use clap::Subcommand;

use crate::config::Config;
use crate::service::admin::{ComplianceOp, ComplianceOutcome, HoldView, Op, Outcome};
use crate::service::{rfc3339, RetentionReport};

#[derive(Subcommand, Debug)]
pub enum RetentionCmd {
    /// Print each category's rule and what the next run would remove (nothing is removed).
    Show,
    /// Purge what has expired now, skipping data under a legal hold; print the counts.
    Run {
        /// Count what would be removed, remove nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Set one category's rule, overriding its [retention] config key (as the admin page does).
    Set {
        /// The category, e.g. time_entries (`retention show` lists them).
        category: String,
        /// `forever`, or a whole number and a unit: h, d, w, mo, y (e.g. 90d, 7y).
        rule: String,
    },
    /// Return a category to the rule in the configuration.
    Unset {
        /// The category, e.g. time_entries.
        category: String,
    },
}

#[derive(Subcommand, Debug)]
pub enum HoldCmd {
    /// Place a legal hold: retention and erasure leave the data it covers alone.
    #[command(group(clap::ArgGroup::new("scope").required(true).args(["user", "project", "client", "instance"])))]
    Add {
        /// A person (email or id).
        #[arg(long, value_name = "EMAIL|ID")]
        user: Option<String>,
        /// A project (exact name or id).
        #[arg(long, value_name = "NAME|ID")]
        project: Option<String>,
        /// A client and all its projects (exact name or id).
        #[arg(long, value_name = "NAME|ID")]
        client: Option<String>,
        /// Everything on this instance.
        #[arg(long)]
        instance: bool,
        /// Why the data must be kept (a case, a request from counsel…).
        #[arg(long)]
        reason: String,
        /// The day the hold lapses by itself (YYYY-MM-DD, UTC midnight); default: until released.
        #[arg(long, value_name = "DATE")]
        until: Option<String>,
    },
    /// List every hold, in force or not.
    List,
    /// Release a hold in force (the record stays, marked released).
    Release {
        /// The hold's id (or its first 8+ characters).
        id: String,
        /// Why it is released (recorded in the audit log).
        #[arg(long)]
        reason: String,
    },
}

async fn call(config: &Config, what: ComplianceOp) -> anyhow::Result<ComplianceOutcome> {
    let (outcome, _) = super::admin::run_op(config, Op::Compliance { what }).await?;
    match outcome {
        Outcome::Compliance { result } => Ok(result),
        _ => anyhow::bail!("unexpected reply from the server"),
    }
}

pub async fn retention(config: Config, cmd: RetentionCmd) -> anyhow::Result<ExitCode> {
    let op = match cmd {
        RetentionCmd::Show => ComplianceOp::RetentionShow,
        RetentionCmd::Run { dry_run } => ComplianceOp::RetentionRun { dry_run },
        RetentionCmd::Set { category, rule } => ComplianceOp::RetentionSet {
            category,
            rule: Some(rule),
        },
        RetentionCmd::Unset { category } => ComplianceOp::RetentionSet {
            category,
            rule: None,
        },
    };
    let shown = !matches!(op, ComplianceOp::RetentionRun { .. });
    let ComplianceOutcome::Retention { report } = call(&config, op).await? else {
        anyhow::bail!("unexpected reply from the server");
    };
    print_report(&report, shown);
    Ok(ExitCode::SUCCESS)
}

fn print_report(r: &RetentionReport, show: bool) {
    let verb = if show || r.dry_run {
        "would remove"
    } else {
        "removed"
    };
    println!(
        "{:<18} {:<8} {:<7} {:>12} {:>10}  EXPIRED BEFORE",
        "CATEGORY",
        "KEEP",
        "SET BY",
        verb.to_uppercase(),
        "HELD"
    );
    for c in &r.categories {
        println!(
            "{:<18} {:<8} {:<7} {:>12} {:>10}  {}{}",
            c.category,
            c.rule,
            c.source,
            c.expired,
            c.held,
            c.cutoff_ms.map(rfc3339).unwrap_or_else(|| "-".into()),
            c.note
                .as_deref()
                .map(|n| format!("  ({n})"))
                .unwrap_or_default()
        );
    }
    if r.holds.is_empty() {
        println!("no legal hold in force");
    } else {
        println!("legal holds in force (their data is kept):");
        for h in &r.holds {
            println!("  {h}");
        }
    }
    if show {
        println!("(nothing was removed; `ophiontt retention run` applies the rules)");
    } else if r.dry_run {
        println!("dry run: nothing was removed");
    } else {
        println!(
            "{} removed in total; each batch is in the audit log as retention.purged",
            r.total_expired()
        );
    }
}

fn print_hold(v: &HoldView) {
    let h = &v.hold;
    println!(
        "{}  {:<8} {}  placed {} by {}{}\n    reason: {}",
        h.id,
        v.status,
        v.covers,
        rfc3339(h.placed_at_ms),
        h.placed_by,
        match (h.released_at_ms, h.ends_at_ms) {
            (Some(at), _) => format!(
                ", released {} by {}",
                rfc3339(at),
                h.released_by.as_deref().unwrap_or("?")
            ),
            (None, Some(end)) => format!(", ends {}", rfc3339(end)),
            (None, None) => String::new(),
        },
        h.reason
    );
}

fn until_ms(until: Option<String>) -> anyhow::Result<Option<i64>> {
    let Some(d) = until else { return Ok(None) };
    let date = chrono::NaiveDate::parse_from_str(d.trim(), "%Y-%m-%d")
        .map_err(|_| anyhow::anyhow!("--until {d:?} is not a date like 2027-06-30"))?;
    Ok(date
        .and_hms_opt(0, 0, 0)
        .map(|t| t.and_utc().timestamp_millis()))
}

pub async fn hold(config: Config, cmd: HoldCmd) -> anyhow::Result<ExitCode> {
    let op = match cmd {
        HoldCmd::Add {
            user,
            project,
            client,
            instance,
            reason,
            until,
        } => {
            let (kind, target) = match (user, project, client, instance) {
                (Some(u), _, _, _) => ("user", Some(u)),
                (_, Some(p), _, _) => ("project", Some(p)),
                (_, _, Some(c), _) => ("client", Some(c)),
                _ => ("instance", None),
            };
            ComplianceOp::HoldAdd {
                kind: kind.into(),
                target,
                reason,
                until_ms: until_ms(until)?,
            }
        }
        HoldCmd::List => ComplianceOp::HoldList,
        HoldCmd::Release { id, reason } => ComplianceOp::HoldRelease { id, why: reason },
    };
    match call(&config, op).await? {
        ComplianceOutcome::Holds { holds } => {
            if holds.is_empty() {
                println!("no legal holds");
            }
            holds.iter().for_each(print_hold);
        }
        ComplianceOutcome::Hold { hold } => print_hold(&hold),
        ComplianceOutcome::Retention { .. } => anyhow::bail!("unexpected reply from the server"),
    }
    Ok(ExitCode::SUCCESS)
}
