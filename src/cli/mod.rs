//! The command line: clap's derive tree (each `///` is the help text) and dispatch.
//! Results go to stdout; diagnostics to stderr prefixed `ophiontt: `. Exit codes: 0 ok,
//! 1 a verification found problems, 2 error. The terminal client (`login`, `logout`, `timer`)
//! talks to a running server over HTTP and needs no server configuration: it runs before the
//! configuration is loaded, with its own exit codes (`remote::client::Kind`: 1 refused, 2 usage,
//! 3 server unreachable).

mod admin;
mod audit;
mod backup;
mod check;
mod compliance;
mod export;
mod import;
mod job;
mod login;
mod privacy;
mod remote;
mod seed;
mod serve;
mod socket;
mod timer;
mod tls;
mod user;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::config::{Config, Flags};

/// OphionTT: self-hosted time tracking for IT teams, with compliance built in.
///
/// Without a command, runs the server (`serve`) on built-in defaults: data in ./ophiontt-data,
/// listening on 127.0.0.1:8080.
#[derive(Parser, Debug)]
#[command(name = "ophiontt", version, propagate_version = true)]
pub struct Cli {
    /// Configuration file (TOML; see the sample ophiontt.toml).
    #[arg(long, global = true, env = "OPHIONTT_CONFIG", value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Data folder (store, logs, admin socket). Overrides `data_dir`.
    #[arg(long, global = true, value_name = "DIR")]
    pub data: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Run the server: web UI, API and admin socket.
    Serve(ServeArgs),
    /// Validate the configuration, print every key's value and source, and open the store.
    Check,
    /// Certificates for the built-in HTTPS listener.
    #[command(subcommand)]
    Tls(TlsCmd),
    /// Take, list and verify backups.
    #[command(subcommand)]
    Backup(BackupCmd),
    /// Restore a backup into a new or empty data folder (--data); the server need not run.
    Restore {
        /// The backup file.
        file: PathBuf,
        #[command(flatten)]
        key: KeyArgs,
        /// An erasure ledger to re-apply (repeatable), on top of erasure-ledger.jsonl beside the
        /// backup file and privacy.ledger_file: erased people stay erased.
        #[arg(long, value_name = "FILE")]
        ledger: Vec<PathBuf>,
    },
    /// List the scheduled jobs and their last runs, or run one now.
    #[command(subcommand)]
    Job(JobCmd),
    /// Manage user accounts (through the running server's admin socket, or the store directly).
    #[command(subcommand)]
    User(user::UserCmd),
    /// The privacy-request register and the tools that perform each request.
    #[command(subcommand)]
    Privacy(privacy::PrivacyCmd),
    /// Inspect the audit log.
    #[command(subcommand)]
    Audit(AuditCmd),
    /// Show and apply the retention rules ([retention] in the config).
    #[command(subcommand)]
    Retention(compliance::RetentionCmd),
    /// Place, list and release legal holds.
    #[command(subcommand)]
    Hold(compliance::HoldCmd),
    /// Export entries into a file: CSV, JSON, XLSX, iCalendar or PDF (docs/exports.md).
    Export(export::ExportArgs),
    /// Import entries from Toggl, Clockify, Kimai, solidtime or an OphionTT JSON export
    /// (docs/imports.md); --dry-run first shows what it would do.
    Import(import::ImportArgs),
    /// Sign in to a server from this terminal: keeps a personal API token for `timer` in
    /// ~/.config/ophiontt/client.toml (mode 0600). See docs/integrations.md.
    Login(login::LoginArgs),
    /// Forget the server and token `login` stored (and say how to revoke the token).
    Logout,
    /// Start, stop and list your time from a terminal, against a running server (quick-add
    /// lines, as in the web UI). Exit codes: 0 ok, 1 refused, 2 usage, 3 server unreachable.
    Timer(timer::TimerArgs),
    /// Print shell completions for bash, zsh, fish, elvish or PowerShell, e.g.
    /// `ophiontt completions bash > ~/.local/share/bash-completion/completions/ophiontt`
    /// (the .deb installs them already).
    Completions {
        /// The shell to complete in.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Fill the store with synthetic users, projects and entries, for benchmarks (server stopped).
    Seed {
        /// Users to create (members without a password; use `user reset-link` for one).
        #[arg(long, default_value_t = 50)]
        users: usize,
        /// Projects to create, every seeded user a member.
        #[arg(long, default_value_t = 20)]
        projects: usize,
        /// Time entries to load: eight per working day per user, going back from yesterday.
        #[arg(long, default_value_t = 100_000)]
        entries: usize,
    },
}

/// Flags of `serve`; each overrides its config key.
#[derive(clap::Args, Debug, Default)]
pub struct ServeArgs {
    /// Address to listen on, e.g. 127.0.0.1:8080; port 0 picks a free port (printed).
    #[arg(long, value_name = "ADDR")]
    listen: Option<String>,
    /// PEM certificate chain: serve HTTPS only (with --tls-key; config tls.cert).
    #[arg(long, value_name = "FILE", requires = "tls_key")]
    tls_cert: Option<PathBuf>,
    /// PEM private key of --tls-cert (config tls.key).
    #[arg(long, value_name = "FILE", requires = "tls_cert")]
    tls_key: Option<PathBuf>,
    /// Serve plain HTTP on a non-loopback address, for a TLS-terminating proxy in front
    /// (config server.allow_plain_http).
    #[arg(long)]
    allow_plain_http: bool,
}

#[derive(Subcommand, Debug)]
pub enum TlsCmd {
    /// Write a private authority and a server certificate for the given names into
    /// <data>/tls/; `serve` then uses them unless tls.cert and tls.key say otherwise.
    SelfSigned {
        /// A DNS name or IP address clients use to reach the server (repeat for more).
        #[arg(long = "host", value_name = "NAME", required = true)]
        hosts: Vec<String>,
    },
}

/// What opens an encrypted backup.
#[derive(clap::Args, Debug)]
pub struct KeyArgs {
    /// An age identity file, for a backup encrypted to its recipient.
    #[arg(long, value_name = "FILE", conflicts_with = "passphrase_file")]
    identity: Option<PathBuf>,
    /// A file whose first line is the passphrase the backup was encrypted with.
    #[arg(long, value_name = "FILE")]
    passphrase_file: Option<PathBuf>,
}

#[derive(Subcommand, Debug)]
pub enum BackupCmd {
    /// Take a consistent backup now (through the running server if there is one).
    Create {
        /// Where to write it (default: <backup.dir>/ophiontt-<time>.backup.zst).
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
        /// Encrypt to this age recipient (age1…).
        #[arg(long, value_name = "KEY", conflicts_with = "passphrase_file")]
        encrypt_to: Option<String>,
        /// Encrypt with the passphrase on this file's first line.
        #[arg(long, value_name = "FILE")]
        passphrase_file: Option<PathBuf>,
    },
    /// List the backups in the backup folder.
    List,
    /// Read a backup end to end and check it, without restoring it.
    Verify {
        file: PathBuf,
        #[command(flatten)]
        key: KeyArgs,
    },
}

#[derive(Subcommand, Debug)]
pub enum JobCmd {
    /// Every job: schedule, next run, last run.
    List,
    /// Run a job now and wait for it (exit 1 if it fails).
    Run { name: String },
}

#[derive(Subcommand, Debug)]
pub enum AuditCmd {
    /// Recompute the audit hash chain; exit 1 and name the first bad record if it does not verify.
    /// With --checkpoints, also prove the chain still extends every saved checkpoint (and name
    /// the first that fails: bad signature, no longer in the chain, or beyond the head).
    Verify {
        /// A folder of checkpoint-<seq>.json files (audit.checkpoint_dir, or a copy of it kept
        /// off this machine).
        #[arg(long, value_name = "DIR")]
        checkpoints: Option<PathBuf>,
        /// A public key file (the .pub written beside the instance key, kept elsewhere) to check
        /// signatures under, instead of the key in the data folder.
        #[arg(long, value_name = "FILE", requires = "checkpoints")]
        key: Option<PathBuf>,
    },
    /// Who read or exported whose personal data, and when (for a breach notification): one line
    /// per recorded read, oldest first.
    Accessed {
        /// Start of the window: a UTC date (2026-11-23) or an RFC 3339 instant.
        #[arg(long, value_name = "T")]
        from: String,
        /// End of the window: a UTC date (that whole day included) or an RFC 3339 instant.
        #[arg(long, value_name = "T")]
        to: String,
        /// Only reads that included this user's data (email or id).
        #[arg(long, value_name = "U")]
        user: Option<String>,
        /// One JSON object per line instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Sign the audit chain's head now: write a checkpoint to audit.checkpoint_dir and the log,
    /// and print the instance's public key.
    Checkpoint,
}

/// What the exit status of a command means (all but the terminal client's).
pub const EXIT_CODES: &[(u8, &str)] = &[
    (0, "success"),
    (
        1,
        "a check found problems (`audit verify`, `backup verify`), a job failed (`job run`), \
         an import found bad rows (nothing written), or a written export or backup could not \
         be moved to where it was asked",
    ),
    (
        2,
        "an error: bad arguments (clap's usage errors), an invalid configuration, a store that \
         cannot be opened, a server that cannot start; the message on stderr says which",
    ),
];

/// What the exit status of the terminal client (`login`, `logout`, `timer`) means.
pub const CLIENT_EXIT_CODES: &[(u8, &str)] = &[
    (0, "success"),
    (
        1,
        "the server refused: a bad, expired or revoked token, or a refused request",
    ),
    (
        2,
        "usage: bad arguments, a quick-add line that does not parse, no stored login",
    ),
    (3, "the server could not be reached"),
];

/// The whole command tree, as `--help`, the completions, the man page and
/// docs/reference/cli.md show it.
pub fn command() -> clap::Command {
    <Cli as clap::CommandFactory>::command()
}

/// Prints the completions for `shell`. Made in memory first: the generator panics on a write
/// error, and a closed pipe (`| head`) is not one worth a panic.
fn completions(shell: clap_complete::Shell) -> ExitCode {
    use std::io::Write;
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut command(), "ophiontt", &mut script);
    match std::io::stdout().write_all(&script) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => fail(&format!("cannot write the completions: {e}")),
    }
}

/// Parses arguments and runs the command.
pub fn main() -> ExitCode {
    let mut cli = Cli::parse();
    match cli.command.take() {
        Some(Command::Login(args)) => return remote::block_on(login::login(args)),
        Some(Command::Logout) => return remote::block_on(login::logout()),
        Some(Command::Timer(args)) => return remote::block_on(timer::run(args)),
        Some(Command::Completions { shell }) => return completions(shell),
        other => cli.command = other,
    }
    let env: BTreeMap<String, String> = std::env::vars()
        .filter(|(k, _)| k.starts_with("OPHIONTT_"))
        .collect();
    let default_serve = ServeArgs::default();
    let serve = match &cli.command {
        Some(Command::Serve(a)) => a,
        _ => &default_serve,
    };
    let flags = Flags {
        config: cli.config.clone(),
        data: cli.data.clone(),
        listen: serve.listen.clone(),
        tls_cert: serve.tls_cert.clone(),
        tls_key: serve.tls_key.clone(),
        allow_plain_http: serve.allow_plain_http,
    };
    let config = match Config::load(&flags, &env) {
        Ok(c) => c,
        Err(e) => return fail(&e),
    };
    // Named, so `top -H` and /proc show whose threads they are: the runtime's workers (one per
    // core) and its blocking pool (backups, scans, compression of large answers).
    let rt = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_name("ophiontt-rt")
        .build()
    {
        Ok(rt) => rt,
        Err(e) => return fail(&format!("cannot start the async runtime: {e}")),
    };
    let result = rt.block_on(async move {
        match cli.command.unwrap_or(Command::Serve(ServeArgs::default())) {
            Command::Serve(_) => serve::run(config).await,
            Command::Tls(TlsCmd::SelfSigned { hosts }) => tls::self_signed(config, hosts),
            Command::Backup(BackupCmd::Create {
                out,
                encrypt_to,
                passphrase_file,
            }) => backup::create(config, out, encrypt_to, passphrase_file).await,
            Command::Backup(BackupCmd::List) => backup::list(config),
            Command::Backup(BackupCmd::Verify { file, key }) => backup::verify(
                file,
                backup::decrypt_from(key.identity, key.passphrase_file),
            ),
            Command::Restore { file, key, ledger } => {
                let decrypt = backup::decrypt_from(key.identity, key.passphrase_file);
                backup::restore(config, file, decrypt, ledger).await
            }
            Command::Job(JobCmd::List) => job::list(config).await,
            Command::Job(JobCmd::Run { name }) => job::run(config, name).await,
            Command::Check => check::run(config).await,
            Command::User(cmd) => user::run(config, cmd).await,
            Command::Audit(AuditCmd::Verify { checkpoints, key }) => match checkpoints {
                None => admin::audit_verify(config).await,
                Some(dir) => audit::verify_checkpoints(config, dir, key).await,
            },
            Command::Audit(AuditCmd::Checkpoint) => audit::checkpoint(config).await,
            Command::Audit(AuditCmd::Accessed {
                from,
                to,
                user,
                json,
            }) => audit::accessed(config, &from, &to, user, json).await,
            Command::Privacy(cmd) => privacy::run(config, cmd).await,
            Command::Export(args) => export::run(config, args).await,
            Command::Import(args) => import::run(config, args).await,
            Command::Retention(cmd) => compliance::retention(config, cmd).await,
            Command::Hold(cmd) => compliance::hold(config, cmd).await,
            Command::Login(_)
            | Command::Logout
            | Command::Timer(_)
            | Command::Completions { .. } => {
                unreachable!("these ran above, before the configuration")
            }
            Command::Seed {
                users,
                projects,
                entries,
            } => {
                seed::run(
                    config,
                    crate::service::SeedPlan {
                        users,
                        projects,
                        entries,
                    },
                )
                .await
            }
        }
    });
    match result {
        Ok(code) => code,
        Err(e) => fail(&format!("{e:#}")),
    }
}

fn fail(msg: &str) -> ExitCode {
    eprintln!("ophiontt: {msg}");
    ExitCode::from(2)
}
