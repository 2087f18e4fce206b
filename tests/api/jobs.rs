//! The scheduler: listing jobs, running one now (audited; never twice at once), runs on a
//! schedule, a run missed while the server was down made up at start, the backup job's
//! verification and rotation, and the CLI.

use std::time::Duration;

use crate::helpers::{cli, poll_for, stderr, stdout, wait_until, Client, JobRun, Server};

async fn runs_of(admin: &Client, job: &str) -> Vec<JobRun> {
    admin
        .jobs()
        .await
        .items
        .into_iter()
        .find(|j| j.name == job)
        .unwrap_or_else(|| panic!("no job {job}"))
        .runs
}

/// Waits (bounded) until `job`'s latest run has ended; returns it.
async fn finished(admin: &Client, job: &str) -> JobRun {
    poll_for(Duration::from_secs(10), || async {
        let runs = runs_of(admin, job).await;
        runs.first().filter(|r| r.outcome != "running").cloned()
    })
    .await
    .unwrap_or_else(|| panic!("{job} did not finish in 10 s"))
}

#[tokio::test]
async fn admins_list_jobs_and_run_one_now_audited_others_may_not() {
    let s = Server::start();
    let admin = s.setup_admin().await;
    let jobs = admin.jobs().await;
    assert_eq!(jobs.time_zone, "UTC");
    let names: Vec<&str> = jobs.items.iter().map(|j| j.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "backup",
            "export",
            "expire_sessions",
            "retention",
            "audit_checkpoint",
            "week_lock",
            "privacy_reminders"
        ]
    );
    let backup = &jobs.items[0];
    assert_eq!(backup.schedule.as_deref(), Some("30 2 * * *"));
    assert!(
        backup.next_run.as_deref().unwrap().ends_with("T02:30:00Z"),
        "{backup:?}"
    );
    assert_eq!(jobs.items[1].schedule, None, "export is off by default");

    for role in ["manager", "member", "auditor"] {
        let (c, _) = s
            .user_with_role(&admin, &format!("{role}@example.com"), role)
            .await;
        assert_eq!(c.get("/api/v1/jobs").await.status, 403, "{role}");
        assert_eq!(
            c.post_empty("/api/v1/jobs/export/run").await.status,
            403,
            "{role}"
        );
    }
    assert_eq!(
        admin.post_empty("/api/v1/jobs/nope/run").await.code(),
        "job.not_found"
    );

    let started = admin.run_job("export").await;
    assert_eq!(started.trigger, "manual");
    let run = finished(&admin, "export").await;
    assert_eq!(run.outcome, "ok", "{run:?}");
    // "<first> to <last> (<zone>): <file>": the period first, so that a run on a Friday is
    // not mistaken for this week's.
    let detail = run.detail.as_deref().unwrap();
    let (period, file) = detail.split_once("): ").unwrap();
    assert!(
        period.contains(" to ") && period.ends_with("(UTC"),
        "{detail}"
    );
    assert!(std::path::Path::new(file).exists(), "{file}");
    assert!(std::fs::read_to_string(file)
        .unwrap()
        .starts_with("entry_id,date,start,end,duration_seconds"));
    let audit = admin.audit("action=job.run_requested").await;
    assert_eq!(audit[0].target.as_deref(), Some("job:export"));
    let audit = admin.audit("action=export.written").await;
    assert_eq!(audit[0].actor, "system");
}

#[tokio::test]
async fn a_job_never_runs_twice_at_once() {
    // A store big enough that a backup (with its test restore) takes a while.
    let tmp = tempfile::tempdir().unwrap();
    let out = cli(
        tmp.path(),
        &[
            "seed",
            "--entries",
            "40000",
            "--users",
            "5",
            "--projects",
            "3",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let s = Server::start_in(tmp.path(), &[]);
    let admin = s.setup_admin().await;
    admin.run_job("backup").await;
    let second = admin.post_empty("/api/v1/jobs/backup/run").await;
    assert_eq!(second.status, 409, "{}", second.body);
    assert_eq!(second.code(), "job.running");
    let run = finished(&admin, "backup").await;
    assert_eq!(run.outcome, "ok", "{run:?}");
    assert!(
        run.detail
            .as_deref()
            .unwrap()
            .contains("verified by a test restore"),
        "{run:?}"
    );
    assert!(run.counts["records"] > 40_000, "{run:?}");
    assert!(run.counts.contains_key("write_pause_ms"), "{run:?}");
    assert_eq!(
        runs_of(&admin, "backup").await.len(),
        1,
        "the refused request left no run"
    );
}

#[tokio::test]
async fn scheduled_runs_happen_and_one_missed_while_down_is_made_up_at_start() {
    let every_second = [("OPHIONTT_JOBS_EXPORT", "* * * * * *")];
    let tmp = tempfile::tempdir().unwrap();
    let mut s = Server::start_in(tmp.path(), &every_second);
    let admin = s.setup_admin().await;
    wait_until(Duration::from_secs(5), || async {
        let runs = runs_of(&admin, "export").await;
        runs.iter().filter(|r| r.outcome == "ok").count() >= 2
    })
    .await;
    let scheduled = runs_of(&admin, "export").await;
    assert!(
        scheduled.iter().filter(|r| r.outcome == "ok").count() >= 2,
        "{scheduled:?}"
    );
    assert!(scheduled
        .iter()
        .all(|r| r.trigger == "schedule" && r.scheduled_for.is_some()));
    s.stop();

    // Down for a few scheduled times; off in the config meanwhile does not matter.
    // A deliberate pause, the thing under test: scheduled times must pass while no server runs
    // (the binary has no clock to move; the in-process fixed clock does not drive the scheduler).
    std::thread::sleep(Duration::from_millis(2500));
    let s = Server::start_in(tmp.path(), &every_second);
    let c = Client::new(&s.base);
    assert_eq!(
        c.login("admin@example.com", crate::helpers::PASSWORD)
            .await
            .status,
        200
    );
    let missed = poll_for(Duration::from_secs(5), || async {
        runs_of(&c, "export")
            .await
            .into_iter()
            .find(|r| r.trigger == "missed")
    })
    .await
    .expect("a missed run at start");
    assert_eq!(missed.outcome, "ok", "{missed:?}");
    let made_up = runs_of(&c, "export")
        .await
        .into_iter()
        .filter(|r| r.trigger == "missed")
        .count();
    assert_eq!(made_up, 1, "several missed times are made up by one run");
}

#[tokio::test]
async fn the_backup_job_rotates_old_backups_but_keeps_the_verified_one() {
    let tmp = tempfile::tempdir().unwrap();
    let keep_one = [
        ("OPHIONTT_BACKUP_KEEP_DAILY", "1"),
        ("OPHIONTT_BACKUP_KEEP_WEEKLY", "0"),
        ("OPHIONTT_BACKUP_KEEP_MONTHLY", "0"),
    ];
    let s = Server::start_in(tmp.path(), &keep_one);
    let admin = s.setup_admin().await;
    let dir = s.data.join("backups");
    std::fs::create_dir_all(&dir).unwrap();
    for old in [
        "ophiontt-20250101T023000.000Z.backup.zst",
        "ophiontt-20260301T023000.000Z.backup.zst",
    ] {
        std::fs::write(dir.join(old), b"an old backup").unwrap();
    }
    std::fs::write(dir.join("notes.txt"), b"not a backup: left alone").unwrap();
    let manual = "ophiontt-manual-20250101T023000.000Z.backup.zst";
    std::fs::write(dir.join(manual), b"taken by hand before an upgrade").unwrap();
    admin.run_job("backup").await;
    let run = finished(&admin, "backup").await;
    assert_eq!(run.outcome, "ok", "{run:?}");
    assert_eq!(run.counts.get("pruned"), Some(&2), "{run:?}");
    let mut left: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    left.sort();
    assert_eq!(left.len(), 3, "{left:?}");
    assert_eq!(left[0], "notes.txt");
    assert!(
        left.iter().any(|f| f == manual),
        "rotation leaves manual backups alone: {left:?}"
    );
    assert!(
        left[1].ends_with(".backup.zst") && left[1] != manual,
        "{left:?}"
    );
    let pruned = admin.audit("action=backup.pruned").await;
    assert_eq!(pruned[0].body["files"].as_array().unwrap().len(), 2);
    let created = admin.audit("action=backup.created").await;
    assert_eq!(created[0].body["verified"], true);
}

#[test]
fn the_cli_lists_jobs_and_runs_one_with_the_server_stopped() {
    let tmp = tempfile::tempdir().unwrap();
    let out = cli(
        tmp.path(),
        &[
            "seed",
            "--entries",
            "500",
            "--users",
            "2",
            "--projects",
            "1",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let list = cli(tmp.path(), &["job", "list"]);
    assert!(list.status.success(), "{}", stderr(&list));
    assert!(
        stdout(&list).contains("backup: Back up the store")
            && stdout(&list).contains("last run: never"),
        "{}",
        stdout(&list)
    );
    let run = cli(tmp.path(), &["job", "run", "backup"]);
    assert!(run.status.success(), "{}\n{}", stdout(&run), stderr(&run));
    assert!(
        stdout(&run).contains("backup: ") && stdout(&run).contains("Ok"),
        "{}",
        stdout(&run)
    );
    let list = cli(tmp.path(), &["job", "list"]);
    assert!(stdout(&list).contains("(Manual)"), "{}", stdout(&list));
    let bad = cli(tmp.path(), &["job", "run", "nope"]);
    assert!(!bad.status.success());
    assert!(stderr(&bad).contains("no such job"), "{}", stderr(&bad));
    let bad_cron = cli(tmp.path(), &["check"]);
    assert!(bad_cron.status.success());
    let out = std::process::Command::new(crate::helpers::BIN)
        .args(["check", "--data"])
        .arg(tmp.path())
        .env("OPHIONTT_JOBS_BACKUP", "30 2 * *")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("jobs.backup") && stderr(&out).contains("4 fields"),
        "{}",
        stderr(&out)
    );
}
