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
//! - Each text file is **gzipped once** (level 9), the first time a client asks for it.
//!
//! The import map is an inline script: its SHA-256 goes into the Content-Security-Policy
//! (`script_hash`), which allows it and nothing else inline.

use std::collections::HashMap;
use std::sync::{Arc, LazyLock, OnceLock};

use base64::Engine as _;
use bytes::Bytes;
use rust_embed::RustEmbed;
use sha2::{Digest, Sha256};

#[derive(RustEmbed)]
#[folder = "web/"]
struct Web;

/// One file's bytes, shared by the URLs that serve it.
pub struct Asset {
    pub data: Bytes,
    pub mime: &'static str,
    /// A strong ETag of `data`, quoted.
    pub etag: String,
    gzipped: OnceLock<Option<Bytes>>,
}

impl Asset {
    fn new(data: Vec<u8>, mime: &'static str) -> Arc<Self> {
        let etag = format!("\"{}\"", hex::encode(&Sha256::digest(&data)[..16]));
        Arc::new(Self {
            data: Bytes::from(data),
            mime,
            etag,
            gzipped: OnceLock::new(),
        })
    }

    /// The gzipped bytes, made on first use, when the file is text worth compressing.
    pub fn gzipped(&self) -> Option<&Bytes> {
        if self.data.len() < 1024 || !crate::http::compress::compressible(self.mime) {
            return None;
        }
        self.gzipped
            .get_or_init(|| gzip_best(&self.data).map(Bytes::from))
            .as_ref()
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

/// The served files by URL path (without the leading `/`).
pub struct Catalog {
    files: HashMap<String, (Arc<Asset>, bool)>,
    /// A file's path → its content-hashed URL path.
    urls: HashMap<String, String>,
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
    /// a file's own path (`js/main.js`, as older pages and scripts asked for it).
    pub fn get(&self, path: &str) -> Option<Served<'_>> {
        (self.files.get(path)).map(|(asset, immutable)| Served {
            asset,
            immutable: *immutable,
        })
    }

    /// The content-hashed URL of the file at `path` (`css/base.css`), for pages the server
    /// writes itself; the plain path if there is no such file.
    pub fn url(&self, path: &str) -> String {
        match self.urls.get(path) {
            Some(hashed) => format!("/{hashed}"),
            None => format!("/{path}"),
        }
    }
}

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

/// `js/main.js` + its bytes → `static/js/main.<10 hex>.js`.
fn hashed_path(path: &str, data: &[u8]) -> String {
    let hash = hex::encode(&Sha256::digest(data)[..5]);
    match path.rsplit_once('.') {
        Some((stem, ext)) if !stem.ends_with('/') => format!("static/{stem}.{hash}.{ext}"),
        _ => format!("static/{path}.{hash}"),
    }
}

fn build() -> Catalog {
    let mut files = HashMap::new();
    let mut urls: HashMap<String, String> = HashMap::new();
    let index = Web::get("index.html").map(|f| f.data.into_owned());
    let index = String::from_utf8(index.unwrap_or_default()).unwrap_or_default();
    for path in Web::iter() {
        let Some(file) = Web::get(&path) else {
            continue;
        };
        let data = file.data.into_owned();
        let hashed = hashed_path(&path, &data);
        let asset = Asset::new(data, mime(&path));
        urls.insert(path.to_string(), hashed.clone());
        files.insert(hashed, (asset.clone(), true));
        files.insert(format!("static/{path}"), (asset.clone(), false));
        files.insert(path.to_string(), (asset, false));
    }
    let (shell, bundle) = render_shell(&index, &urls, |path| {
        Web::get(path).map(|f| String::from_utf8_lossy(&f.data).into_owned())
    });
    let (bundle_url, bundle_data) = bundle;
    files.insert(
        bundle_url,
        (Asset::new(bundle_data.into_bytes(), mime("app.css")), true),
    );
    let script_hash = import_map_hash(&shell.text);
    Catalog {
        files,
        urls,
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
    let mut css = String::new();
    let mut out = String::new();
    let mut bundle_at = None;
    for line in index.lines() {
        let trimmed = line.trim();
        if let Some(href) = attr(trimmed, "<link rel=\"stylesheet\"", "href") {
            css.push_str(&format!("/* {href} */\n"));
            css.push_str(&read(href.trim_start_matches('/')).unwrap_or_default());
            css.push('\n');
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
    // Stylesheets may name other files (the logo): by their hashed URLs too.
    let css = css.replace("\"/favicon.svg\"", &format!("\"{}\"", url("/favicon.svg")));
    let bundle_url = hashed_path("app.css", css.as_bytes());
    let link = format!("  <link rel=\"stylesheet\" href=\"/{bundle_url}\">\n");
    out.insert_str(bundle_at.unwrap_or(0), &link);
    (Shell { text: out }, (bundle_url, css))
}

/// The value of `name="…"` in a line starting with `start`.
fn attr<'a>(line: &'a str, start: &str, name: &str) -> Option<&'a str> {
    if !line.starts_with(start) {
        return None;
    }
    let from = line.find(&format!(" {name}=\""))? + name.len() + 3;
    let len = line[from..].find('"')?;
    Some(&line[from..from + len])
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
