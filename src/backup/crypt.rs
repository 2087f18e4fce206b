//! Optional age encryption of backup files: to a recipient's public key, or with a passphrase
//! read from a file. Decryption takes the matching identity file or passphrase file.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use age::secrecy::SecretString;

use super::BackupError;

/// How a new backup is encrypted.
#[derive(Debug, Clone, Default)]
pub enum Encrypt {
    #[default]
    None,
    /// An age recipient, `age1…`.
    To(String),
    /// The first line of this file is the passphrase.
    PassphraseFile(PathBuf),
}

impl Encrypt {
    /// The one encryption rule of backups: to an age recipient if one is given, else with the
    /// passphrase in a file, else none.
    pub fn choose(recipient: Option<String>, passphrase_file: Option<PathBuf>) -> Encrypt {
        match (recipient, passphrase_file) {
            (Some(r), _) => Encrypt::To(r),
            (None, Some(p)) => Encrypt::PassphraseFile(p),
            (None, None) => Encrypt::None,
        }
    }

    /// What opens a backup made this way here, if anything can without a recipient's
    /// identity: the same passphrase file, or nothing for an unencrypted one.
    pub fn own_decrypt(&self) -> Option<Decrypt> {
        match self {
            Encrypt::None => Some(Decrypt::None),
            Encrypt::PassphraseFile(p) => Some(Decrypt::PassphraseFile(p.clone())),
            Encrypt::To(_) => None,
        }
    }
}

/// What opens an encrypted backup.
#[derive(Debug, Clone, Default)]
pub enum Decrypt {
    #[default]
    None,
    /// An age identity file (`AGE-SECRET-KEY-1…`).
    Identity(PathBuf),
    PassphraseFile(PathBuf),
}

/// The passphrase: the file's first line, without its line ending.
pub fn read_passphrase(path: &Path) -> Result<SecretString, BackupError> {
    let text = std::fs::read_to_string(path).map_err(|e| BackupError::Input {
        what: format!("cannot read passphrase file {}: {e}", path.display()),
    })?;
    let line = text.lines().next().unwrap_or("").to_owned();
    if line.is_empty() {
        return Err(BackupError::Input {
            what: format!("passphrase file {} is empty", path.display()),
        });
    }
    Ok(SecretString::from(line))
}

/// Wraps `out` so that what is written to it is encrypted as `how` says.
pub fn encrypting<W: Write + 'static>(
    how: &Encrypt,
    out: W,
) -> Result<Box<dyn FinishWrite>, BackupError> {
    let encryptor = match how {
        Encrypt::None => return Ok(Box::new(Plain(out))),
        Encrypt::To(r) => {
            let recipient: age::x25519::Recipient = r.parse().map_err(|e| BackupError::Input {
                what: format!("`{r}` is not an age recipient (age1…): {e}"),
            })?;
            age::Encryptor::with_recipients(std::iter::once(&recipient as &dyn age::Recipient))
                .map_err(|e| BackupError::Input {
                    what: e.to_string(),
                })?
        }
        Encrypt::PassphraseFile(p) => age::Encryptor::with_user_passphrase(read_passphrase(p)?),
    };
    let w = encryptor
        .wrap_output(out)
        .map_err(BackupError::io("encrypting"))?;
    Ok(Box::new(Aged(w)))
}

/// A writer that must be finished (age writes its last chunk then).
pub trait FinishWrite: Write {
    fn finish(self: Box<Self>) -> std::io::Result<()>;
}

struct Plain<W: Write>(W);
impl<W: Write> Write for Plain<W> {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        self.0.write(b)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.0.flush()
    }
}
impl<W: Write> FinishWrite for Plain<W> {
    fn finish(mut self: Box<Self>) -> std::io::Result<()> {
        self.0.flush()
    }
}

struct Aged<W: Write>(age::stream::StreamWriter<W>);
impl<W: Write> Write for Aged<W> {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        self.0.write(b)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.0.flush()
    }
}
impl<W: Write> FinishWrite for Aged<W> {
    fn finish(self: Box<Self>) -> std::io::Result<()> {
        self.0.finish().map(|_| ())
    }
}

/// Opens an age-encrypted stream with `how`; the errors say which of file, key or passphrase
/// is wrong.
pub fn decrypting<R: Read + 'static>(
    file: &Path,
    how: &Decrypt,
    input: R,
) -> Result<Box<dyn Read>, BackupError> {
    let d =
        age::Decryptor::new(std::io::BufReader::new(input)).map_err(|e| BackupError::Damaged {
            file: file.to_owned(),
            why: format!("its encryption header is unreadable ({e})"),
        })?;
    let identities: Vec<Box<dyn age::Identity>> = match how {
        Decrypt::None => {
            return Err(BackupError::Input {
                what: format!(
                    "{} is encrypted: give --passphrase-file FILE or --identity FILE",
                    file.display()
                ),
            })
        }
        Decrypt::PassphraseFile(p) => {
            vec![Box::new(age::scrypt::Identity::new(read_passphrase(p)?))]
        }
        Decrypt::Identity(p) => age::IdentityFile::from_file(p.display().to_string())
            .map_err(|e| BackupError::Input {
                what: format!("cannot read identity file {}: {e}", p.display()),
            })?
            .into_identities()
            .map_err(|e| BackupError::Input {
                what: format!("identity file {}: {e}", p.display()),
            })?,
    };
    let scrypt = d.is_scrypt();
    let reader = d
        .decrypt(identities.iter().map(|i| i.as_ref() as &dyn age::Identity))
        .map_err(|e| match e {
            age::DecryptError::NoMatchingKeys | age::DecryptError::DecryptionFailed if scrypt => {
                BackupError::WrongKey {
                    file: file.to_owned(),
                    what: "the passphrase is wrong".into(),
                }
            }
            age::DecryptError::NoMatchingKeys => BackupError::WrongKey {
                file: file.to_owned(),
                what: if matches!(how, Decrypt::PassphraseFile(_)) {
                    "it was encrypted to a key, not with a passphrase: give --identity FILE".into()
                } else {
                    "it was not encrypted to this identity".into()
                },
            },
            other => BackupError::Damaged {
                file: file.to_owned(),
                why: format!("it cannot be decrypted ({other})"),
            },
        })?;
    Ok(Box::new(reader))
}
