//! Brotli copies of the web UI's files, made once at build time so that the binary sends brotli
//! without carrying a brotli encoder (its 1 MB did not fit the binary's budget).
//!
//! Each text file of `web/` worth compressing, and the stylesheet bundle the server writes from
//! the sheets `index.html` links (instead of those sheets, and of `index.html`, which the server
//! serves only rewritten as the shell), is compressed at quality 11 into `$OUT_DIR/brotli/<hash>.br`,
//! named by the content hash of the bytes the server will serve; `$OUT_DIR/brotli.rs` lists them
//! for `src/http/assets/catalog.rs` to `include_bytes!`. A copy whose file is unchanged is kept
//! from the build before (quality 11 is slow: about 2 s for Swagger UI's bundle).
//!
//! It reads `web/` only and downloads nothing.

// The rules the server follows too (types, sizes, hashes, the bundle's text).
#[allow(dead_code)]
#[path = "http/assets/files.rs"]
mod files;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::{env, fs, io};

/// Brotli's densest setting, and its largest standard window (4 MiB).
const QUALITY: i32 = 11;
const WINDOW_BITS: i32 = 22;

fn main() -> io::Result<()> {
    println!("cargo::rerun-if-changed=web");
    println!("cargo::rerun-if-changed=src/http/assets/files.rs");
    println!("cargo::rerun-if-changed=src/build.rs");
    let web = Path::new(&env::var_os("CARGO_MANIFEST_DIR").expect("set by cargo")).join("web");
    let out = PathBuf::from(env::var_os("OUT_DIR").expect("set by cargo"));
    let dir = out.join("brotli");
    fs::create_dir_all(&dir)?;

    let read = |p: &str| fs::read(web.join(p)).ok();
    let text = |b: Vec<u8>| String::from_utf8_lossy(&b).into_owned();
    let index = read("index.html").map(text).unwrap_or_default();
    // Served as the shell and the bundle, never as they are: no copies of their own.
    let bundled: Vec<&str> = (index.lines())
        .filter_map(|l| files::stylesheet(l.trim()))
        .map(|href| href.trim_start_matches('/'))
        .chain(["index.html"])
        .collect();

    // Content hash → (copy, what it was made from).
    let mut table = BTreeMap::new();
    let mut paths = Vec::new();
    walk(&web, &mut paths)?;
    paths.sort();
    for path in paths {
        let name = path.strip_prefix(&web).expect("under web/");
        let name = (name.components())
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/");
        let data = fs::read(&path)?;
        if !bundled.contains(&name.as_str())
            && files::worth_compressing(files::mime(&name), data.len())
        {
            add(&mut table, &dir, name, &data)?;
        }
    }

    let favicon = format!(
        "/{}",
        files::hashed_path("favicon.svg", &read("favicon.svg").unwrap_or_default())
    );
    let css = files::stylesheet_bundle(&index, |p| read(p).map(text), &favicon);
    add(&mut table, &dir, files::BUNDLE.to_owned(), css.as_bytes())?;

    // Copies of files that changed since: not listed, so not embedded; removed.
    for entry in fs::read_dir(&dir)? {
        let path = entry?.path();
        let listed =
            (path.file_stem().and_then(|s| s.to_str())).is_some_and(|h| table.contains_key(h));
        if !listed {
            fs::remove_file(&path)?;
        }
    }

    let mut rs = String::from(
        "/// Written by build.rs: (content hash of the served bytes, their brotli copy), by hash.\n\
         pub static BROTLI: &[(&str, &[u8])] = &[\n",
    );
    for (hash, (copy, source)) in &table {
        rs.push_str(&format!(
            "    // {source}\n    ({hash:?}, include_bytes!({:?})),\n",
            copy.display().to_string()
        ));
    }
    rs.push_str("];\n");
    fs::write(out.join("brotli.rs"), rs)
}

/// The files under `dir`, recursively.
fn walk(dir: &Path, into: &mut Vec<PathBuf>) -> io::Result<()> {
    for entry in fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            walk(&path, into)?;
        } else {
            into.push(path);
        }
    }
    Ok(())
}

/// Lists the brotli copy of `data` (from `source`), compressing it unless it is there already.
fn add(
    table: &mut BTreeMap<String, (PathBuf, String)>,
    dir: &Path,
    source: String,
    data: &[u8],
) -> io::Result<()> {
    let hash = files::content_hash(data);
    let copy = dir.join(format!("{hash}.br"));
    if !copy.exists() {
        let params = brotli::enc::BrotliEncoderParams {
            quality: QUALITY,
            lgwin: WINDOW_BITS,
            size_hint: data.len(),
            ..Default::default()
        };
        let mut br = Vec::with_capacity(data.len() / 4);
        brotli::BrotliCompress(&mut &data[..], &mut br, &params)?;
        // Written whole, then renamed: an interrupted build leaves no truncated copy.
        let part = copy.with_extension("part");
        fs::write(&part, &br)?;
        fs::rename(&part, &copy)?;
    }
    table.insert(hash, (copy, source));
    Ok(())
}
