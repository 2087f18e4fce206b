//! What the server and `src/build.rs` must agree on about the web UI's files: their types, which
//! are worth compressing, their content hashes, and the stylesheet bundle's exact text.
//! `src/build.rs` includes this file by its path to make the brotli copies (it has no access to
//! the crate), so it uses only `std` and `sha2`, which both have; nothing here may name
//! `crate::…`. A difference between the two sides costs nothing but the brotli copy: the server
//! finds copies by the hash of the bytes it serves and sends gzip when it finds none.

use sha2::{Digest, Sha256};

/// The stylesheets named in `index.html` are served as one file of this name (hashed).
pub const BUNDLE: &str = "app.css";

/// A web file's `Content-Type`, by its extension.
pub fn mime(path: &str) -> &'static str {
    match path.rsplit('.').next().unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "ico" => "image/x-icon",
        "json" => "application/json",
        "webmanifest" => "application/manifest+json",
        "txt" => "text/plain; charset=utf-8",
        "woff2" => "font/woff2",
        _ => "application/octet-stream",
    }
}

/// Whether a file of this type and size is sent compressed: text of 1 KiB or more (below
/// that, the coding's header and the `Content-Encoding` line cost more than they save).
pub fn worth_compressing(mime: &str, len: usize) -> bool {
    let t = mime.split(';').next().unwrap_or("").trim();
    len >= 1024
        && (t.starts_with("text/")
            || t == "application/json"
            || t.ends_with("+json")
            || t == "image/svg+xml")
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The first 16 bytes of the SHA-256 of `data`, in hex: the body of the file's `ETag` and
/// the name of its brotli copy.
pub fn content_hash(data: &[u8]) -> String {
    hex(&Sha256::digest(data)[..16])
}

/// `js/main.js` + its bytes → `static/js/main.<10 hex>.js`.
pub fn hashed_path(path: &str, data: &[u8]) -> String {
    let hash = hex(&Sha256::digest(data)[..5]);
    match path.rsplit_once('.') {
        Some((stem, ext)) if !stem.ends_with('/') => format!("static/{stem}.{hash}.{ext}"),
        _ => format!("static/{path}.{hash}"),
    }
}

/// The value of `name="…"` in a line starting with `start`.
pub fn attr<'a>(line: &'a str, start: &str, name: &str) -> Option<&'a str> {
    if !line.starts_with(start) {
        return None;
    }
    let from = line.find(&format!(" {name}=\""))? + name.len() + 3;
    let len = line[from..].find('"')?;
    Some(&line[from..from + len])
}

/// The stylesheet a (trimmed) line of `index.html` links, if it is such a line.
pub fn stylesheet(line: &str) -> Option<&str> {
    attr(line, "<link rel=\"stylesheet\"", "href")
}

/// The bundle's text: each stylesheet `index` links, in its order, under a comment naming
/// it; `read` gives a sheet's text by its path (`css/base.css`). Stylesheets name the logo by
/// its plain path; the bundle names it by `favicon_url`, its content-hashed one.
pub fn stylesheet_bundle(
    index: &str,
    read: impl Fn(&str) -> Option<String>,
    favicon_url: &str,
) -> String {
    let mut css = String::new();
    for href in index.lines().filter_map(|l| stylesheet(l.trim())) {
        css.push_str(&format!("/* {href} */\n"));
        css.push_str(&read(href.trim_start_matches('/')).unwrap_or_default());
        css.push('\n');
    }
    css.replace("\"/favicon.svg\"", &format!("\"{favicon_url}\""))
}
