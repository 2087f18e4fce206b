//! `ophiontt check`: validates the configuration and opens the store (or asks the running
//! server about it), printing what it found.

use std::process::ExitCode;

use super::admin::{run_op, Via};
use crate::config::Config;
use crate::service::admin::{Op, Outcome};

pub async fn run(config: Config) -> anyhow::Result<ExitCode> {
    println!("configuration OK");
    for (key, value, source) in &config.effective {
        println!("  {key} = {value:?}  ({source})");
    }
    let (outcome, via) = run_op(&config, Op::Status).await?;
    let Outcome::Status {
        pid,
        schema,
        users,
        audit_records,
        store_bytes,
    } = outcome
    else {
        anyhow::bail!("unexpected reply");
    };
    match via {
        Via::Server => println!("store OK: open in the running server (pid {pid})"),
        Via::Store => println!("store OK: opened {}", config.data_dir.join("db").display()),
    }
    println!("  schema version {schema}, {users} users, {audit_records} audit records, {store_bytes} bytes on disk");
    Ok(ExitCode::SUCCESS)
}
