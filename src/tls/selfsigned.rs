//! `ophiontt tls self-signed`: a small private certificate authority (kept and reused, so
//! browsers need to trust it once) and a server certificate it signs for the given names.

use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

use chrono::{Datelike, Days, NaiveDate};
use rcgen::{
    date_time_ymd, BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa,
    Issuer, KeyPair, KeyUsagePurpose,
};

use super::TlsFiles;

/// How long the server certificate is valid: within the 398 days browsers accept.
const LEAF_DAYS: u64 = 397;
/// How long the private authority is valid.
const CA_DAYS: u64 = 3650;

/// What `self_signed` wrote.
pub struct SelfSigned {
    pub files: TlsFiles,
    /// The authority's certificate: the file people install as trusted.
    pub ca_cert: PathBuf,
    /// Whether an authority already in the folder was reused.
    pub reused_ca: bool,
    pub not_after: NaiveDate,
}

/// Sets a certificate's validity to whole days, `from` to `to` (UTC midnights).
fn validity(params: &mut CertificateParams, from: NaiveDate, to: NaiveDate) {
    params.not_before = date_time_ymd(from.year(), from.month() as u8, from.day() as u8);
    params.not_after = date_time_ymd(to.year(), to.month() as u8, to.day() as u8);
}

/// Writes `<data>/tls/{ca.pem, ca-key.pem, cert.pem, key.pem}` for `hosts` (DNS names or IP
/// addresses); keys are mode 0600. An authority already there is reused.
pub fn self_signed(
    data_dir: &Path,
    hosts: &[String],
    today: NaiveDate,
) -> Result<SelfSigned, String> {
    let dir = data_dir.join("tls");
    std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let ca_cert_path = dir.join("ca.pem");
    let ca_key_path = dir.join("ca-key.pem");
    let (ca_cert_pem, ca_key, reused_ca) = if ca_cert_path.exists() && ca_key_path.exists() {
        let key_pem = std::fs::read_to_string(&ca_key_path)
            .map_err(|e| format!("cannot read {}: {e}", ca_key_path.display()))?;
        let key = KeyPair::from_pem(&key_pem)
            .map_err(|e| format!("{} is not a usable key: {e}", ca_key_path.display()))?;
        let cert = std::fs::read_to_string(&ca_cert_path)
            .map_err(|e| format!("cannot read {}: {e}", ca_cert_path.display()))?;
        (cert, key, true)
    } else {
        let key = KeyPair::generate().map_err(|e| format!("generating a key: {e}"))?;
        let mut params = CertificateParams::new(Vec::<String>::new()).map_err(|e| e.to_string())?;
        params.distinguished_name.push(
            DnType::CommonName,
            format!("OphionTT local CA ({})", hosts[0]),
        );
        params.is_ca = IsCa::Ca(BasicConstraints::Constrained(0));
        params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
        validity(
            &mut params,
            today - Days::new(1),
            today + Days::new(CA_DAYS),
        );
        let cert = params
            .self_signed(&key)
            .map_err(|e| format!("signing the authority: {e}"))?;
        write(&ca_key_path, &key.serialize_pem(), 0o600)?;
        write(&ca_cert_path, &cert.pem(), 0o644)?;
        (cert.pem(), key, false)
    };
    let issuer = Issuer::from_ca_cert_pem(&ca_cert_pem, &ca_key)
        .map_err(|e| format!("{} is not a usable authority: {e}", ca_cert_path.display()))?;

    let mut params = CertificateParams::new(hosts.to_vec())
        .map_err(|e| format!("not a host name or IP address in {hosts:?}: {e}"))?;
    params
        .distinguished_name
        .push(DnType::CommonName, &hosts[0]);
    params.is_ca = IsCa::ExplicitNoCa;
    params.key_usages = vec![
        KeyUsagePurpose::DigitalSignature,
        KeyUsagePurpose::KeyEncipherment,
    ];
    params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
    params.use_authority_key_identifier_extension = true;
    let not_after = today + Days::new(LEAF_DAYS);
    validity(&mut params, today - Days::new(1), not_after);
    let key = KeyPair::generate().map_err(|e| format!("generating a key: {e}"))?;
    let cert = params
        .signed_by(&key, &issuer)
        .map_err(|e| format!("signing the certificate: {e}"))?;
    let files = TlsFiles::in_data_dir(data_dir);
    write(&files.key, &key.serialize_pem(), 0o600)?;
    // The chain: the server certificate, then the authority, so clients can build the path.
    write(
        &files.cert,
        &format!("{}{}", cert.pem(), ca_cert_pem),
        0o644,
    )?;
    Ok(SelfSigned {
        files,
        ca_cert: ca_cert_path,
        reused_ca,
        not_after,
    })
}

/// Writes a file through a temporary name and a rename, with `mode` from the start.
fn write(path: &Path, text: &str, mode: u32) -> Result<(), String> {
    let tmp = path.with_extension("tmp");
    let fail = |e: std::io::Error| format!("cannot write {}: {e}", path.display());
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(mode)
        .open(&tmp)
        .map_err(fail)?;
    f.write_all(text.as_bytes()).map_err(fail)?;
    f.sync_all().map_err(fail)?;
    std::fs::rename(&tmp, path).map_err(fail)
}
