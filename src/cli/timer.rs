//! `ophiontt timer …`: the timer and today's entries from a terminal, against a running server
//! with a personal API token (docs/integrations.md, "Terminal timer"). Lines use the web UI's
//! quick-add grammar; the server parses them, so both always agree.

use chrono::{Datelike, Days, Utc};
use clap::Subcommand;
use reqwest::Method;
use serde_json::{json, Value};

use super::remote::{
    self, file, plain_http_elsewhere, Auth, ClientError, Remote, RemoteArgs, Result, Token,
};

/// `ophiontt timer`: where to, and what.
#[derive(clap::Args, Debug)]
pub struct TimerArgs {
    #[command(flatten)]
    pub remote: RemoteArgs,
    #[command(subcommand)]
    pub cmd: TimerCmd,
}

#[derive(Subcommand, Debug)]
pub enum TimerCmd {
    /// Start a timer from one line, e.g. "acme/backups #ops #billable rotating keys": the
    /// quick-add grammar without a duration or a day. A running timer stops first.
    Start {
        /// The line (quote it: the shell drops everything after an unquoted #).
        #[arg(required = true, value_name = "LINE")]
        line: Vec<String>,
    },
    /// Stop the running timer.
    Stop,
    /// What runs now: project and client, for how long, tags and note.
    Status {
        /// The server's answer as JSON ({"running": entry or null}).
        #[arg(long)]
        json: bool,
    },
    /// Today's entries, or this week's (Monday to Sunday), with their total.
    Log {
        /// This week instead of today (in your time zone).
        #[arg(long)]
        week: bool,
        /// JSON: {"from","to","time_zone","total_seconds","items":[entry…]}, oldest first.
        #[arg(long)]
        json: bool,
    },
    /// Record a finished entry from one line, e.g. "1h30 acme/vpn call" or
    /// "yesterday 9:15-10:00 /ops standup" (quick-add).
    Add {
        /// The line (quote it: the shell drops everything after an unquoted #).
        #[arg(required = true, value_name = "LINE")]
        line: Vec<String>,
        /// Keep a day over a year ago or after tomorrow.
        #[arg(long)]
        confirm: bool,
    },
}

/// The server and token a command uses, with a warning when the token would cross the network
/// in the clear.
fn connect(args: RemoteArgs) -> Result<(Remote, Token)> {
    let target = file::resolve(args.given())?;
    if plain_http_elsewhere(&target.server) {
        eprintln!(
            "ophiontt: warning: the API token goes to {} over plain HTTP; use https",
            target.server
        );
    }
    let remote = Remote::new(&target.server, target.ca.as_deref())?;
    Ok((remote, target.token))
}

/// Runs `ophiontt timer …`.
pub async fn run(args: TimerArgs) -> Result<()> {
    let (remote, token) = connect(args.remote)?;
    let r = Session {
        remote: &remote,
        token: &token,
    };
    match args.cmd {
        TimerCmd::Start { line } => r.start(&line.join(" ")).await,
        TimerCmd::Stop => r.stop().await,
        TimerCmd::Status { json } => r.status(json).await,
        TimerCmd::Log { week, json } => r.log(week, json).await,
        TimerCmd::Add { line, confirm } => r.add(&line.join(" "), confirm).await,
    }
}

struct Session<'a> {
    remote: &'a Remote,
    token: &'a Token,
}

impl Session<'_> {
    async fn call(&self, method: Method, path: &str, body: Option<Value>) -> Result<Value> {
        let auth = Auth::Bearer(self.token);
        Ok(self.remote.call(method, path, auth, body).await?.body)
    }

    /// The signed-in user (`GET /api/v1/me`), for their time zone.
    async fn me(&self) -> Result<Value> {
        self.call(Method::GET, "/api/v1/me", None).await
    }

    async fn start(&self, line: &str) -> Result<()> {
        let line = nonblank(line)?;
        let body = json!({ "text": line });
        let started = self
            .call(Method::POST, "/api/v1/timer/start", Some(body))
            .await?;
        let tz = remote::zone(&self.me().await?);
        let s = &started["stopped"];
        if !s.is_null() {
            println!(
                "stopped {} after {} ({})",
                remote::label(s),
                remote::duration(s["duration_seconds"].as_i64().unwrap_or(0)),
                remote::span(s, tz)
            );
        }
        let e = &started["started"];
        println!(
            "started {} at {}",
            remote::summary(e),
            remote::clock(&e["start"], tz)
        );
        Ok(())
    }

    async fn stop(&self) -> Result<()> {
        let e = self.call(Method::POST, "/api/v1/timer/stop", None).await?;
        let tz = remote::zone(&self.me().await?);
        println!(
            "stopped {} after {} ({})",
            remote::summary(&e),
            remote::duration(e["duration_seconds"].as_i64().unwrap_or(0)),
            remote::span(&e, tz)
        );
        if e["capped"] == true {
            eprintln!(
                "ophiontt: it ran longer than the longest entry allowed, so it ends that long \
                 after its start; correct its end in the web UI"
            );
        }
        Ok(())
    }

    async fn status(&self, as_json: bool) -> Result<()> {
        let t = self.call(Method::GET, "/api/v1/timer", None).await?;
        if as_json {
            println!("{t}");
            return Ok(());
        }
        let e = &t["running"];
        if e.is_null() {
            println!("no timer is running");
            return Ok(());
        }
        let tz = remote::zone(&self.me().await?);
        let secs = e["duration_seconds"].as_i64().unwrap_or(0);
        println!("running {}  {}", remote::duration(secs), remote::label(e));
        println!("  since {} ({tz})", remote::clock(&e["start"], tz));
        let tags = remote::tags(e);
        if !tags.is_empty() {
            println!("  tags  {tags}");
        }
        if let Some(n) = e["note"].as_str().filter(|n| !n.is_empty()) {
            println!("  note  {n}");
        }
        Ok(())
    }

    async fn log(&self, week: bool, as_json: bool) -> Result<()> {
        let tz = remote::zone(&self.me().await?);
        let today = Utc::now().with_timezone(&tz).date_naive();
        let (from, to) = if week {
            let monday = today - Days::new(today.weekday().num_days_from_monday().into());
            (monday, monday + Days::new(6))
        } else {
            (today, today)
        };
        let mut items: Vec<Value> = Vec::new();
        let mut cursor: Option<String> = None;
        loop {
            let mut path = format!("/api/v1/entries?from={from}&to={to}&limit=2000");
            if let Some(c) = &cursor {
                path.push_str("&cursor=");
                path.push_str(&encode(c));
            }
            let page = self.call(Method::GET, &path, None).await?;
            items.extend(page["items"].as_array().cloned().unwrap_or_default());
            match page["next_cursor"].as_str() {
                Some(c) => cursor = Some(c.to_owned()),
                None => break,
            }
        }
        // The API lists newest first; a log reads oldest first.
        items.sort_by_key(|e| remote::instant(&e["start"]));
        let total: i64 = items
            .iter()
            .map(|e| e["duration_seconds"].as_i64().unwrap_or(0))
            .sum();
        if as_json {
            let out = json!({ "from": from.to_string(), "to": to.to_string(),
                "time_zone": tz.name(), "total_seconds": total, "items": items });
            println!("{out}");
            return Ok(());
        }
        let heading = if week {
            format!("Week of {} ({tz})", remote::day(from))
        } else {
            format!("Today, {} ({tz})", remote::day(today))
        };
        println!("{heading}");
        if items.is_empty() {
            println!("  no entries");
        }
        print!("{}", remote::log_table(&items, tz, week));
        Ok(())
    }

    async fn add(&self, line: &str, confirm: bool) -> Result<()> {
        let line = nonblank(line)?;
        let body = json!({ "text": line, "confirm": confirm });
        let e = self
            .call(Method::POST, "/api/v1/entries/quick", Some(body))
            .await?;
        let tz = remote::zone(&self.me().await?);
        let on = remote::start_date(&e, tz)
            .map(remote::day)
            .unwrap_or_default();
        println!(
            "added {} on {on} {}: {}",
            remote::duration(e["duration_seconds"].as_i64().unwrap_or(0)),
            remote::span(&e, tz),
            remote::summary(&e)
        );
        Ok(())
    }
}

fn nonblank(line: &str) -> Result<&str> {
    let line = line.trim();
    if line.is_empty() {
        return Err(ClientError::usage(
            "give the line, e.g. \"acme/backups #ops rotating keys\"",
        ));
    }
    Ok(line)
}

/// A cursor as a query value (they are URL-safe base64 today; this keeps them safe anyway).
fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}
