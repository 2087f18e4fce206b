//! The admin socket: `<data>/admin.sock` (mode 0600; file permissions are the authentication).
//! While the server runs, it holds sled's lock, so the CLI sends its operations here; when the
//! server is stopped, the CLI opens the store itself. Both paths run [`dispatch`], so both end in
//! the same service call.

mod client;
mod compliance;
mod privacy;
mod protocol;
mod server;

pub use client::{call, Connect};
pub use compliance::{ComplianceOp, ComplianceOutcome, HoldView};
pub use privacy::PrivacyOp;
pub use protocol::{dispatch, JobView, Op, Outcome, Reply};
pub use server::listen;

/// The socket's file name inside the data folder.
pub const SOCKET: &str = "admin.sock";

/// The local OS user name for `uid`, from /etc/passwd, or `uid:N`.
pub fn os_user_name(uid: u32) -> String {
    std::fs::read_to_string("/etc/passwd")
        .ok()
        .and_then(|s| {
            s.lines().find_map(|l| {
                let mut f = l.split(':');
                let name = f.next()?;
                let id = f.nth(1)?.parse::<u32>().ok()?;
                (id == uid).then(|| name.to_owned())
            })
        })
        .unwrap_or_else(|| format!("uid:{uid}"))
}

/// This process's uid (Linux: the owner of /proc/self).
pub fn own_uid() -> u32 {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata("/proc/self")
        .map(|m| m.uid())
        .unwrap_or(u32::MAX)
}
