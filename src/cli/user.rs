//! `ophiontt user …`: the same user management as the web UI's admin pages.

use std::process::ExitCode;

use clap::Subcommand;

use super::admin::{run_op, OpFailed};
use crate::config::Config;
use crate::domain::codes;
use crate::domain::user::User;
use crate::domain::Role;
use crate::service::admin::{Op, Outcome};
use crate::service::rfc3339;

#[derive(Subcommand, Debug)]
pub enum UserCmd {
    /// Create a user and print a one-time link for them to set their password.
    Add {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
        /// admin, manager, member, client or auditor.
        #[arg(long, default_value = "member", value_parser = parse_role)]
        role: Role,
        /// IANA time zone, e.g. Europe/Berlin.
        #[arg(long, default_value = "UTC")]
        time_zone: String,
    },
    /// List users (email, name, role, status).
    List {
        /// Only users whose name or email contains this text.
        #[arg(long)]
        search: Option<String>,
        /// Print JSON lines instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Disable a user (by email or id); their sessions end at once.
    Disable { user: String },
    /// Enable a disabled user (by email or id).
    Enable { user: String },
    /// Change a user's role.
    SetRole {
        /// Email or id.
        user: String,
        #[arg(value_parser = parse_role)]
        role: Role,
    },
    /// Print a one-time link that sets a new password for a user.
    ResetLink { user: String },
}

fn parse_role(s: &str) -> Result<Role, String> {
    s.parse()
}

pub async fn run(config: Config, cmd: UserCmd) -> anyhow::Result<ExitCode> {
    let adding = match &cmd {
        UserCmd::Add { email, .. } => Some(email.trim().to_owned()),
        _ => None,
    };
    let op = match cmd {
        UserCmd::Add {
            email,
            name,
            role,
            time_zone,
        } => Op::UserAdd {
            name,
            email,
            role,
            time_zone,
        },
        UserCmd::List { search, json } => {
            let (Outcome::Users { users }, _) = run_op(&config, Op::UserList { q: search }).await?
            else {
                anyhow::bail!("unexpected reply");
            };
            print_users(&users, json)?;
            return Ok(ExitCode::SUCCESS);
        }
        UserCmd::Disable { user } => Op::UserDisable { user },
        UserCmd::Enable { user } => Op::UserEnable { user },
        UserCmd::SetRole { user, role } => Op::UserSetRole { user, role },
        UserCmd::ResetLink { user } => Op::UserResetLink { user },
    };
    let outcome = match run_op(&config, op).await {
        Ok((o, _)) => o,
        // Creating is idempotent: an existing account is left as it is.
        Err(e)
            if e.downcast_ref::<OpFailed>()
                .is_some_and(|f| f.code == codes::USER_EMAIL_TAKEN)
                && adding.is_some() =>
        {
            let email = adding.unwrap_or_default();
            eprintln!("ophiontt: user {email} already exists, skipping (for a new password link: ophiontt user reset-link {email})");
            return Ok(ExitCode::SUCCESS);
        }
        Err(e) => return Err(e),
    };
    match outcome {
        Outcome::Created { user, link } => {
            println!(
                "created {} <{}> as {} (id {})",
                user.name.as_str(),
                user.email.as_str(),
                user.role,
                user.id
            );
            println!(
                "one-time link to set the password (expires {}):\n{}",
                rfc3339(link.expires_at_ms),
                link.url
            );
            if link.emailed {
                println!("also e-mailed to {} as an invitation", user.email.as_str());
            }
        }
        Outcome::User { user } => {
            let status = if user.disabled { "disabled" } else { "active" };
            println!(
                "{} <{}>: role {}, {status}",
                user.name.as_str(),
                user.email.as_str(),
                user.role
            );
        }
        Outcome::Link { user, link } => {
            println!(
                "one-time link for {} (expires {}):\n{}",
                user.email.as_str(),
                rfc3339(link.expires_at_ms),
                link.url
            );
            if link.emailed {
                println!("also e-mailed to {}", user.email.as_str());
            }
        }
        _ => anyhow::bail!("unexpected reply"),
    }
    Ok(ExitCode::SUCCESS)
}

fn print_users(users: &[User], json: bool) -> anyhow::Result<()> {
    if json {
        for u in users {
            println!("{}", serde_json::to_string(u)?);
        }
        return Ok(());
    }
    let w = users
        .iter()
        .map(|u| u.email.as_str().len())
        .max()
        .unwrap_or(5)
        .max(5);
    let n = users
        .iter()
        .map(|u| u.name.as_str().chars().count())
        .max()
        .unwrap_or(4)
        .max(4);
    println!(
        "{:<w$}  {:<n$}  {:<8}  {:<8}  ID",
        "EMAIL", "NAME", "ROLE", "STATUS"
    );
    for u in users {
        let status = if u.disabled { "disabled" } else { "active" };
        println!(
            "{:<w$}  {:<n$}  {:<8}  {:<8}  {}",
            u.email.as_str(),
            u.name.as_str(),
            u.role.as_str(),
            status,
            u.id
        );
    }
    Ok(())
}
