//! The instance's checkpoint signing key: an Ed25519 seed in `<data>/keys/audit-checkpoint.ed25519`
//! (mode 0600, 64 hex digits), made on first use, with its public key beside it as `.pub`.
//! The private key is never printed, logged or sent anywhere; only the public key leaves.

use std::io::Write;
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

use ed25519_dalek::{SigningKey, VerifyingKey};
use rand::RngCore;

/// The key file's name inside `<data>/keys`.
pub const KEY_FILE: &str = "audit-checkpoint.ed25519";

/// The signing key, loaded or made. Deliberately not `Debug`.
pub struct CheckpointKey {
    key: SigningKey,
}

impl CheckpointKey {
    /// Loads the key at `path`, or makes one there (and its `.pub`) when there is none.
    pub fn load_or_create(path: &Path) -> Result<CheckpointKey, String> {
        if path.exists() {
            return Self::load(path);
        }
        let dir = path.parent().unwrap_or(Path::new("."));
        if !dir.exists() {
            std::fs::create_dir_all(dir)
                .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
            std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))
                .map_err(|e| format!("cannot restrict {}: {e}", dir.display()))?;
        }
        let mut seed = [0u8; 32];
        rand::rng().fill_bytes(&mut seed);
        let key = SigningKey::from_bytes(&seed);
        seed.fill(0);
        let fail = |e: std::io::Error| format!("cannot write {}: {e}", path.display());
        // create_new: two processes racing to make the key cannot overwrite each other's.
        let mut f = match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(path)
        {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => return Self::load(path),
            Err(e) => return Err(fail(e)),
        };
        f.write_all(format!("{}\n", hex::encode(key.to_bytes())).as_bytes())
            .and_then(|_| f.sync_all())
            .map_err(fail)?;
        let made = CheckpointKey { key };
        made.write_public(path)?;
        tracing::info!(key = %path.display(), public_key = %made.public_hex(), "audit checkpoint key created");
        Ok(made)
    }

    fn load(path: &Path) -> Result<CheckpointKey, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        let mut seed = [0u8; 32];
        hex::decode_to_slice(text.trim(), &mut seed).map_err(|_| {
            format!(
                "{} is not an audit checkpoint key (64 hex digits)",
                path.display()
            )
        })?;
        let key = SigningKey::from_bytes(&seed);
        seed.fill(0);
        let made = CheckpointKey { key };
        if !public_path(path).exists() {
            made.write_public(path)?;
        }
        Ok(made)
    }

    fn write_public(&self, path: &Path) -> Result<(), String> {
        let p = public_path(path);
        std::fs::write(&p, format!("{}\n", self.public_hex()))
            .map_err(|e| format!("cannot write {}: {e}", p.display()))
    }

    /// The public key as 64 hex digits.
    pub fn public_hex(&self) -> String {
        hex::encode(self.key.verifying_key().to_bytes())
    }

    /// Signs `msg`; returns the signature as hex.
    pub fn sign_hex(&self, msg: &[u8]) -> String {
        use ed25519_dalek::Signer;
        hex::encode(self.key.sign(msg).to_bytes())
    }
}

/// `<key>.pub`.
pub fn public_path(key: &Path) -> PathBuf {
    let mut p = key.as_os_str().to_owned();
    p.push(".pub");
    PathBuf::from(p)
}

/// Parses a public key: 64 hex digits (a `.pub` file's content).
pub fn parse_public(text: &str) -> Result<VerifyingKey, String> {
    let mut b = [0u8; 32];
    hex::decode_to_slice(text.trim(), &mut b)
        .map_err(|_| "not an Ed25519 public key (64 hex digits)".to_owned())?;
    VerifyingKey::from_bytes(&b).map_err(|_| "not a valid Ed25519 public key".to_owned())
}

/// The instance's public key: from `<key>.pub`, else derived from the key file.
pub fn instance_public(key: &Path) -> Result<VerifyingKey, String> {
    let p = public_path(key);
    match std::fs::read_to_string(&p) {
        Ok(t) => parse_public(&t).map_err(|e| format!("{}: {e}", p.display())),
        Err(_) if key.exists() => parse_public(&CheckpointKey::load(key)?.public_hex()),
        Err(_) => Err(format!(
            "no checkpoint key at {}: no checkpoint was made on this instance (or the key was \
             removed); pass the public key with --key",
            key.display()
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_is_made_once_private_and_loads_back_with_its_public_half() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("keys").join(KEY_FILE);
        let a = CheckpointKey::load_or_create(&path).unwrap();
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        let b = CheckpointKey::load_or_create(&path).unwrap();
        assert_eq!(a.public_hex(), b.public_hex());
        let pubkey = instance_public(&path).unwrap();
        assert_eq!(hex::encode(pubkey.to_bytes()), a.public_hex());
        std::fs::write(&path, "nonsense").unwrap();
        assert!(CheckpointKey::load_or_create(&path)
            .err()
            .unwrap()
            .contains("64 hex digits"));
    }
}
