//! Where the terminal client keeps its server and token: `$XDG_CONFIG_HOME/ophiontt/client.toml`
//! (`~/.config/ophiontt/client.toml` by default), written with mode 0600 in a folder made with
//! 0700, and refused when other users may read or change it, the way ssh treats a private key.
//! Which server and token a command uses: flags, then `OPHIONTT_*`, then this file; a token
//! stored for one server is never sent to another.

use std::io::Write;
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::client::{normalize_url, ClientError, Result, Token};

/// The file's contents. No `Debug`: it holds the token.
#[derive(Serialize, Deserialize, Clone)]
pub struct Stored {
    pub server: String,
    pub token: String,
    /// A private CA's certificate (PEM) the server's certificate is checked against.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ca: Option<PathBuf>,
    /// The token's id, name and expiry, for `logout` to say which one to revoke.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<String>,
}

const HEADER: &str =
    "# Written by `ophiontt login`. It holds an API token: keep it readable by you \
                      alone (mode 0600).\n";

/// The credentials file's path.
pub fn path() -> Result<PathBuf> {
    let base = match std::env::var_os("XDG_CONFIG_HOME").filter(|x| Path::new(x).is_absolute()) {
        Some(x) => PathBuf::from(x),
        None => {
            let home = std::env::var_os("HOME")
                .filter(|h| !h.is_empty())
                .ok_or_else(|| {
                    ClientError::usage(
                        "neither XDG_CONFIG_HOME nor HOME is set, so there is no place for \
                     client.toml; set one, or use OPHIONTT_SERVER and OPHIONTT_TOKEN",
                    )
                })?;
            PathBuf::from(home).join(".config")
        }
    };
    Ok(base.join("ophiontt").join("client.toml"))
}

/// The stored credentials, `None` when there is no file. A file that other users may read or
/// write is refused, naming it and the fix.
pub fn load(path: &Path) -> Result<Option<Stored>> {
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => {
            return Err(ClientError::usage(format!(
                "cannot read {}: {e}",
                path.display()
            )))
        }
    };
    let mode = meta.permissions().mode() & 0o777;
    if mode & 0o077 != 0 {
        return Err(ClientError::usage(format!(
            "{p} holds an API token but other users may read or change it (mode {mode:04o}); \
             run `chmod 600 {p}`",
            p = path.display()
        )));
    }
    let text = std::fs::read_to_string(path)
        .map_err(|e| ClientError::usage(format!("cannot read {}: {e}", path.display())))?;
    let stored: Stored = toml::from_str(&text).map_err(|e| {
        ClientError::usage(format!(
            "{} is not a valid client file ({}); run `ophiontt login` again",
            path.display(),
            e.message()
        ))
    })?;
    Ok(Some(stored))
}

/// Writes `stored` to `path` with mode 0600 (replacing any file there in one rename, so no
/// reader ever sees half of it); a missing folder is made with 0700.
pub fn save(path: &Path, stored: &Stored) -> Result<()> {
    let fail = |what: &str, p: &Path, e: std::io::Error| {
        ClientError::usage(format!("cannot {what} {}: {e}", p.display()))
    };
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
        .map_err(|e| fail("create the folder", dir, e))?;
    let text = format!(
        "{HEADER}{}",
        toml::to_string(stored).expect("plain strings serialize")
    );
    let tmp = dir.join(format!(".client.toml.{}", std::process::id()));
    let _ = std::fs::remove_file(&tmp);
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(&tmp)
        .map_err(|e| fail("write", &tmp, e))?;
    let written = f
        .write_all(text.as_bytes())
        .and_then(|()| f.sync_all())
        .and_then(|()| std::fs::rename(&tmp, path));
    if let Err(e) = written {
        let _ = std::fs::remove_file(&tmp);
        return Err(fail("write", path, e));
    }
    Ok(())
}

/// Deletes the file; whether there was one.
pub fn remove(path: &Path) -> Result<bool> {
    match std::fs::remove_file(path) {
        Ok(()) => Ok(true),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
        Err(e) => Err(ClientError::usage(format!(
            "cannot delete {}: {e}",
            path.display()
        ))),
    }
}

/// Where a terminal command sends its requests, and with which token: each a flag, else its
/// environment variable, else client.toml.
#[derive(clap::Args, Debug, Default)]
pub struct RemoteArgs {
    /// The server's URL, e.g. https://time.example.com (default: the one `ophiontt login`
    /// stored).
    #[arg(long, global = true, env = "OPHIONTT_SERVER", value_name = "URL")]
    pub server: Option<String>,
    /// A personal API token (ott_…) instead of the stored one. A flag shows in the process
    /// list: prefer the environment variable, or `ophiontt login`.
    #[arg(
        long,
        global = true,
        env = "OPHIONTT_TOKEN",
        hide_env_values = true,
        value_name = "TOKEN"
    )]
    pub token: Option<Token>,
    /// A PEM file with the CA certificate (or the self-signed certificate) to check the
    /// server's certificate against, instead of the system's trusted ones.
    #[arg(long, global = true, env = "OPHIONTT_CA", value_name = "FILE")]
    pub ca: Option<PathBuf>,
}

impl RemoteArgs {
    /// The values given, empty ones (an empty environment variable) as absent.
    pub fn given(self) -> Given {
        Given {
            server: self.server.filter(|s| !s.trim().is_empty()),
            token: self.token,
            ca: self.ca.filter(|c| !c.as_os_str().is_empty()),
        }
    }
}

/// What flags and the environment gave (clap reads both: a flag wins over its variable).
pub struct Given {
    pub server: Option<String>,
    pub token: Option<Token>,
    pub ca: Option<PathBuf>,
}

/// The server, token and CA a command uses: each from `given`, else from the file; the
/// file's token only goes with the file's server.
pub struct Target {
    pub server: String,
    pub token: Token,
    pub ca: Option<PathBuf>,
}

/// Resolves [`Target`]; the file is read only when flags and environment leave a gap.
pub fn resolve(given: Given) -> Result<Target> {
    let server = given.server.as_deref().map(normalize_url).transpose()?;
    if let (Some(server), Some(token)) = (&server, &given.token) {
        return Ok(Target {
            server: server.clone(),
            token: token.clone(),
            ca: given.ca,
        });
    }
    let file = path()?;
    let stored = load(&file)?;
    let not_signed_in = || {
        ClientError::usage(format!(
            "not signed in: run `ophiontt login https://your-server` (or set OPHIONTT_SERVER \
             and OPHIONTT_TOKEN); no credentials in {}",
            file.display()
        ))
    };
    let stored = stored.ok_or_else(not_signed_in)?;
    let stored_server = normalize_url(&stored.server)?;
    let server = server.unwrap_or_else(|| stored_server.clone());
    let same_server = server == stored_server;
    let token = match given.token {
        Some(t) => t,
        None if same_server => Token::new(&stored.token).ok_or_else(not_signed_in)?,
        None => {
            return Err(ClientError::usage(format!(
                "no token for {server}: {} holds one for {stored_server} only; run `ophiontt \
                 login {server}` or set OPHIONTT_TOKEN",
                file.display()
            )))
        }
    };
    let ca = given
        .ca
        .or_else(|| stored.ca.clone().filter(|_| same_server));
    Ok(Target { server, token, ca })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stored(server: &str) -> Stored {
        Stored {
            server: server.to_owned(),
            token: "ott_x".to_owned(),
            ca: None,
            token_id: Some("id".to_owned()),
            token_name: Some("terminal on box".to_owned()),
            expires_at: None,
        }
    }

    #[test]
    fn the_file_is_written_0600_read_back_and_refused_once_others_may_read_it() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("new").join("client.toml");
        save(&p, &stored("https://a.example")).unwrap();
        let mode = std::fs::metadata(&p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        let dir_mode = std::fs::metadata(p.parent().unwrap())
            .unwrap()
            .permissions()
            .mode()
            & 0o777;
        assert_eq!(dir_mode, 0o700);
        let back = load(&p).unwrap().unwrap();
        assert_eq!(
            (back.server.as_str(), back.token.as_str()),
            ("https://a.example", "ott_x")
        );
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o644)).unwrap();
        let e = load(&p).err().unwrap();
        assert!(
            e.message.contains("chmod 600") && e.message.contains("0644"),
            "{}",
            e.message
        );
        assert!(remove(&p).unwrap());
        assert!(!remove(&p).unwrap());
        assert!(load(&p).unwrap().is_none());
    }
}
