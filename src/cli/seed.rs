//! `ophiontt seed`: fill a stopped server's store with synthetic data for benchmarks.

use std::process::ExitCode;
use std::sync::Arc;
use std::time::Instant;

use anyhow::Context;

use super::socket::Connect;
use crate::app::App;
use crate::clock::SystemClock;
use crate::config::Config;
use crate::service::admin::Op;
use crate::service::{Actor, SeedPlan};

pub async fn run(config: Config, plan: SeedPlan) -> anyhow::Result<ExitCode> {
    crate::logging::init_cli();
    if let Connect::Answered(_) = super::socket::call(&config.data_dir, &Op::Status).await? {
        anyhow::bail!(
            "the server is running on {}; stop it first (seeding writes the store directly)",
            config.data_dir.display()
        );
    }
    let app = App::open(config.clone(), Arc::new(SystemClock))?;
    let svc = app.services(config.base_url(config.listen));
    let actor = Actor::cli(&crate::service::admin::os_user_name(
        crate::service::admin::own_uid(),
    ));
    let started = Instant::now();
    let users = svc
        .seed()
        .run(&actor, plan, |done| {
            eprintln!("ophiontt: {done} of {} entries loaded", plan.entries)
        })
        .await
        .map_err(|e| anyhow::anyhow!(e.explain()))?;
    app.store.flush().await.context("flushing the store")?;
    println!(
        "seeded {} users, {} projects and {} entries in {:.1} s (first user: seed0@example.com, id {})",
        users.len(),
        plan.projects,
        plan.entries,
        started.elapsed().as_secs_f64(),
        users.first().map(ToString::to_string).unwrap_or_default()
    );
    Ok(ExitCode::SUCCESS)
}
