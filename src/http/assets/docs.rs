//! The API documentation page, `/api/docs`: Swagger UI (`web/api-docs/`: its bundle and
//! stylesheet as upstream ships them, our page and the one-line script that starts it) over
//! `/api/openapi.json`.
//!
//! Its files are served like the web UI's (content-hashed URLs under `/static/api-docs/`,
//! brotli or gzip), but from a catalog of their own, loaded the first time one of them or the
//! page is asked for: the 1.6 MB of Swagger UI stay deflated in the binary, not inflated in
//! memory, on a server whose API page nobody opens. The page names its files by their hashed
//! URLs and runs no inline script, so it needs no policy of its own beyond the app's.

use std::sync::{Arc, LazyLock};

use super::catalog::{catalog, mime, Asset, Files, Web, DOCS_DIR};

/// The docs' files, and the page.
pub struct Docs {
    pub(super) files: Files,
    /// `api-docs/index.html` with each file it names by its hashed URL.
    pub page: Arc<Asset>,
}

static DOCS: LazyLock<Docs> = LazyLock::new(build);

pub fn docs() -> &'static Docs {
    &DOCS
}

fn build() -> Docs {
    let mut files = Files::default();
    for path in Web::iter().filter(|p| p.starts_with(DOCS_DIR)) {
        if let Some(file) = Web::get(&path) {
            files.add(&path, file.data.into_owned());
        }
    }
    let index = format!("{DOCS_DIR}index.html");
    let index = Web::get(&index).map(|f| String::from_utf8_lossy(&f.data).into_owned());
    let page = render(&index.unwrap_or_default(), &files, |path| {
        catalog().url(path)
    });
    Docs {
        files,
        page: Asset::new(page.into_bytes(), mime("index.html")),
    }
}

/// The page with each `"/<path>"` of one of its files replaced by the hashed URL; other
/// files (the icon) by `app_url`, the web UI's.
fn render(index: &str, files: &Files, app_url: impl Fn(&str) -> String) -> String {
    let mut page = index.to_owned();
    for (path, hashed) in &files.urls {
        page = page.replace(&format!("\"/{path}\""), &format!("\"/{hashed}\""));
    }
    page.replace(
        "\"/favicon.svg\"",
        &format!("\"{}\"", app_url("favicon.svg")),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_page_names_each_of_its_files_by_a_served_hashed_url_and_inlines_nothing() {
        let page = String::from_utf8(docs().page.data.to_vec()).unwrap();
        for file in ["swagger-ui-bundle.js", "swagger-ui.css", "docs.js"] {
            let hashed = &docs().files.urls[&format!("{DOCS_DIR}{file}")];
            assert!(page.contains(&format!("\"/{hashed}\"")), "{file}: {page}");
            let served = catalog().get(hashed).unwrap();
            assert!(served.immutable);
            // docs.js is under 1 KiB: sent as it is.
            let big = served.asset.data.len() >= 1024;
            assert_eq!(served.asset.brotli().is_some(), big, "{file}");
        }
        assert!(!page.contains("\"/api-docs/"), "{page}");
        assert!(page.contains(&catalog().url("favicon.svg")), "{page}");
        assert_eq!(page.matches("<script").count(), 2, "{page}");
        assert_eq!(page.matches("<script src=").count(), 2, "{page}");
        assert!(
            !page.contains("<style") && !page.contains(" style="),
            "{page}"
        );
        // Not part of the web UI: not in its import map.
        let shell = String::from_utf8(catalog().shell.data.to_vec()).unwrap();
        assert!(!shell.contains("api-docs"));
    }
}
