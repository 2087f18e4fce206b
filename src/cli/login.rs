//! `ophiontt login` and `ophiontt logout`: get a personal API token for this terminal and keep
//! it in client.toml (mode 0600), or forget it. Login signs in with email and password, makes a
//! `write` token named "terminal on <hostname>" and signs out again, so no session is left
//! behind; `--token-stdin` stores a token made in the web UI instead. The password and the
//! token are never echoed, printed or logged.

use std::io::{BufRead, IsTerminal, Write};
use std::path::PathBuf;

use reqwest::Method;
use serde_json::json;

use super::remote::{
    file, normalize_url, plain_http_elsewhere, Auth, ClientError, Remote, Result, Stored, Token,
};

/// `ophiontt login`.
#[derive(clap::Args, Debug)]
pub struct LoginArgs {
    /// The server, e.g. https://time.example.com (default: OPHIONTT_SERVER, else the server
    /// stored by the last login).
    #[arg(value_name = "SERVER_URL", env = "OPHIONTT_SERVER")]
    pub url: Option<String>,
    /// Your email (asked on the terminal when left out).
    #[arg(long, value_name = "EMAIL", conflicts_with = "token_stdin")]
    pub email: Option<String>,
    /// Read the password from the first line of standard input instead of asking on the
    /// terminal (for scripts: `ophiontt login URL --email me@example.com --password-stdin
    /// < file`).
    #[arg(long, conflicts_with = "token_stdin")]
    pub password_stdin: bool,
    /// Store a token made in the web UI instead of signing in: read from standard input (or
    /// pasted, without echo, on a terminal) and checked against the server first.
    #[arg(long)]
    pub token_stdin: bool,
    /// Days until the new token expires (default: the server's, 90 days).
    #[arg(long, value_name = "DAYS", conflicts_with = "token_stdin")]
    pub days: Option<u32>,
    /// A PEM file with the CA certificate (or the self-signed certificate) to check the
    /// server's certificate against, instead of the system's trusted ones; stored with the
    /// token.
    #[arg(long, env = "OPHIONTT_CA", value_name = "FILE")]
    pub ca: Option<PathBuf>,
}

/// Runs `ophiontt login`.
pub async fn login(args: LoginArgs) -> Result<()> {
    let path = file::path()?;
    let url = match args.url.as_deref().filter(|u| !u.trim().is_empty()) {
        Some(u) => u.to_owned(),
        // Only the stored server is read from the file; a file others may read is refused.
        None => match file::load(&path)? {
            Some(s) => s.server,
            None => {
                return Err(ClientError::usage(
                    "give the server's URL: ophiontt login https://time.example.com",
                ))
            }
        },
    };
    let server = normalize_url(&url)?;
    if plain_http_elsewhere(&server) {
        eprintln!("ophiontt: warning: {server} is plain HTTP: the password and the token cross the network in the clear; use https");
    }
    let ca = args.ca.filter(|c| !c.as_os_str().is_empty());
    let remote = Remote::new(&server, ca.as_deref())?;
    let stored = if args.token_stdin {
        let token = read_token()?;
        let me = remote
            .call(Method::GET, "/api/v1/me", Auth::Bearer(&token), None)
            .await?
            .body;
        println!(
            "signed in to {server} as {}",
            me["email"].as_str().unwrap_or("?")
        );
        Stored {
            server: server.clone(),
            token: token.secret().to_owned(),
            ca,
            token_id: None,
            token_name: None,
            expires_at: None,
        }
    } else {
        let (email, password) = credentials(args.email, args.password_stdin)?;
        let made = with_session(&remote, &email, &password, args.days).await?;
        println!("signed in to {server} as {email}");
        Stored { ca, ..made }
    };
    file::save(&path, &stored)?;
    match (&stored.token_name, &stored.expires_at) {
        (Some(name), Some(until)) => println!(
            "made the API token \"{name}\" (scope write, expires {until}); stored in {}",
            path.display()
        ),
        _ => println!("stored the token in {}", path.display()),
    }
    Ok(())
}

/// Signs in, makes the token, and signs out again whatever happened in between.
async fn with_session(
    remote: &Remote,
    email: &str,
    password: &str,
    days: Option<u32>,
) -> Result<Stored> {
    let body = json!({ "email": email, "password": password });
    let signed_in = remote
        .call(Method::POST, "/api/v1/session", Auth::None, Some(body))
        .await?;
    let cookie = signed_in
        .headers
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .filter_map(|v| v.split(';').next())
        .find(|kv| kv.contains('='))
        .map(str::to_owned)
        .ok_or_else(|| {
            ClientError::refused(format!(
                "{} signed in but sent no session cookie; is it an OphionTT server?",
                remote.base
            ))
        })?;
    // Token names hold at most 80 characters.
    let name: String = format!("terminal on {}", hostname())
        .chars()
        .take(80)
        .collect();
    let mut req = json!({ "name": name, "scopes": ["write"] });
    if let Some(d) = days {
        req["expires_in_days"] = json!(d);
    }
    let made = remote
        .call(
            Method::POST,
            "/api/v1/me/tokens",
            Auth::Cookie(&cookie),
            Some(req),
        )
        .await;
    let out = remote
        .call(
            Method::DELETE,
            "/api/v1/session",
            Auth::Cookie(&cookie),
            None,
        )
        .await;
    let made = made?.body;
    if let Err(e) = out {
        eprintln!(
            "ophiontt: warning: could not sign the temporary session out ({}); it ends on its own",
            e.message
        );
    }
    let secret = made["secret"].as_str().unwrap_or_default();
    let token = &made["token"];
    Ok(Stored {
        server: remote.base.clone(),
        token: secret.to_owned(),
        ca: None,
        token_id: token["id"].as_str().map(str::to_owned),
        token_name: Some(name),
        expires_at: token["expires_at"].as_str().map(str::to_owned),
    })
}

/// Runs `ophiontt logout`: deletes client.toml and says how to revoke the token, which only a
/// signed-in browser session may do.
pub async fn logout() -> Result<()> {
    let path = file::path()?;
    // Read without judging its mode: an unsafe file is all the more worth deleting.
    let stored: Option<Stored> = std::fs::read_to_string(&path)
        .ok()
        .and_then(|t| toml::from_str(&t).ok());
    if !file::remove(&path)? {
        println!("not signed in (there is no {})", path.display());
        return Ok(());
    }
    println!("deleted {}", path.display());
    let Some(s) = stored else { return Ok(()) };
    let which = s
        .token_name
        .as_deref()
        .map(|n| format!("\"{n}\""))
        .unwrap_or_else(|| "the token".to_owned());
    let until = s
        .expires_at
        .as_deref()
        .map(|t| format!(" until {t}"))
        .unwrap_or_default();
    let by_id = s
        .token_id
        .as_deref()
        .map(|id| format!(", or DELETE /api/v1/tokens/{id}"))
        .unwrap_or_default();
    println!(
        "{which} still works on {}{until}: revoke it in the web UI under My account → API \
         tokens{by_id}",
        s.server
    );
    Ok(())
}

/// Email and password: flags and standard input for scripts, else asked on the terminal.
fn credentials(email: Option<String>, password_stdin: bool) -> Result<(String, String)> {
    let tty = std::io::stdin().is_terminal();
    let email = match email {
        Some(e) => e,
        None if tty && !password_stdin => {
            eprint!("Email: ");
            let _ = std::io::stderr().flush();
            read_line()?
        }
        None => {
            return Err(ClientError::usage(
                "give --email when the password comes from standard input or there is no \
                 terminal",
            ))
        }
    };
    let password = if password_stdin {
        read_line()?
    } else if tty {
        let term = console::Term::stderr();
        eprint!("Password for {email}: ");
        let _ = std::io::stderr().flush();
        term.read_secure_line()
            .map_err(|e| ClientError::usage(format!("cannot read the password: {e}")))?
    } else {
        return Err(ClientError::usage(
            "no terminal to ask the password on: pass --password-stdin with the password on \
             standard input, or store a token made in the web UI with --token-stdin",
        ));
    };
    if email.trim().is_empty() || password.is_empty() {
        return Err(ClientError::usage(
            "the email and the password must not be empty",
        ));
    }
    Ok((email.trim().to_owned(), password))
}

/// A token from standard input: pasted without echo on a terminal, else its first line.
fn read_token() -> Result<Token> {
    let text = if std::io::stdin().is_terminal() {
        eprint!("API token (ott_…): ");
        let _ = std::io::stderr().flush();
        console::Term::stderr()
            .read_secure_line()
            .map_err(|e| ClientError::usage(format!("cannot read the token: {e}")))?
    } else {
        read_line()?
    };
    Token::new(&text)
        .filter(|t| t.secret().starts_with("ott_"))
        .ok_or_else(|| {
            ClientError::usage(
                "standard input holds no API token (they start with ott_); make one in the \
                 web UI and pipe it in",
            )
        })
}

/// The first line of standard input, without its line end.
fn read_line() -> Result<String> {
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .map_err(|e| ClientError::usage(format!("cannot read standard input: {e}")))?;
    Ok(line.trim_end_matches(['\r', '\n']).to_owned())
}

/// This machine's name, for the token's name.
fn hostname() -> String {
    nix::unistd::gethostname()
        .ok()
        .and_then(|h| h.into_string().ok())
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "this computer".to_owned())
}
