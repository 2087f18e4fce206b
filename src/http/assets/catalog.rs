//! What the web UI's files are served as, built once from the embedded `web/` folder.
//!
//! - Every file also has a **content-hashed URL**, `/static/<dir>/<name>.<hash>.<ext>`, cached
//!   by browsers for a year (`immutable`): a new release changes the hash of each file that
//!   changed, and only those are fetched again.
//! - JavaScript modules import each other by their plain paths (`./dom.js`); the page's
//!   **import map** sends each plain `/static/…` path to its hashed URL, so a module's hash
//!   covers its own bytes only and the files stay as they are written.
//! - The stylesheets named in `index.html` are served as **one** file, in their order.
//! - `index.html` becomes the **shell**: those links replaced by the hashed ones, the import
//!   map and module preloads added. It is served `no-cache` with an ETag.
//! - Each text file has a **brotli** copy made at build time (`src/build.rs`, quality 11), the
//!   stylesheet bundle too (`src/build.rs` writes the same text with `files::stylesheet_bundle`);
//!   the sheets it holds and `index.html` have none, as they are served only through the
//!   bundle and the shell. Each is also **gzipped once** (level 9), the first time a client
//!   that does not take brotli asks for it. The shell is written here, at the first request,
//!   so it is gzip only (1.3 KB): brotli would mean writing the import map at build time too.
//! - The Swagger UI of `/api/docs` (`web/api-docs/`, 1.6 MB) is kept out of this catalog and
//!   out of memory until someone opens that page (`docs.rs`).
//!
//! The import map is an inline script: its SHA-256 goes into the Content-Security-Policy
//! (`script_hash`), which allows it and nothing else inline.

use std::collections::HashMap;
use std::sync::{Arc, LazyLock, OnceLock};

use base64::Engine as _;
use bytes::Bytes;
use rust_embed::RustEmbed;
use sha2::{Digest, Sha256};

pub use super::files::mime;
use super::files::{self, attr, hashed_path};

#[derive(RustEmbed)]
#[folder = "web/"]
pub(super) struct Web;

/// The brotli copies `src/build.rs` made: `(content hash of the served bytes, brotli bytes)`,
/// sorted by hash. A generated table of `include_bytes!` rather than a second `RustEmbed`:
/// rust-embed's `compression` (which the web UI uses) deflates every embedded folder, which
/// would only wrap already compressed bytes, and takes no folder outside the crate (`OUT_DIR`).
/// Served from the binary's own pages, so they take no heap.
mod precompressed {
    include!(concat!(env!("OUT_DIR"), "/brotli.rs"));
}

/// The folder of the API docs' files (`docs.rs`), left out of the app's catalog.
pub(super) const DOCS_DIR: &str = "api-docs/";

/// One file's bytes, shared by the URLs that serve it.
pub struct Asset {
    pub data: Bytes,
    pub mime: &'static str,
    /// A strong ETag of `data`, quoted.
    pub etag: String,
    gzipped: OnceLock<Option<Bytes>>,
    brotli: Option<Bytes>,
}

impl Asset {
    pub(super) fn new(data: Vec<u8>, mime: &'static str) -> Arc<Self> {
        let hash = files::content_hash(&data);
        let brotli = files::worth_compressing(mime, data.len())
            .then(|| precompressed::BROTLI.binary_search_by(|(h, _)| (*h).cmp(hash.as_str())))
            .and_then(Result::ok)
            .map(|at| Bytes::from_static(precompressed::BROTLI[at].1));
        Arc::new(Self {
            data: Bytes::from(data),
            mime,
            etag: format!("\"{hash}\""),
            gzipped: OnceLock::new(),
            brotli,
        })
    }

    /// The gzipped bytes, made on first use, when the file is text worth compressing.
    pub fn gzipped(&self) -> Option<&Bytes> {
        if !files::worth_compressing(self.mime, self.data.len()) {
            return None;
        }
        self.gzipped
            .get_or_init(|| gzip_best(&self.data).map(Bytes::from))
            .as_ref()
    }

    /// Whether `gzipped` would compress now (then a large file is better done off the
    /// runtime's workers).
    pub fn gzip_pending(&self) -> bool {
        self.gzipped.get().is_none() && files::worth_compressing(self.mime, self.data.len())
    }

    /// The brotli bytes made at build time, if the file is text worth compressing and these
    /// are its bytes (a debug build reads `web/` from disk: an edited file has no copy until
    /// the next build, and is sent gzipped meanwhile).
    pub fn brotli(&self) -> Option<&Bytes> {
        self.brotli.as_ref()
    }
}

fn gzip_best(data: &[u8]) -> Option<Vec<u8>> {
    use std::io::Write;
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    e.write_all(data).ok()?;
    e.finish().ok()
}

/// A file as one URL serves it.
pub struct Served<'a> {
    pub asset: &'a Asset,
    /// Whether the URL names the content (then what it serves never changes).
    pub immutable: bool,
}

/// Files by the URL paths that serve them, and each file's hashed URL.
#[derive(Default)]
pub(super) struct Files {
    /// URL path (without the leading `/`) → the file, and whether that URL is its hashed one.
    by_url: HashMap<String, (Arc<Asset>, bool)>,
    /// A file's path → its content-hashed URL path.
    pub(super) urls: HashMap<String, String>,
}

impl Files {
    /// Adds the file at `path` (`js/main.js`) under its hashed URL, `static/<path>` and `path`.
    pub(super) fn add(&mut self, path: &str, data: Vec<u8>) {
        let hashed = hashed_path(path, &data);
        let asset = Asset::new(data, mime(path));
        self.urls.insert(path.to_owned(), hashed.clone());
        self.by_url.insert(hashed, (asset.clone(), true));
        self.by_url
            .insert(format!("static/{path}"), (asset.clone(), false));
        self.by_url.insert(path.to_owned(), (asset, false));
    }

    pub(super) fn get(&self, path: &str) -> Option<Served<'_>> {
        (self.by_url.get(path)).map(|(asset, immutable)| Served {
            asset,
            immutable: *immutable,
        })
    }
}

/// The served files by URL path (without the leading `/`).
pub struct Catalog {
    files: Files,
    /// The rendered `index.html`.
    pub shell: Arc<Asset>,
    /// `'sha256-…'` of the import map, for the CSP's `script-src`.
    pub script_hash: String,
}

static CATALOG: LazyLock<Catalog> = LazyLock::new(build);

pub fn catalog() -> &'static Catalog {
    &CATALOG
}

impl Catalog {
    /// The file at `path` (no leading `/`): a hashed `static/…` URL, a plain `static/…` one, or
    /// a file's own path (`js/main.js`, as older pages and scripts asked for it). The API
    /// docs' files are looked up (and loaded, the first time) only under their folder.
    pub fn get(&self, path: &str) -> Option<Served<'_>> {
        let docs = path.strip_prefix("static/").unwrap_or(path);
        if docs.starts_with(DOCS_DIR) {
            return super::docs::docs().files.get(path);
        }
        self.files.get(path)
    }

    /// The content-hashed URL of the file at `path` (`css/base.css`), for pages the server
    /// writes itself; the plain path if there is no such file.
    pub fn url(&self, path: &str) -> String {
        match self.files.urls.get(path) {
            Some(hashed) => format!("/{hashed}"),
            None => format!("/{path}"),
        }
    }
}

fn build() -> Catalog {
    let mut files = Files::default();
    let index = Web::get("index.html").map(|f| f.data.into_owned());
    let index = String::from_utf8(index.unwrap_or_default()).unwrap_or_default();
    for path in Web::iter().filter(|p| !p.starts_with(DOCS_DIR)) {
        if let Some(file) = Web::get(&path) {
            files.add(&path, file.data.into_owned());
        }
    }
    let (shell, bundle) = render_shell(&index, &files.urls, |path| {
        Web::get(path).map(|f| String::from_utf8_lossy(&f.data).into_owned())
    });
    let (bundle_url, bundle_data) = bundle;
    files.by_url.insert(
        bundle_url,
        (
            Asset::new(bundle_data.into_bytes(), mime(files::BUNDLE)),
            true,
        ),
    );
    let script_hash = import_map_hash(&shell.text);
    Catalog {
        files,
        shell: Asset::new(shell.text.into_bytes(), mime("index.html")),
        script_hash,
    }
}

struct Shell {
    text: String,
}

/// `index.html` as served, and the stylesheet bundle (its URL and text). `urls` maps a file's
/// path to its hashed URL; `read` gives a stylesheet's text.
fn render_shell(
    index: &str,
    urls: &HashMap<String, String>,
    read: impl Fn(&str) -> Option<String>,
) -> (Shell, (String, String)) {
    let url = |path: &str| match urls.get(path.trim_start_matches('/')) {
        Some(u) => format!("/{u}"),
        None => path.to_owned(),
    };
    let mut out = String::new();
    let mut bundle_at = None;
    for line in index.lines() {
        let trimmed = line.trim();
        if files::stylesheet(trimmed).is_some() {
            bundle_at.get_or_insert(out.len());
            continue;
        }
        if let Some(src) = attr(trimmed, "<script type=\"module\"", "src") {
            out.push_str(&import_map(urls));
            for dep in preloads(src, urls) {
                out.push_str(&format!("  <link rel=\"modulepreload\" href=\"{dep}\">\n"));
            }
            out.push_str(&format!(
                "  <script type=\"module\" src=\"{}\"></script>\n",
                url(src)
            ));
            continue;
        }
        if let Some(href) = attr(trimmed, "<link rel=\"icon\"", "href") {
            out.push_str(&line.replace(href, &url(href)));
            out.push('\n');
            continue;
        }
        out.push_str(line);
        out.push('\n');
    }
    // `src/build.rs` writes the same text (the same function) for the bundle's brotli copy.
    let css = files::stylesheet_bundle(index, read, &url("/favicon.svg"));
    let bundle_url = hashed_path(files::BUNDLE, css.as_bytes());
    let link = format!("  <link rel=\"stylesheet\" href=\"/{bundle_url}\">\n");
    out.insert_str(bundle_at.unwrap_or(0), &link);
    (Shell { text: out }, (bundle_url, css))
}

/// `<script type="importmap">`: each JavaScript file's plain `/static/…` path → its hashed URL.
fn import_map(urls: &HashMap<String, String>) -> String {
    let mut pairs: Vec<_> = (urls.iter())
        .filter(|(path, _)| path.ends_with(".js"))
        .map(|(path, hashed)| (format!("/static/{path}"), format!("/{hashed}")))
        .collect();
    pairs.sort();
    let imports: serde_json::Map<String, serde_json::Value> = (pairs.into_iter())
        .map(|(k, v)| (k, serde_json::Value::String(v)))
        .collect();
    let json = serde_json::json!({ "imports": imports });
    format!("  <script type=\"importmap\">{json}</script>\n")
}

/// The hashed URLs of the modules the entry module imports statically (`import … from
/// './x.js'` lines at its top), fetched in parallel with it instead of after it.
fn preloads(entry: &str, urls: &HashMap<String, String>) -> Vec<String> {
    let path = entry.trim_start_matches('/');
    let Some(text) = Web::get(path).map(|f| String::from_utf8_lossy(&f.data).into_owned()) else {
        return Vec::new();
    };
    let dir = path.rsplit_once('/').map_or("", |(d, _)| d);
    (text.lines())
        .filter(|l| l.starts_with("import "))
        .filter_map(|l| l.split(['\'', '"']).nth(1))
        .filter_map(|spec| spec.strip_prefix("./"))
        .filter_map(|name| urls.get(&format!("{dir}/{name}")))
        .map(|u| format!("/{u}"))
        .collect()
}

/// `'sha256-<base64>'` of the import map script's text, as a CSP source.
fn import_map_hash(shell: &str) -> String {
    let open = "<script type=\"importmap\">";
    let text = shell
        .find(open)
        .map(|at| &shell[at + open.len()..])
        .and_then(|rest| rest.find("</script>").map(|end| &rest[..end]))
        .unwrap_or("");
    let digest = Sha256::digest(text.as_bytes());
    format!(
        "'sha256-{}'",
        base64::engine::general_purpose::STANDARD.encode(digest)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shell_names_hashed_files_one_stylesheet_and_an_import_map_the_csp_allows() {
        let c = catalog();
        let shell = String::from_utf8(c.shell.data.to_vec()).unwrap();
        assert!(!shell.contains("href=\"/css/"), "{shell}");
        assert_eq!(shell.matches("rel=\"stylesheet\"").count(), 1, "{shell}");
        let main = attr(
            shell
                .lines()
                .map(str::trim)
                .find(|l| l.starts_with("<script type=\"module\""))
                .unwrap(),
            "<script type=\"module\"",
            "src",
        )
        .unwrap();
        assert!(main.starts_with("/static/js/main.") && main.ends_with(".js"));
        let served = c.get(main.trim_start_matches('/')).unwrap();
        assert!(served.immutable);
        assert_eq!(
            served.asset.data,
            Web::get("js/main.js").unwrap().data.as_ref()
        );
        // The import map sends every module's plain path to a served, immutable URL.
        let open = "<script type=\"importmap\">";
        let at = shell.find(open).unwrap() + open.len();
        let map: serde_json::Value =
            serde_json::from_str(&shell[at..at + shell[at..].find("</script>").unwrap()]).unwrap();
        let imports = map["imports"].as_object().unwrap();
        assert!(imports.contains_key("/static/js/views/login.js"));
        for (plain, hashed) in imports {
            let hashed = hashed.as_str().unwrap().trim_start_matches('/');
            assert!(c.get(hashed).is_some_and(|s| s.immutable), "{plain}");
            let plain = c.get(plain.trim_start_matches('/')).unwrap();
            assert!(!plain.immutable);
            assert_eq!(plain.asset.data, c.get(hashed).unwrap().asset.data);
        }
        // The CSP hash is the import map's.
        let text = &shell[at..at + shell[at..].find("</script>").unwrap()];
        let b64 = base64::engine::general_purpose::STANDARD.encode(Sha256::digest(text));
        assert_eq!(c.script_hash, format!("'sha256-{b64}'"));
        // main.js's static imports are preloaded.
        assert!(shell.contains(&format!(
            "<link rel=\"modulepreload\" href=\"{}\">",
            imports["/static/js/dom.js"].as_str().unwrap()
        )));
    }

    #[test]
    fn the_stylesheet_bundle_holds_every_linked_sheet_in_order_with_the_logo_hashed() {
        let index = r#"<head>
  <link rel="icon" href="/favicon.svg" type="image/svg+xml">
  <link rel="stylesheet" href="/css/a.css">
  <link rel="stylesheet" href="/css/b.css">
  <title>x</title>
</head>"#;
        let urls: HashMap<String, String> = [
            ("favicon.svg", "static/favicon.0123456789.svg"),
            ("css/a.css", "static/css/a.1.css"),
        ]
        .into_iter()
        .map(|(a, b)| (a.to_owned(), b.to_owned()))
        .collect();
        let (shell, (url, css)) = render_shell(index, &urls, |p| {
            Some(match p {
                "css/a.css" => "a { background: url(\"/favicon.svg\") }".into(),
                _ => "b {}".into(),
            })
        });
        assert!(css.find("a {").unwrap() < css.find("b {}").unwrap());
        assert!(css.contains("url(\"/static/favicon.0123456789.svg\")"));
        assert!(url.starts_with("static/app.") && url.ends_with(".css"));
        assert!(shell
            .text
            .contains(&format!("<link rel=\"stylesheet\" href=\"/{url}\">")));
        assert!(shell
            .text
            .contains("<link rel=\"icon\" href=\"/static/favicon.0123456789.svg\""));
        assert!(shell.text.find("stylesheet").unwrap() < shell.text.find("<title>").unwrap());
    }

    #[test]
    fn every_text_file_and_the_bundle_have_a_brotli_copy_that_decodes_to_them() {
        use std::io::Read;
        let c = catalog();
        let docs = &super::super::docs::docs().files;
        // Each file by its path, and the bundle.
        let mut all: Vec<(&str, &Asset)> = (c.files.urls.iter().chain(docs.urls.iter()))
            .map(|(path, url)| (path.as_str(), c.get(url).unwrap().asset))
            .collect();
        let (_, (bundle, _)) = (c.files.by_url.iter())
            .find(|(url, _)| url.starts_with("static/app."))
            .unwrap();
        all.push((files::BUNDLE, bundle));
        // Served only inside the bundle and as the shell: no copies of their own (src/build.rs).
        let index = Web::get("index.html").unwrap().data;
        let index = String::from_utf8_lossy(&index);
        let mut bundled: Vec<&str> = (index.lines())
            .filter_map(|l| files::stylesheet(l.trim()))
            .map(|href| href.trim_start_matches('/'))
            .collect();
        bundled.push("index.html");
        let mut copies = 0;
        for (path, asset) in all {
            let Some(br) = asset.brotli() else {
                assert!(
                    bundled.contains(&path)
                        || !files::worth_compressing(asset.mime, asset.data.len()),
                    "{path} has no brotli copy"
                );
                continue;
            };
            assert!(!bundled.contains(&path), "{path}");
            let mut back = Vec::new();
            brotli_decompressor::Decompressor::new(&br[..], 4096)
                .read_to_end(&mut back)
                .unwrap();
            assert_eq!(back, asset.data, "{path}");
            copies += 1;
        }
        // The bundle's among them: src/build.rs wrote the same text as the server.
        assert!(bundle.brotli().is_some());
        assert!(copies > 20, "{copies}");
        assert!(c.shell.brotli().is_none(), "written at start: gzip only");
    }

    #[test]
    fn text_files_are_gzipped_once_and_small_or_binary_ones_not() {
        let c = catalog();
        let main = c.get("js/main.js").unwrap().asset;
        let gz = main.gzipped().unwrap();
        assert!(gz.len() < main.data.len() / 2);
        assert!(std::ptr::eq(gz, main.gzipped().unwrap()), "made once");
        let tiny = Asset::new(b"x".to_vec(), mime("a.js"));
        assert!(tiny.gzipped().is_none());
        let png = Asset::new(vec![0; 4096], mime("a.png"));
        assert!(png.gzipped().is_none());
    }
}
