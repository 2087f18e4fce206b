//! Signed audit checkpoints (issue 6): `audit checkpoint` makes one, `audit verify --checkpoints`
//! proves the chain still extends each — after more records and after a redaction, with the
//! server running or stopped — and names the one that fails when the store was rewritten
//! wholesale with a freshly recomputed chain, rolled back to a backup, or a checkpoint was
//! altered or signed by another key. The `audit_checkpoint` job runs through "run now".

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use ophiontt::domain::audit::{link_hash, payload_hash, GENESIS};
use serde_json::{json, Value};

use crate::helpers::{cli, poll_for, stderr, stdout, Client, Server};

async fn add_users(admin: &Client, prefix: &str, n: usize) {
    for i in 0..n {
        let r = admin.post("/api/v1/users", json!({ "name": "N", "email": format!("{prefix}{i}@example.com"), "role": "member", "time_zone": "UTC" })).await;
        assert_eq!(r.status, 201, "{}", r.body);
    }
}

fn checkpoint(data: &Path) -> String {
    let o = cli(data, &["audit", "checkpoint"]);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    stdout(&o)
}

fn verify(data: &Path, dir: &Path, extra: &[&str]) -> (Option<i32>, String) {
    let mut args = vec!["audit", "verify", "--checkpoints", dir.to_str().unwrap()];
    args.extend_from_slice(extra);
    let o = cli(data, &args);
    (o.status.code(), format!("{}{}", stdout(&o), stderr(&o)))
}

fn files(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    v.sort();
    v
}

/// Every audit record of a stopped server's store, decoded (format tag byte, then JSON).
fn records(tree: &sled::Tree) -> Vec<Value> {
    tree.iter()
        .map(|kv| serde_json::from_slice(&kv.unwrap().1[1..]).unwrap())
        .collect()
}

fn put(tree: &sled::Tree, key: &[u8], v: &Value) {
    let mut bytes = vec![1u8];
    bytes.extend(serde_json::to_vec(v).unwrap());
    tree.insert(key, bytes).unwrap();
}

/// What retention or erasure does to a record: the body and IP go, their hash stays.
fn redact(data: &Path, seq: u64) {
    let db = sled::open(data.join("db")).unwrap();
    let audit = db.open_tree("audit").unwrap();
    let mut r: Value =
        serde_json::from_slice(&audit.get(seq.to_be_bytes()).unwrap().unwrap()[1..]).unwrap();
    assert!(r["body"].is_object());
    r["body"] = Value::Null;
    r["ip"] = Value::Null;
    put(&audit, &seq.to_be_bytes(), &r);
    db.flush().unwrap();
}

/// An attacker with the data folder: changes one record's body and recomputes every link after
/// it, and the recorded head, so that plain `audit verify` passes.
fn rewrite_chain(data: &Path, victim_email: &str) {
    let db = sled::open(data.join("db")).unwrap();
    let audit = db.open_tree("audit").unwrap();
    let mut prev = GENESIS.to_owned();
    let mut changed = false;
    for mut r in records(&audit) {
        if let Some(body) = r["body"].as_object_mut() {
            if body.get("email").and_then(Value::as_str) == Some(victim_email) {
                body.insert("email".into(), json!("someone-else@example.com"));
                changed = true;
            }
            let bh = payload_hash(&r["body"], r["ip"].as_str());
            r["body_hash"] = json!(bh);
        }
        let seq = r["seq"].as_u64().unwrap();
        let hash = link_hash(
            &prev,
            seq,
            r["at_ms"].as_i64().unwrap(),
            r["actor"].as_str().unwrap(),
            r["action"].as_str().unwrap(),
            r["target"].as_str(),
            r["body_hash"].as_str().unwrap(),
        );
        r["prev"] = json!(prev);
        r["hash"] = json!(hash);
        put(&audit, &seq.to_be_bytes(), &r);
        prev = hash;
        let meta = db.open_tree("meta").unwrap();
        put(&meta, b"audit_head", &json!({ "seq": seq, "hash": prev }));
    }
    assert!(changed, "no record held {victim_email}");
    db.flush().unwrap();
}

#[tokio::test]
async fn checkpoints_hold_as_the_log_grows_and_is_redacted_and_catch_a_wholesale_rewrite() {
    // Arrange: a store with history and a checkpoint made through the running server.
    let mut s = Server::start();
    let admin = s.setup_admin().await;
    add_users(&admin, "a", 2).await;
    let out = checkpoint(&s.data);
    assert!(out.contains("public key: "), "{out}");
    let key = s.data.join("keys/audit-checkpoint.ed25519");
    let mode = std::fs::metadata(&key).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600, "the private key is the owner's alone");
    let public = std::fs::read_to_string(s.data.join("keys/audit-checkpoint.ed25519.pub")).unwrap();
    assert!(out.contains(public.trim()), "the CLI prints the public key");
    let private = std::fs::read_to_string(&key).unwrap();
    assert!(!out.contains(private.trim()), "never the private key");
    let dir = s.data.join("checkpoints");
    assert_eq!(files(&dir).len(), 1);
    let first: Value = serde_json::from_slice(&std::fs::read(&files(&dir)[0]).unwrap()).unwrap();
    assert_eq!(first["seq"], 5, "setup link, admin, setup, two users");
    assert!(files(&dir)[0].ends_with("checkpoint-00000000000000000005.json"));

    // More records, another checkpoint: both hold, server running.
    add_users(&admin, "b", 2).await;
    checkpoint(&s.data);
    add_users(&admin, "c", 1).await;
    assert_eq!(files(&dir).len(), 2);
    let (code, out) = verify(&s.data, &dir, &[]);
    assert_eq!(code, Some(0), "{out}");
    assert!(
        out.contains("checkpoints OK: the chain extends all 2"),
        "{out}"
    );
    let log = admin
        .get("/api/v1/audit?action=audit.checkpoint_signed")
        .await;
    assert_eq!(
        log.body["items"].as_array().unwrap().len(),
        2,
        "in the log too"
    );

    // Redaction (what retention and erasure do) of a checkpointed record keeps them valid.
    s.stop();
    redact(&s.data, 4);
    let (code, out) = verify(&s.data, &dir, &[]);
    assert_eq!(code, Some(0), "server stopped, record 4 redacted: {out}");

    // The checkpoints were shipped off the box; the store is then rewritten wholesale.
    let offbox = tempfile::tempdir().unwrap();
    for f in files(&dir) {
        std::fs::copy(&f, offbox.path().join(f.file_name().unwrap())).unwrap();
    }
    rewrite_chain(&s.data, "b0@example.com");

    // Plain verification cannot tell: the recomputed chain is consistent.
    let plain = cli(&s.data, &["audit", "verify"]);
    assert_eq!(plain.status.code(), Some(0), "{}", stdout(&plain));

    // The checkpoint covering the changed record names the rewrite; the earlier one still holds.
    let pubfile = s.data.join("keys/audit-checkpoint.ed25519.pub");
    let (code, out) = verify(
        &s.data,
        offbox.path(),
        &["--key", pubfile.to_str().unwrap()],
    );
    assert_eq!(code, Some(1), "{out}");
    assert!(
        out.contains("checkpoint checkpoint-00000000000000000008.json FAILS (record 8)")
            && out.contains("the chain no longer contains it"),
        "{out}"
    );
    assert!(out.contains("1 of 2 checkpoints hold"), "{out}");
}

#[tokio::test]
async fn an_altered_or_foreign_checkpoint_and_a_rolled_back_store_are_named() {
    let mut s = Server::start();
    let admin = s.setup_admin().await;
    add_users(&admin, "a", 1).await;
    let backup = s.data.join("before.backup.zst");
    let o = cli(
        &s.data,
        &["backup", "create", "--out", backup.to_str().unwrap()],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    add_users(&admin, "b", 2).await;
    checkpoint(&s.data);
    let dir = s.data.join("checkpoints");
    let file = files(&dir).remove(0);

    // An altered head: the signature no longer matches.
    let altered = tempfile::tempdir().unwrap();
    let mut c: Value = serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
    c["head"] = json!("0".repeat(64));
    std::fs::write(altered.path().join("checkpoint-x.json"), c.to_string()).unwrap();
    let (code, out) = verify(&s.data, altered.path(), &[]);
    assert_eq!(code, Some(1), "{out}");
    assert!(
        out.contains("checkpoint checkpoint-x.json FAILS") && out.contains("bad signature"),
        "{out}"
    );

    // Checked under a key that did not sign it.
    let other = tempfile::tempdir().unwrap();
    let other_key = other.path().join("k");
    let k = ophiontt::audit::CheckpointKey::load_or_create(&other_key).unwrap();
    let pubfile = other.path().join("k.pub");
    assert_eq!(
        std::fs::read_to_string(&pubfile).unwrap().trim(),
        k.public_hex()
    );
    let (code, out) = verify(&s.data, &dir, &["--key", pubfile.to_str().unwrap()]);
    assert_eq!(code, Some(1), "{out}");
    assert!(out.contains("bad signature: signed by key"), "{out}");

    // The store rolled back to the backup (the keys kept): the checkpoint is beyond its head.
    s.stop();
    let restored = tempfile::tempdir().unwrap();
    let into = restored.path().join("data");
    let o = cli(&into, &["restore", backup.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    let keys = into.join("keys");
    std::fs::create_dir_all(&keys).unwrap();
    for f in ["audit-checkpoint.ed25519", "audit-checkpoint.ed25519.pub"] {
        std::fs::copy(s.data.join("keys").join(f), keys.join(f)).unwrap();
    }
    let (code, out) = verify(&into, &dir, &[]);
    assert_eq!(code, Some(1), "{out}");
    assert!(
        out.contains("seq beyond the head") && out.contains("rolled back"),
        "{out}"
    );
}

#[tokio::test]
async fn the_scheduled_job_runs_on_request_and_writes_a_checkpoint() {
    let s = Server::start();
    let admin = s.setup_admin().await;
    let r = admin.post_empty("/api/v1/jobs/audit_checkpoint/run").await;
    assert_eq!(r.status, 202, "{}", r.body);
    let run = poll_for(Duration::from_secs(10), || async {
        let jobs = admin.get("/api/v1/jobs").await;
        let job = jobs.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|j| j["name"] == "audit_checkpoint")
            .unwrap()
            .clone();
        assert_eq!(job["schedule"], "41 * * * *", "hourly by default");
        let run = job["runs"][0].clone();
        (run["outcome"] != "running").then_some(run)
    })
    .await
    .expect("the checkpoint job did not finish in 10 s");
    assert_eq!(run["outcome"], "ok", "{run}");
    let seq = run["counts"]["seq"].as_u64().unwrap();
    let file = run["detail"].as_str().unwrap();
    assert!(
        file.ends_with(&format!("checkpoint-{seq:020}.json")),
        "{run}"
    );
    let c: Value = serde_json::from_slice(&std::fs::read(file).unwrap()).unwrap();
    assert_eq!(c["seq"], seq);
    let (code, out) = verify(&s.data, &s.data.join("checkpoints"), &[]);
    assert_eq!(code, Some(0), "{out}");
}
