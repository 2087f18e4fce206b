//! Running an admin operation: through the admin socket when the server runs, else against the
//! store opened directly. Both end in `adminsock::dispatch`.

use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context;

use super::socket::Connect;
use crate::app::App;
use crate::clock::SystemClock;
use crate::config::Config;
use crate::service::admin::{Op, Outcome, Reply};
use crate::service::Actor;

/// An operation the service refused; `code` is the stable problem code.
#[derive(Debug)]
pub struct OpFailed {
    pub code: String,
    pub message: String,
}

impl std::fmt::Display for OpFailed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ({})", self.message, self.code)
    }
}

impl std::error::Error for OpFailed {}

/// How the operation reached the store.
pub enum Via {
    Server,
    Store,
}

/// Runs `op`; an error reply becomes an error naming its code.
pub async fn run_op(config: &Config, op: Op) -> anyhow::Result<(Outcome, Via)> {
    run_op_reporting(config, op, &|_, _| {}).await
}

/// [`run_op`], telling `progress` how far a long operation is (done, total).
pub async fn run_op_reporting(
    config: &Config,
    op: Op,
    progress: &(dyn Fn(u64, u64) + Send + Sync),
) -> anyhow::Result<(Outcome, Via)> {
    crate::logging::init_cli();
    let (reply, via) = match super::socket::call_reporting(&config.data_dir, &op, progress).await? {
        Connect::Answered(r) => (*r, Via::Server),
        Connect::NoServer => {
            let app = App::open(config.clone(), Arc::new(SystemClock))?;
            let svc = app.services(config.base_url(config.listen));
            let _jobs = app.attach_jobs(&svc);
            let actor = Actor::cli(&crate::service::admin::os_user_name(
                crate::service::admin::own_uid(),
            ));
            let r = Reply::from_result(svc.admin().run_reporting(&actor, op, progress).await);
            app.store.flush().await.context("flushing the store")?;
            (r, Via::Store)
        }
    };
    match reply {
        Reply::Ok(o) => Ok((o, via)),
        Reply::Err { code, message } => Err(OpFailed { code, message }.into()),
        Reply::Progress { .. } => anyhow::bail!("the server sent progress as its answer"),
    }
}

/// `ophiontt audit verify`.
pub async fn audit_verify(config: Config) -> anyhow::Result<ExitCode> {
    let (outcome, _) = run_op(&config, Op::AuditVerify).await?;
    let Outcome::Verify { report } = outcome else {
        anyhow::bail!("unexpected reply from the server");
    };
    if report.ok {
        println!("audit chain OK: {} records verified", report.records);
        Ok(ExitCode::SUCCESS)
    } else {
        println!(
            "audit chain BROKEN at record {}: {} ({} records before it verified)",
            report.first_bad_seq.unwrap_or(0),
            report.reason.as_deref().unwrap_or("unknown"),
            report.records
        );
        Ok(ExitCode::from(1))
    }
}
