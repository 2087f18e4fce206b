//! The storage engine's own floor for one sequential writer on this machine, without HTTP or any
//! of OphionTT's code: sled 0.34 (the version the server uses), a plain `insert` then
//! `Db::flush`, and a four-tree transaction (like an entry create: the entry, its timeline row,
//! a tag row and an audit record) then `Db::flush`. Prints the p50 of each and the rate it
//! allows. Run by `tests/bench/floors.sh` (`cargo bench --bench sled_floor -- DIR`).

use std::time::Instant;

use sled::transaction::ConflictableTransactionError;
use sled::Transactional;

const RUNS: u64 = 3000;

fn p50(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn main() {
    // `cargo bench` passes `--bench`; the folder is the first other argument (a fresh one in
    // the temporary folder without it, removed at the end).
    let given = std::env::args().skip(1).find(|a| !a.starts_with("--"));
    let dir = given
        .clone()
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| {
            std::env::temp_dir().join(format!("ophiontt-sled-floor-{}", std::process::id()))
        });
    let db = sled::open(&dir).expect("opening sled");
    let t: Vec<sled::Tree> = (0..4)
        .map(|i| db.open_tree(format!("t{i}")).expect("opening a tree"))
        .collect();
    let mut plain = Vec::new();
    for i in 0..RUNS {
        let s = Instant::now();
        t[0].insert(i.to_be_bytes(), vec![7u8; 300]).unwrap();
        db.flush().unwrap();
        plain.push(s.elapsed().as_secs_f64() * 1e3);
    }
    let (mut tx_flush, mut tx_only) = (Vec::new(), Vec::new());
    for i in RUNS..2 * RUNS {
        let s = Instant::now();
        (&t[0], &t[1], &t[2], &t[3])
            .transaction(|(a, b, c, d)| {
                a.insert(&i.to_be_bytes(), vec![7u8; 300])?;
                b.insert(&i.to_be_bytes(), vec![1u8; 40])?;
                c.insert(&i.to_be_bytes(), vec![1u8; 40])?;
                d.insert(&i.to_be_bytes(), vec![9u8; 400])?;
                Ok::<_, ConflictableTransactionError<()>>(())
            })
            .unwrap();
        tx_only.push(s.elapsed().as_secs_f64() * 1e3);
        db.flush().unwrap();
        tx_flush.push(s.elapsed().as_secs_f64() * 1e3);
    }
    drop((t, db));
    if given.is_none() {
        let _ = std::fs::remove_dir_all(&dir);
    }
    let (a, b, c) = (p50(plain), p50(tx_flush), p50(tx_only));
    println!(
        "sled insert + flush: p50 {a:.3} ms ({:.0}/s); 4-tree transaction + flush: p50 {b:.3} ms \
         ({:.0}/s), of it the transaction {c:.3} ms",
        1e3 / a,
        1e3 / b
    );
}
