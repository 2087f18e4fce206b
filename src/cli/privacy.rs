//! `ophiontt privacy …`: the privacy-request register and the tools that perform each request,
//! through the running server's admin socket or the store directly.

use std::path::PathBuf;
use std::process::ExitCode;

use base64::Engine;
use clap::Subcommand;
use serde_json::Value;

use super::admin::run_op;
use crate::config::Config;
use crate::service::admin::{Op, Outcome, PrivacyOp};
use crate::service::privacy::{Correction, NewRequest};

#[derive(Subcommand, Debug)]
pub enum PrivacyCmd {
    /// The register, newest first; overdue and due-soon requests are marked.
    List {
        /// Only open requests.
        #[arg(long)]
        open: bool,
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Record a request received by the organisation.
    Add {
        /// access, export, correction, erasure, restriction or objection.
        #[arg(long)]
        kind: String,
        /// The account's email or id, when the person has one.
        #[arg(long)]
        user: Option<String>,
        /// Who it is about, as they gave it (default: the account's email).
        #[arg(long)]
        subject: Option<String>,
        /// When it was received (YYYY-MM-DD; default today): deadlines count from it.
        #[arg(long)]
        received: Option<String>,
        /// How the person's identity was verified.
        #[arg(long)]
        verification: Option<String>,
        #[arg(long)]
        details: Option<String>,
    },
    /// One request with its actions.
    Show { request: String },
    /// Extend a request once, with the reason, within its first period.
    Extend {
        request: String,
        #[arg(long)]
        reason: String,
    },
    /// Record that receipt was acknowledged (CCPA).
    Ack { request: String },
    /// Close a request: done, refused (with --note) or withdrawn.
    Close {
        request: String,
        #[arg(long)]
        status: String,
        #[arg(long, default_value = "")]
        note: String,
    },
    /// Write everything held about a person into a ZIP.
    Export {
        #[arg(long)]
        user: String,
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        #[arg(long)]
        request: Option<String>,
    },
    /// Correct a person's name, email or time zone (audited before/after).
    Correct {
        #[arg(long)]
        user: String,
        #[arg(long)]
        name: Option<String>,
        #[arg(long)]
        email: Option<String>,
        #[arg(long)]
        time_zone: Option<String>,
        #[arg(long)]
        request: Option<String>,
    },
    /// Erase a person (refused under a legal hold). Needs --force.
    Erase {
        #[arg(long)]
        user: String,
        #[arg(long)]
        request: Option<String>,
        #[arg(long)]
        force: bool,
    },
    /// Restrict processing of a person's data to storage, until lifted.
    Restrict {
        #[arg(long)]
        user: String,
        #[arg(long)]
        request: Option<String>,
    },
    /// Lift a restriction.
    Lift {
        #[arg(long)]
        user: String,
        #[arg(long)]
        request: Option<String>,
    },
    /// Record an objection to (or withdrawal of consent for) an optional purpose.
    Object {
        #[arg(long)]
        user: String,
        /// Today: scheduled_export.
        #[arg(long)]
        purpose: String,
        #[arg(long)]
        request: Option<String>,
    },
    /// Where a person's data sits: records per tree (every tree, indexes included).
    Scan {
        /// An account's email or id: its id, email and name are looked for.
        #[arg(long)]
        user: Option<String>,
        /// A further text to look for (repeatable), e.g. an erased person's name or a note.
        #[arg(long = "text")]
        texts: Vec<String>,
    },
}

pub async fn run(config: Config, cmd: PrivacyCmd) -> anyhow::Result<ExitCode> {
    let (op, json_out, out_file) = match cmd {
        PrivacyCmd::List { open, json } => (PrivacyOp::List { open_only: open }, json, None),
        PrivacyCmd::Add {
            kind,
            user,
            subject,
            received,
            verification,
            details,
        } => (
            PrivacyOp::Add {
                new: NewRequest {
                    kind,
                    subject,
                    user,
                    received_on: received,
                    verification,
                    details,
                },
            },
            true,
            None,
        ),
        PrivacyCmd::Show { request } => (PrivacyOp::Show { request }, true, None),
        PrivacyCmd::Extend { request, reason } => {
            (PrivacyOp::Extend { request, reason }, true, None)
        }
        PrivacyCmd::Ack { request } => (PrivacyOp::Acknowledge { request }, true, None),
        PrivacyCmd::Close {
            request,
            status,
            note,
        } => (
            PrivacyOp::Close {
                request,
                status,
                note,
            },
            true,
            None,
        ),
        PrivacyCmd::Export { user, out, request } => {
            (PrivacyOp::Export { user, request }, false, Some(out))
        }
        PrivacyCmd::Correct {
            user,
            name,
            email,
            time_zone,
            request,
        } => (
            PrivacyOp::Correct {
                user,
                correction: Correction {
                    name,
                    email,
                    time_zone,
                },
                request,
            },
            true,
            None,
        ),
        PrivacyCmd::Erase {
            user,
            request,
            force,
        } => {
            if !force {
                anyhow::bail!("erasure cannot be undone; add --force to erase {user}");
            }
            (PrivacyOp::Erase { user, request }, true, None)
        }
        PrivacyCmd::Restrict { user, request } => {
            (PrivacyOp::Restrict { user, request }, true, None)
        }
        PrivacyCmd::Lift { user, request } => (PrivacyOp::Lift { user, request }, true, None),
        PrivacyCmd::Object {
            user,
            purpose,
            request,
        } => (
            PrivacyOp::Object {
                user,
                purpose,
                request,
            },
            true,
            None,
        ),
        PrivacyCmd::Scan { user, texts } => (PrivacyOp::Scan { user, texts }, true, None),
    };
    let listing = matches!(op, PrivacyOp::List { .. });
    let (outcome, _) = run_op(&config, Op::Privacy { what: op }).await?;
    let Outcome::Privacy { result } = outcome else {
        anyhow::bail!("unexpected reply from the server");
    };
    if let Some(out) = out_file {
        let b64 = result["zip_base64"].as_str().unwrap_or("");
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(b64)
            .map_err(|e| anyhow::anyhow!("the server sent a damaged ZIP: {e}"))?;
        write_private(&out, &bytes)?;
        println!("wrote {} ({} bytes)", out.display(), bytes.len());
        return Ok(ExitCode::SUCCESS);
    }
    if listing && !json_out {
        print_table(&result);
    } else {
        println!("{}", serde_json::to_string_pretty(&result)?);
    }
    Ok(ExitCode::SUCCESS)
}

fn write_private(path: &std::path::Path, bytes: &[u8]) -> anyhow::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(path)
        .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", path.display()))?;
    f.write_all(bytes)?;
    f.sync_all()?;
    Ok(())
}

fn print_table(v: &Value) {
    let items = v["items"].as_array().cloned().unwrap_or_default();
    if items.is_empty() {
        println!("no privacy requests");
        return;
    }
    println!(
        "{:<9} {:<36} {:<11} {:<10} {:<10} {:<8} SUBJECT",
        "URGENCY", "ID", "KIND", "RECEIVED", "DUE", "STATUS"
    );
    for r in items {
        let urgency = match r["urgency"].as_str().unwrap_or("") {
            "overdue" => "OVERDUE",
            "due_soon" => "DUE SOON",
            "closed" => "-",
            _ => "",
        };
        println!(
            "{:<9} {:<36} {:<11} {:<10} {:<10} {:<8} {}",
            urgency,
            r["id"].as_str().unwrap_or(""),
            r["kind"].as_str().unwrap_or(""),
            r["received_on"].as_str().unwrap_or(""),
            r["due_on"].as_str().unwrap_or(""),
            r["status"].as_str().unwrap_or(""),
            r["subject"].as_str().unwrap_or("")
        );
    }
}
