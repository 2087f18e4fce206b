//! `ophiontt serve`.

use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context;

use crate::app::{shutdown_signal, App};
use crate::clock::SystemClock;
use crate::config::Config;

pub async fn run(config: Config) -> anyhow::Result<ExitCode> {
    crate::app::ensure_data_dir(&config.data_dir)?;
    let _guard = crate::logging::init_server(&config)?;
    let listen = config.listen;
    let app = App::open(config, Arc::new(SystemClock))?;
    let listener = tokio::net::TcpListener::bind(listen)
        .await
        .with_context(|| format!("cannot listen on {listen} (set server.listen or --listen)"))?;
    app.serve(listener, shutdown_signal()).await?;
    Ok(ExitCode::SUCCESS)
}
