//! A full disk is a state, not a crash: writes answer 503 `store.disk_full`, `/readyz` says
//! why, and once space is freed the server reopens its store and returns to service on its own,
//! without a restart and without losing an acknowledged write. See: #11 (finding 2).
//!
//! Runs on a 40 MB tmpfs it mounts itself, so it needs root; otherwise it is skipped with a
//! printed reason.

use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::json;

use crate::helpers::{cli, wait_until, Client, Server, PASSWORD};

/// The whole scenario, normally a few seconds.
const TEST_BOUND: Duration = Duration::from_secs(50);
/// Clients writing (and reading) through the outage.
const WRITERS: usize = 3;
/// How long the server may take to return to service once space is freed.
const RECOVERY_BOUND: Duration = Duration::from_secs(15);

/// A size-limited tmpfs, unmounted on drop.
struct Tmpfs {
    dir: tempfile::TempDir,
}

impl Tmpfs {
    fn mount(size: &str) -> Result<Tmpfs, String> {
        let uid = Command::new("id")
            .arg("-u")
            .output()
            .map_err(|e| e.to_string())?;
        if String::from_utf8_lossy(&uid.stdout).trim() != "0" {
            return Err("not running as root (mounting a tmpfs needs it)".into());
        }
        let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
        let out = Command::new("mount")
            .args([
                "-t",
                "tmpfs",
                "-o",
                &format!("size={size},mode=0700"),
                "tmpfs",
            ])
            .arg(dir.path())
            .output()
            .map_err(|e| format!("running mount: {e}"))?;
        if !out.status.success() {
            return Err(format!(
                "mount -t tmpfs failed: {}",
                String::from_utf8_lossy(&out.stderr).trim()
            ));
        }
        Ok(Tmpfs { dir })
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount")
            .arg("-l")
            .arg(self.dir.path())
            .status();
    }
}

/// Writes a file of zeros until the file system refuses (ENOSPC); returns its path.
fn fill(dir: &Path) -> PathBuf {
    let path = dir.join("filler");
    let mut f = std::fs::File::create(&path).unwrap();
    let chunk = vec![0u8; 256 * 1024];
    loop {
        match f.write(&chunk) {
            Ok(0) => break,
            Ok(_) => {}
            Err(e) if e.raw_os_error() == Some(28) => break,
            Err(e) => panic!("filling the disk: {e}"),
        }
    }
    // Also the last few bytes a short write may have left.
    while matches!(f.write(&chunk[..512]), Ok(n) if n > 0) {}
    path
}

async fn create_user(c: &Client, email: &str) -> crate::helpers::Resp {
    c.post(
        "/api/v1/users",
        json!({ "name": "Kept", "email": email, "role": "member", "time_zone": "UTC" }),
    )
    .await
}

async fn metric(c: &Client, name: &str) -> Option<f64> {
    let text = c
        .http
        .get(format!("{}/metrics", c.base))
        .send()
        .await
        .ok()?
        .text()
        .await
        .ok()?;
    text.lines()
        .find_map(|l| l.strip_prefix(&format!("{name} ")))
        .and_then(|v| v.trim().parse().ok())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn full_disk_answers_503_and_the_server_recovers_without_restart() {
    let mnt = match Tmpfs::mount("40m") {
        Ok(m) => m,
        Err(why) => {
            eprintln!(
                "skipped full_disk_answers_503_and_the_server_recovers_without_restart: {why}"
            );
            return;
        }
    };
    // Bounded: a hang fails the test, and dropping the future stops the server before the
    // file system is unmounted.
    tokio::time::timeout(TEST_BOUND, outage_and_recovery(&mnt))
        .await
        .expect("the full-disk scenario did not finish in time");
}

async fn outage_and_recovery(mnt: &Tmpfs) {
    let data = mnt.path().join("data");

    // Arrange: a server on the small file system, an admin, and acknowledged writes.
    let mut s = Server::start_in(&data, &[]);
    let admin = s.setup_admin().await;
    let mut acked = BTreeSet::new();
    for i in 0..20 {
        let email = format!("before-{i}@example.com");
        let r = create_user(&admin, &email).await;
        assert_eq!(r.status, 201, "{}", r.body);
        acked.insert(email);
    }

    // Background writers and readers run through the whole outage and the reopen.
    let stop = Arc::new(AtomicBool::new(false));
    let load_acks = Arc::new(AtomicUsize::new(0));
    let mut load = Vec::new();
    for w in 0..WRITERS {
        let (c, stop, load_acks) = (Client::new(&s.base), stop.clone(), load_acks.clone());
        assert_eq!(c.login("admin@example.com", PASSWORD).await.status, 200);
        load.push(tokio::spawn(async move {
            let mut acked = Vec::new();
            for i in 0.. {
                if stop.load(Ordering::Relaxed) {
                    break;
                }
                let email = format!("load-{w}-{i}@example.com");
                let r = if i % 3 == 0 {
                    c.get("/api/v1/users?limit=5").await
                } else {
                    create_user(&c, &email).await
                };
                match (r.status, r.code()) {
                    (201, _) => {
                        acked.push(email);
                        load_acks.fetch_add(1, Ordering::Relaxed);
                    }
                    (200, _) | (503, "store.disk_full") => {}
                    (status, code) => panic!("under load: {status} {code}: {}", r.body),
                }
                // Deliberate: the pace of the background load, not a wait for anything.
                tokio::time::sleep(Duration::from_millis(5)).await;
            }
            acked
        }));
    }

    // Act: fill the disk; writes go on until the store notices.
    let filler = fill(mnt.path());
    let mut refused = None;
    for i in 0..500 {
        let email = format!("full-{i}@example.com");
        let r = create_user(&admin, &email).await;
        match r.status {
            201 => {
                acked.insert(email);
            }
            503 => {
                refused = Some(r);
                break;
            }
            other => panic!("a write on a full disk answered {other}: {}", r.body),
        }
    }

    // Assert: 503 store.disk_full with Retry-After, and /readyz says why; /healthz stays up.
    let r = refused.expect("no write was refused although the disk is full");
    assert_eq!(r.code(), "store.disk_full", "{}", r.body);
    assert!(r.headers.contains_key("retry-after"), "{:?}", r.headers);
    let r = create_user(&admin, "while-full@example.com").await;
    assert_eq!((r.status, r.code()), (503, "store.disk_full"), "{}", r.body);
    let ready = admin.get("/readyz").await;
    assert_eq!(ready.status, 503, "{}", ready.body);
    assert_eq!(ready.body["reason"], "store.disk_full", "{}", ready.body);
    assert_eq!(admin.get("/healthz").await.status, 200);
    assert_eq!(metric(&admin, "ophiontt_store_healthy").await, Some(0.0));
    // (Reads of personal data are refused too: each one is recorded in the access log.)

    // Act: free the space.
    std::fs::remove_file(&filler).unwrap();
    let freed = Instant::now();

    // Assert: back in service on its own, within the bound.
    let back = wait_until(RECOVERY_BOUND, || async {
        admin.get("/readyz").await.status == 200
    })
    .await;
    assert!(
        back,
        "not ready {RECOVERY_BOUND:?} after space was freed: {}",
        admin.get("/readyz").await.body
    );
    let recovered_in = freed.elapsed();
    // The background load goes on until each writer could have written after the reopen.
    let acks_at_recovery = load_acks.load(Ordering::Relaxed);
    assert!(
        wait_until(Duration::from_secs(10), || async {
            load_acks.load(Ordering::Relaxed) >= acks_at_recovery + WRITERS
        })
        .await,
        "the background writers wrote nothing after the reopen"
    );
    stop.store(true, Ordering::Relaxed);
    for t in load {
        acked.extend(t.await.unwrap());
    }
    eprintln!("full disk: back in service {recovered_in:?} after space was freed");
    let r = create_user(&admin, "after@example.com").await;
    assert_eq!(r.status, 201, "{}", r.body);
    acked.insert("after@example.com".to_owned());
    let fresh = Client::new(&s.base);
    let r = fresh.login("admin@example.com", PASSWORD).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let present = fresh.user_emails().await;
    let lost: Vec<_> = acked.difference(&present).collect();
    assert!(lost.is_empty(), "acknowledged writes lost: {lost:?}");
    assert_eq!(metric(&admin, "ophiontt_store_healthy").await, Some(1.0));
    assert_eq!(
        metric(&admin, "ophiontt_store_recoveries_total").await,
        Some(1.0)
    );
    let events = admin
        .get("/api/v1/audit?action=store.recovered&limit=5")
        .await;
    let items = events.body["items"].as_array().unwrap();
    assert_eq!(items.len(), 1, "{}", events.body);
    assert_eq!(
        items[0]["body"]["cause"], "store.disk_full",
        "{}",
        events.body
    );

    // Assert: a clean stop exits 0, and the chain verifies offline.
    let (code, err) = s.stop();
    assert_eq!(code, Some(0), "stderr: {err}");
    let v = cli(&data, &["audit", "verify"]);
    assert_eq!(
        v.status.code(),
        Some(0),
        "{}{}",
        String::from_utf8_lossy(&v.stdout),
        String::from_utf8_lossy(&v.stderr)
    );
}
