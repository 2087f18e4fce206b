//! Backups: create → restore into a new folder → the restored server answers every listing as
//! the original did and its audit chain verifies; each kind of bad file is refused with a message
//! naming it and leaves nothing in the target; a backup taken while writes run is one point in
//! time; encryption to a key and with a passphrase.

use std::path::{Path, PathBuf};

use serde_json::{json, Value};

use crate::helpers::{
    cli, stderr, stdout, wait_until, Client, EntryReq, ProjectReq, Server, TaskReq, PASSWORD,
};

/// Fills a server with one of everything and returns the admin's client.
async fn populate(s: &Server) -> Client {
    let admin = s.setup_admin().await;
    let (member, _) = s.user_with_role(&admin, "mem@example.com", "member").await;
    let client = admin.create_client("Acme").await;
    let pid = admin
        .create_project(&ProjectReq {
            client_id: Some(client.id),
            rate_cents: Some(9500),
            ..ProjectReq::named("Backups")
        })
        .await
        .id;
    let me = member.me().await.id;
    admin
        .update_project(&pid, &ProjectReq::default().members(&[&me]))
        .await;
    let tid = admin
        .create_task(&pid, &TaskReq::titled("Rotate keys"))
        .await
        .id;
    admin.comment_task(&tid, "done on node 1").await;
    for (who, note) in [(&admin, "admin work"), (&member, "member work")] {
        for day in 20..23 {
            let (start, end) = (
                format!("2026-11-{day}T09:00:00Z"),
                format!("2026-11-{day}T10:30:00Z"),
            );
            let req = EntryReq::new(&pid, &start, &end)
                .task(&tid)
                .note(note)
                .tags(&["ops", "night"]);
            who.create_entry(&req).await;
        }
    }
    admin
}

/// Every listing an admin can read, for comparing two servers (as raw JSON: every field counts).
async fn listings(c: &Client) -> Vec<(String, Value)> {
    let projects = c.list_projects("archived=true").await;
    let mut out = vec![];
    let mut users = c.get("/api/v1/users?limit=100").await.body;
    for u in users["items"].as_array_mut().unwrap() {
        // Logging in to compare changes this one field.
        u.as_object_mut().unwrap().remove("last_login_at");
    }
    out.push(("/api/v1/users".to_owned(), users));
    for path in [
        "/api/v1/clients?archived=true",
        "/api/v1/projects?archived=true",
        "/api/v1/entries?from=2000-01-01&to=2099-12-31&limit=500",
        "/api/v1/tags",
    ] {
        out.push((path.to_owned(), c.get(path).await.body));
    }
    for p in &projects {
        let path = format!("/api/v1/projects/{}/tasks?archived=true", p.id);
        out.push((path.clone(), c.get(&path).await.body));
    }
    out
}

fn backup_create(data: &Path, extra: &[&str]) -> PathBuf {
    let mut args = vec!["backup", "create"];
    args.extend_from_slice(extra);
    let out = cli(data, &args);
    assert!(out.status.success(), "{}\n{}", stdout(&out), stderr(&out));
    let text = stdout(&out);
    let path = text
        .split_whitespace()
        .find(|w| w.contains(".backup.zst"))
        .unwrap_or_else(|| panic!("no file named in: {text}"));
    PathBuf::from(path)
}

#[tokio::test]
async fn a_restored_backup_answers_every_listing_like_the_original_and_its_chain_verifies() {
    let s = Server::start();
    let admin = populate(&s).await;
    let before = listings(&admin).await;
    let file = backup_create(&s.data, &[]);
    assert!(
        file.starts_with(s.data.join("backups")),
        "{}",
        file.display()
    );

    // A file asked for outside the backup folder is written there and moved by the CLI.
    let elsewhere = tempfile::tempdir().unwrap();
    let wanted = elsewhere.path().join("before-upgrade.backup.zst");
    let moved = backup_create(&s.data, &["--out", wanted.to_str().unwrap()]);
    assert_eq!(moved, wanted);
    assert!(wanted.exists());
    assert_eq!(
        crate::helpers::stdout(&cli(&s.data, &["backup", "list"]))
            .matches(".backup.zst")
            .count(),
        1,
        "the moved file is not left in the backup folder"
    );
    let listed = stdout(&cli(&s.data, &["backup", "list"]));
    assert!(
        listed.contains(file.file_name().unwrap().to_str().unwrap()),
        "{listed}"
    );
    let verified = cli(&s.data, &["backup", "verify", file.to_str().unwrap()]);
    assert!(verified.status.success(), "{}", stderr(&verified));
    assert!(
        stdout(&verified).contains("6 entries"),
        "{}",
        stdout(&verified)
    );

    let target = tempfile::tempdir().unwrap();
    let restored_dir = target.path().join("restored");
    let out = cli(&restored_dir, &["restore", file.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let out = cli(&restored_dir, &["audit", "verify"]);
    assert!(
        out.status.success() && stdout(&out).contains("audit chain OK"),
        "{}",
        stdout(&out)
    );

    let copy = Server::start_in(&restored_dir, &[]);
    assert!(
        copy.setup_link.is_none(),
        "the restored instance is set up already"
    );
    let c = Client::new(&copy.base);
    assert_eq!(c.login("admin@example.com", PASSWORD).await.status, 200);
    let after = listings(&c).await;
    for ((path, a), (_, b)) in before.iter().zip(&after) {
        assert_eq!(a, b, "{path} differs after the restore");
    }
    assert_eq!(before.len(), after.len());
}

#[tokio::test]
async fn bad_backup_files_are_refused_by_name_and_leave_the_target_untouched() {
    let s = Server::start();
    populate(&s).await;
    let good = backup_create(&s.data, &[]);
    let bytes = std::fs::read(&good).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, b: &[u8]| {
        let p = dir.path().join(name);
        std::fs::write(&p, b).unwrap();
        p
    };
    let truncated = write("truncated.backup.zst", &bytes[..bytes.len() * 2 / 3]);
    let mut flipped_bytes = bytes.clone();
    let mid = flipped_bytes.len() / 2;
    flipped_bytes[mid] ^= 0x40;
    let flipped = write("flipped.backup.zst", &flipped_bytes);
    let newer_line =
        json!({ "format": "ophiontt-backup", "version": 99, "schema": 4, "app": "9.0.0",
                             "created": "2030-01-01T00:00:00Z", "counts": {} })
        .to_string()
            + "\n";
    let newer = write(
        "newer.backup.zst",
        &zstd::encode_all(newer_line.as_bytes(), 3).unwrap(),
    );
    let not_backup = write("notes.txt", b"just some notes, not a backup\n");
    let passphrase = write("pass.txt", b"correct horse battery staple\n");
    let wrong = write("wrong.txt", b"incorrect donkey battery staple\n");
    let encrypted = backup_create(
        &s.data,
        &["--passphrase-file", passphrase.to_str().unwrap()],
    );
    assert!(encrypted.to_str().unwrap().ends_with(".age"));

    let cases: Vec<(&Path, Vec<&str>, &str)> = vec![
        (&truncated, vec![], "is truncated"),
        (&flipped, vec![], "is damaged"),
        (&newer, vec![], "is too new"),
        (&not_backup, vec![], "is not an OphionTT backup"),
        (
            &encrypted,
            vec!["--passphrase-file", wrong.to_str().unwrap()],
            "the passphrase is wrong",
        ),
        (&encrypted, vec![], "is encrypted: give --passphrase-file"),
    ];
    for (file, extra, expect) in cases {
        for cmd in ["verify", "restore"] {
            let target = dir.path().join(format!("target-{cmd}"));
            let mut args = match cmd {
                "verify" => vec!["backup", "verify", file.to_str().unwrap()],
                _ => vec!["restore", file.to_str().unwrap()],
            };
            args.extend(extra.iter().copied());
            let out = cli(&target, &args);
            let err = stderr(&out);
            assert_eq!(
                out.status.code(),
                Some(1),
                "{cmd} {}: {err}",
                file.display()
            );
            assert!(
                err.contains(expect),
                "{cmd} {}: expected `{expect}` in: {err}",
                file.display()
            );
            assert!(
                !target.exists(),
                "{cmd} {} wrote into the target",
                file.display()
            );
        }
    }
    // No half-restored folder is left beside the target either.
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".ophiontt-restore"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");

    // The right passphrase opens it; a non-empty target is refused.
    let ok = cli(
        &dir.path().join("ok"),
        &[
            "restore",
            encrypted.to_str().unwrap(),
            "--passphrase-file",
            passphrase.to_str().unwrap(),
        ],
    );
    assert!(ok.status.success(), "{}", stderr(&ok));
    let again = cli(&dir.path().join("ok"), &["restore", good.to_str().unwrap()]);
    assert_eq!(again.status.code(), Some(1));
    assert!(
        stderr(&again).contains("is not empty"),
        "{}",
        stderr(&again)
    );
}

#[tokio::test]
async fn a_backup_encrypted_to_a_key_opens_only_with_its_identity() {
    let s = Server::start();
    populate(&s).await;
    let identity = age::x25519::Identity::generate();
    let dir = tempfile::tempdir().unwrap();
    let id_file = dir.path().join("identity.txt");
    use age::secrecy::ExposeSecret;
    std::fs::write(&id_file, identity.to_string().expose_secret()).unwrap();
    let recipient = identity.to_public().to_string();
    let file = backup_create(&s.data, &["--encrypt-to", &recipient]);
    let ok = cli(
        &s.data,
        &[
            "backup",
            "verify",
            file.to_str().unwrap(),
            "--identity",
            id_file.to_str().unwrap(),
        ],
    );
    assert!(ok.status.success(), "{}", stderr(&ok));
    let other = dir.path().join("other.txt");
    std::fs::write(
        &other,
        age::x25519::Identity::generate()
            .to_string()
            .expose_secret(),
    )
    .unwrap();
    let no = cli(
        &s.data,
        &[
            "backup",
            "verify",
            file.to_str().unwrap(),
            "--identity",
            other.to_str().unwrap(),
        ],
    );
    assert_eq!(no.status.code(), Some(1));
    assert!(
        stderr(&no).contains("not encrypted to this identity"),
        "{}",
        stderr(&no)
    );
    let bad = cli(
        &s.data,
        &["backup", "create", "--encrypt-to", "age1notakey"],
    );
    assert!(!bad.status.success());
    assert!(stderr(&bad).contains("age1notakey"), "{}", stderr(&bad));
}

#[tokio::test]
async fn a_backup_taken_while_writes_run_is_one_point_in_time() {
    let s = Server::start();
    let admin = s.setup_admin().await;
    let pid = admin.create_project(&ProjectReq::named("Load")).await.id;
    // Writers keep creating entries (each with its audit record, in one transaction).
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let acked = std::sync::Arc::new(std::sync::atomic::AtomicU32::new(0));
    let mut writers = Vec::new();
    for w in 0..4 {
        let (c, pid, stop) = (Client::new(&s.base), pid.clone(), stop.clone());
        let acked = acked.clone();
        assert_eq!(c.login("admin@example.com", PASSWORD).await.status, 200);
        writers.push(tokio::spawn(async move {
            let mut n = 0u32;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) && n < 2000 {
                let start = format!(
                    "2026-10-{:02}T{:02}:{:02}:00Z",
                    1 + n % 28,
                    w * 5 + (n / 28) % 5,
                    (n / 140) % 60
                );
                let end = start.replace(":00Z", ":30Z");
                c.create_entry(&EntryReq::new(&pid, &start, &end)).await;
                n += 1;
                acked.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            }
            n
        }));
    }
    // The backup starts once the writers are under way.
    assert!(
        wait_until(std::time::Duration::from_secs(10), || async {
            acked.load(std::sync::atomic::Ordering::Relaxed) >= 20
        })
        .await,
        "the writers did not get going"
    );
    let data = s.data.clone();
    let file = tokio::task::spawn_blocking(move || backup_create(&data, &[]))
        .await
        .unwrap();
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let mut written = 0;
    for w in writers {
        written += w.await.unwrap();
    }
    let restored = tempfile::tempdir().unwrap();
    let target = restored.path().join("data");
    let out = cli(&target, &["restore", file.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let out = cli(&target, &["audit", "verify"]);
    assert!(out.status.success(), "{}", stdout(&out));

    let copy = Server::start_in(&target, &[]);
    let c = Client::new(&copy.base);
    c.login("admin@example.com", PASSWORD).await;
    let mut count = 0;
    let mut cursor = String::new();
    loop {
        let page = c
            .list_entries(&format!("from=2026-10-01&to=2026-10-31&limit=500{cursor}"))
            .await;
        count += page.items.len();
        match page.next_cursor {
            Some(cur) => cursor = format!("&cursor={cur}"),
            None => break,
        }
    }
    let mut audited = 0;
    let mut cursor = String::new();
    loop {
        let page = c
            .audit_page(&format!("action=entry.created&limit=500{cursor}"))
            .await;
        audited += page.items.len();
        match page.next_cursor {
            Some(cur) => cursor = format!("&cursor={cur}"),
            None => break,
        }
    }
    assert!(
        count > 0 && count < written as usize,
        "the backup fell mid-load: {count} of {written}"
    );
    assert_eq!(
        count, audited,
        "every entry in the backup has its audit record and no more"
    );
}
