//! Login throttling. Every attempt costs an argon2 hash (19 MiB, ~70 ms), so unlimited attempts
//! are both a password-guessing and a CPU-exhaustion risk. Two GCRA quotas apply before any
//! hashing: one per (client IP, email) and a looser one per client IP, five times as large,
//! against one address trying many accounts. Counters live in memory; a restart resets them.

use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

pub struct LoginThrottle {
    per_account: DefaultKeyedRateLimiter<(Option<IpAddr>, String)>,
    per_client: DefaultKeyedRateLimiter<Option<IpAddr>>,
    checks: AtomicU64,
}

impl LoginThrottle {
    /// `per_minute` attempts per (IP, email), as a burst that refills evenly over a minute.
    pub fn new(per_minute: u32) -> Self {
        let quota = |n: u32| {
            let n = NonZeroU32::new(n.max(1)).expect("at least 1");
            Quota::per_minute(n).allow_burst(n)
        };
        Self {
            per_account: RateLimiter::keyed(quota(per_minute)),
            per_client: RateLimiter::keyed(quota(per_minute.saturating_mul(5))),
            checks: AtomicU64::new(0),
        }
    }

    /// `Err(wait)` when this attempt is over a quota.
    pub fn check(&self, ip: Option<&str>, email: &str) -> Result<(), Duration> {
        let ip: Option<IpAddr> = ip.and_then(|s| s.parse().ok());
        if self.checks.fetch_add(1, Ordering::Relaxed) % 1024 == 1023 {
            // Forget keys whose quota has fully refilled, so memory stays bounded.
            self.per_account.retain_recent();
            self.per_client.retain_recent();
        }
        let now = DefaultClock::default().now();
        self.per_client
            .check_key(&ip)
            .map_err(|n| n.wait_time_from(now))?;
        self.per_account
            .check_key(&(ip, email.trim().to_lowercase()))
            .map_err(|n| n.wait_time_from(now))?;
        Ok(())
    }
}
