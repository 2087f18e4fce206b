//! TLS material: loading and checking a certificate and key pair, the server configuration
//! whose pair can be swapped while connections stay open (SIGHUP), and self-signed
//! certificates for a first install. Nothing here knows about HTTP.

mod selfsigned;

use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};

use rustls::crypto::CryptoProvider;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use rustls::server::{ClientHello, ResolvesServerCert};
use rustls::sign::CertifiedKey;
use rustls::ServerConfig;

pub use selfsigned::{self_signed, SelfSigned};

/// Where the certificate chain and the private key are read from (PEM files).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TlsFiles {
    pub cert: PathBuf,
    pub key: PathBuf,
}

impl TlsFiles {
    /// The pair `ophiontt tls self-signed` writes into a data folder.
    pub fn in_data_dir(data_dir: &Path) -> TlsFiles {
        let dir = data_dir.join("tls");
        TlsFiles {
            cert: dir.join("cert.pem"),
            key: dir.join("key.pem"),
        }
    }
}

/// Why a pair was refused; each message names the file and what is wrong with it.
#[derive(Debug, thiserror::Error)]
pub enum TlsError {
    #[error("cannot read {path}: {error}")]
    Read {
        path: PathBuf,
        error: std::io::Error,
    },
    #[error("{path} holds no PEM certificate (expected -----BEGIN CERTIFICATE-----)")]
    NoCertificate { path: PathBuf },
    #[error("{path} is not a PEM certificate file: {error}")]
    BadCertificate { path: PathBuf, error: String },
    #[error("{path} holds no usable PEM private key (PKCS#8, PKCS#1 or SEC1): {error}")]
    BadKey { path: PathBuf, error: String },
    #[error("the key in {key} does not belong to the certificate in {cert}")]
    Mismatch { cert: PathBuf, key: PathBuf },
    #[error("the certificate in {path} expired on {when} (UTC); renew it")]
    Expired { path: PathBuf, when: String },
    #[error("the certificate in {path} is not valid before {when} (UTC); check the clock")]
    NotYetValid { path: PathBuf, when: String },
}

/// The crypto provider of every TLS configuration: the server's and the terminal client's.
pub fn provider() -> Arc<CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

/// Reads and checks a pair: PEM syntax, a key the provider can use, the key matching the
/// certificate, and the certificate valid at `now_secs` (Unix seconds).
pub fn load_pair(files: &TlsFiles, now_secs: i64) -> Result<Arc<CertifiedKey>, TlsError> {
    let read = |path: &Path| {
        std::fs::read(path).map_err(|error| TlsError::Read {
            path: path.to_owned(),
            error,
        })
    };
    let cert_pem = read(&files.cert)?;
    let key_pem = read(&files.key)?;
    let chain: Vec<CertificateDer<'static>> = CertificateDer::pem_slice_iter(&cert_pem)
        .collect::<Result<_, _>>()
        .map_err(|e| TlsError::BadCertificate {
            path: files.cert.clone(),
            error: e.to_string(),
        })?;
    let Some(leaf) = chain.first() else {
        return Err(TlsError::NoCertificate {
            path: files.cert.clone(),
        });
    };
    check_validity(&files.cert, leaf, now_secs)?;
    let key = PrivateKeyDer::from_pem_slice(&key_pem).map_err(|e| TlsError::BadKey {
        path: files.key.clone(),
        error: e.to_string(),
    })?;
    let signing = provider()
        .key_provider
        .load_private_key(key)
        .map_err(|e| TlsError::BadKey {
            path: files.key.clone(),
            error: e.to_string(),
        })?;
    let certified = CertifiedKey::new(chain, signing);
    match certified.keys_match() {
        Ok(()) | Err(rustls::Error::InconsistentKeys(rustls::InconsistentKeys::Unknown)) => {}
        Err(_) => {
            return Err(TlsError::Mismatch {
                cert: files.cert.clone(),
                key: files.key.clone(),
            })
        }
    }
    Ok(Arc::new(certified))
}

fn check_validity(path: &Path, leaf: &CertificateDer<'_>, now: i64) -> Result<(), TlsError> {
    let (_, cert) = x509_parser::parse_x509_certificate(leaf.as_ref()).map_err(|e| {
        TlsError::BadCertificate {
            path: path.to_owned(),
            error: e.to_string(),
        }
    })?;
    let v = cert.validity();
    let when = |t: &x509_parser::time::ASN1Time| {
        chrono::DateTime::from_timestamp(t.timestamp(), 0)
            .map(|d| d.format("%Y-%m-%d %H:%M").to_string())
            .unwrap_or_else(|| t.to_string())
    };
    if v.not_after.timestamp() < now {
        return Err(TlsError::Expired {
            path: path.to_owned(),
            when: when(&v.not_after),
        });
    }
    if v.not_before.timestamp() > now {
        return Err(TlsError::NotYetValid {
            path: path.to_owned(),
            when: when(&v.not_before),
        });
    }
    Ok(())
}

/// The pair in use, swapped as a whole by [`CertStore::reload`]. Handshakes in progress and
/// open connections keep the pair they started with.
#[derive(Debug)]
pub struct CertStore {
    files: TlsFiles,
    current: RwLock<Arc<CertifiedKey>>,
}

impl CertStore {
    pub fn open(files: TlsFiles, now_secs: i64) -> Result<Arc<CertStore>, TlsError> {
        let pair = load_pair(&files, now_secs)?;
        Ok(Arc::new(CertStore {
            files,
            current: RwLock::new(pair),
        }))
    }

    pub fn files(&self) -> &TlsFiles {
        &self.files
    }

    /// Reads the files again; a pair that fails any check is refused and the old one stays.
    pub fn reload(&self, now_secs: i64) -> Result<(), TlsError> {
        let pair = load_pair(&self.files, now_secs)?;
        *self.current.write().unwrap_or_else(|e| e.into_inner()) = pair;
        Ok(())
    }

    /// A rustls server configuration that always presents the current pair (HTTP/1.1 and h2).
    pub fn server_config(self: &Arc<Self>) -> Arc<ServerConfig> {
        let mut cfg = ServerConfig::builder_with_provider(provider())
            .with_safe_default_protocol_versions()
            .expect("the default provider supports the default protocol versions")
            .with_no_client_auth()
            .with_cert_resolver(self.clone());
        cfg.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
        Arc::new(cfg)
    }
}

impl ResolvesServerCert for CertStore {
    fn resolve(&self, _hello: ClientHello<'_>) -> Option<Arc<CertifiedKey>> {
        Some(
            self.current
                .read()
                .unwrap_or_else(|e| e.into_inner())
                .clone(),
        )
    }
}
