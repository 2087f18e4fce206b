//! The delivery worker: every second, queue webhook deliveries for what the audit chain
//! recorded since the last round, then send what the outbox has due. It runs beside the
//! scheduled jobs for as long as the server does; a failure is logged and tried again in the
//! next round.

use std::time::Duration;

use crate::outbound::Senders;
use crate::service::Services;

/// How long the worker rests when nothing was due.
const REST: Duration = Duration::from_secs(1);

/// Starts the worker; abort the handle to stop it.
pub fn start(svc: Services, senders: Senders) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        loop {
            if let Err(e) = svc.webhooks().dispatch().await {
                tracing::warn!(error = %e, "queuing webhook deliveries failed");
            }
            match svc.outbox().deliver_due(&senders).await {
                Ok(n) if n > 0 => continue,
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "sending queued messages failed"),
            }
            tokio::time::sleep(REST).await;
        }
    })
}
