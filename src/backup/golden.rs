//! Golden backups: a backup file made by the version that made `tests/golden/`, plain and
//! age-encrypted (to the test identity `tests/golden/backup-identity.txt`, which protects
//! nothing but these fixtures), must still verify and restore to the store fixtures
//! (`crate::store::golden`). With `OPHIONTT_WRITE_GOLDEN=1` the files are made instead: see
//! `src/store/golden/` for when that is allowed.

use std::path::PathBuf;

use super::{Decrypt, Encrypt, Progress};
use crate::store::golden::{self, T0};
use crate::store::Store;

const PLAIN: &str = "backup.backup.zst";
const ENCRYPTED: &str = "backup.backup.zst.age";
const IDENTITY: &str = "backup-identity.txt";

/// The created time in the files' headers.
const CREATED_MS: i64 = T0 + 3_600_000;

async fn write_golden() {
    use age::secrecy::ExposeSecret;
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path(), T0).unwrap();
    golden::populate(&store, &golden::fixtures()).await;
    let identity = age::x25519::Identity::generate();
    std::fs::write(
        golden::path(IDENTITY),
        format!(
            "# A test key for the golden backup fixture only (synthetic data); not a secret.\n{}\n",
            identity.to_string().expose_secret()
        ),
    )
    .unwrap();
    let recipient = identity.to_public().to_string();
    for (name, how) in [(PLAIN, Encrypt::None), (ENCRYPTED, Encrypt::To(recipient))] {
        let _ = std::fs::remove_file(golden::path(name));
        super::create(&store, &golden::path(name), &how, CREATED_MS)
            .await
            .unwrap();
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn golden_backups_verify_and_restore_to_the_fixtures() {
    if golden::writing() {
        write_golden().await;
    }
    // Made before the `weeks` tree: they restore with no week records.
    let fixtures = golden::fixtures().before_weeks();
    let cases: [(&str, Decrypt); 2] = [
        (PLAIN, Decrypt::None),
        (ENCRYPTED, Decrypt::Identity(golden::path(IDENTITY))),
    ];
    for (name, decrypt) in cases {
        let file: PathBuf = golden::path(name);
        let progress = Progress::default();
        let header = super::verify(&file, &decrypt, &progress)
            .unwrap_or_else(|e| panic!("{name} no longer verifies: {e}"));
        assert_eq!((header.version, header.schema), (1, 4), "{name}");
        assert_eq!(header.created, "2026-01-01T01:00:00Z", "{name}");
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("data");
        super::restore(&file, &target, &decrypt, &progress, T0)
            .await
            .unwrap_or_else(|e| panic!("{name} no longer restores: {e}"));
        let store = Store::open(&target, T0).unwrap();
        golden::assert_holds(&store, &fixtures);
    }
}
