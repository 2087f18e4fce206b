//! `ophiontt job list|run`: through the running server's scheduler when it runs, else here.

use std::process::ExitCode;

use crate::config::Config;
use crate::domain::jobs::{JobRun, Outcome as RunOutcome};
use crate::service::admin::{Op, Outcome};

fn when(ms: i64, tz: &chrono_tz::Tz) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .map(|t| {
            t.with_timezone(tz)
                .format("%Y-%m-%d %H:%M:%S %Z")
                .to_string()
        })
        .unwrap_or_default()
}

fn describe(run: &JobRun, tz: &chrono_tz::Tz) -> String {
    let took = run
        .ended_ms
        .map(|e| format!(" in {} ms", e - run.started_ms))
        .unwrap_or_default();
    let counts: Vec<String> = run.counts.iter().map(|(k, v)| format!("{k}={v}")).collect();
    format!(
        "{} {:?}{took} ({:?}){}{}{}",
        when(run.started_ms, tz),
        run.outcome,
        run.trigger,
        if counts.is_empty() {
            String::new()
        } else {
            format!(" {}", counts.join(" "))
        },
        run.detail
            .as_deref()
            .map(|d| format!(" — {d}"))
            .unwrap_or_default(),
        run.error
            .as_deref()
            .map(|e| format!(" — error: {e}"))
            .unwrap_or_default(),
    )
}

pub async fn list(config: Config) -> anyhow::Result<ExitCode> {
    let (outcome, _) = super::admin::run_op(&config, Op::JobList).await?;
    let Outcome::Jobs { jobs, time_zone } = outcome else {
        anyhow::bail!("unexpected reply from the server");
    };
    let tz: chrono_tz::Tz = time_zone.parse().unwrap_or(chrono_tz::UTC);
    for j in jobs {
        println!(
            "{}: {}\n  schedule: {}{}{}",
            j.name,
            j.description,
            j.schedule
                .as_deref()
                .unwrap_or("off (runs on request only)"),
            j.next_ms
                .map(|n| format!("; next {}", when(n, &tz)))
                .unwrap_or_default(),
            if j.running { "; running now" } else { "" },
        );
        match j.runs.first() {
            Some(r) => println!("  last run: {}", describe(r, &tz)),
            None => println!("  last run: never"),
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub async fn run(config: Config, name: String) -> anyhow::Result<ExitCode> {
    let tz = config.jobs.time_zone;
    eprintln!("running {name}…");
    let (outcome, _) = super::admin::run_op(&config, Op::JobRun { name }).await?;
    let Outcome::JobRun { run } = outcome else {
        anyhow::bail!("unexpected reply from the server");
    };
    println!("{}: {}", run.job, describe(&run, &tz));
    Ok(if run.outcome == RunOutcome::Ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
