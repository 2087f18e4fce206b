//! Password hashing: argon2id with OWASP's parameters (19 MiB, t=2, p=1), run off the async
//! runtime with at most one hash per core at a time. Unknown users are checked against a dummy
//! hash so the response time does not tell which emails exist. Each hash's 19 MiB goes back to
//! the OS when it is done (`crate::memory`).

use std::sync::Arc;

use anyhow::Context;
use argon2::{Argon2, PasswordHasher, PasswordVerifier};
use tokio::sync::Semaphore;

pub struct Passwords {
    permits: Arc<Semaphore>,
    dummy: String,
}

fn argon() -> Argon2<'static> {
    // Argon2::default() is argon2id v19 with m=19456 KiB, t=2, p=1: OWASP's recommendation.
    Argon2::default()
}

impl Passwords {
    pub fn new() -> Self {
        let cores = std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1);
        let dummy = argon()
            .hash_password(b"ophiontt dummy password for timing")
            .map(|h| h.to_string())
            .expect("hashing the dummy password at start-up");
        Self {
            permits: Arc::new(Semaphore::new(cores)),
            dummy,
        }
    }

    /// Hashes a new password into a PHC string.
    pub async fn hash(&self, password: &str) -> anyhow::Result<String> {
        let _permit = self.permits.acquire().await.context("hasher closed")?;
        let pw = password.to_owned();
        tokio::task::spawn_blocking(move || {
            let phc = argon()
                .hash_password(pw.as_bytes())
                .map(|h| h.to_string())
                .map_err(|e| anyhow::anyhow!("argon2: {e}"));
            crate::memory::release();
            phc
        })
        .await
        .context("hashing task")?
    }

    /// Whether `password` matches `phc`; with `None`, spends the same time and says no.
    pub async fn verify(&self, password: &str, phc: Option<&str>) -> bool {
        let Ok(_permit) = self.permits.acquire().await else {
            return false;
        };
        let (pw, hash, real) = (
            password.to_owned(),
            phc.unwrap_or(&self.dummy).to_owned(),
            phc.is_some(),
        );
        let ok = tokio::task::spawn_blocking(move || {
            let ok = argon()
                .verify_password(pw.as_bytes(), hash.as_str())
                .is_ok();
            // Its 19 MiB back to the OS now, not when later allocations come by.
            crate::memory::release();
            ok
        })
        .await
        .unwrap_or(false);
        ok && real
    }
}

impl Default for Passwords {
    fn default() -> Self {
        Self::new()
    }
}
