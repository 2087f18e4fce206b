//! The web UI's files: content-hashed URLs cached for a year, the shell and plain paths
//! revalidated, text sent in brotli (made at build time) or gzipped (made once) when asked, and
//! a CSP that allows the shell's import map by its hash and no other inline script. The API
//! docs page (Swagger UI) is served the same way.

use std::io::Read;

use reqwest::header::{
    ACCEPT_ENCODING, CACHE_CONTROL, CONTENT_ENCODING, CONTENT_SECURITY_POLICY, ETAG, IF_NONE_MATCH,
};

use crate::helpers::{Client, Server};

async fn get(c: &Client, path: &str, headers: &[(&str, &str)]) -> reqwest::Response {
    let mut req = c.http.get(format!("{}{path}", c.base));
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    req.send().await.unwrap()
}

/// The value of `attr="…"` on the first line of `html` that contains `marker`.
fn attr_of<'a>(html: &'a str, marker: &str, attr: &str) -> &'a str {
    let line = html.lines().find(|l| l.contains(marker)).unwrap();
    let from = line.find(&format!("{attr}=\"")).unwrap() + attr.len() + 2;
    &line[from..from + line[from..].find('"').unwrap()]
}

#[tokio::test]
async fn hashed_files_are_immutable_the_shell_revalidates_and_gzip_is_served_when_asked() {
    let s = Server::start();
    let c = Client::new(&s.base);
    let shell = get(&c, "/login", &[]).await;
    assert_eq!(shell.status().as_u16(), 200);
    assert_eq!(shell.headers()[CACHE_CONTROL], "no-cache");
    let csp = shell.headers()[CONTENT_SECURITY_POLICY]
        .to_str()
        .unwrap()
        .to_owned();
    let html = shell.text().await.unwrap();

    // The import map is the only inline script, and the policy names its hash.
    assert_eq!(html.matches("<script").count(), 2, "{html}");
    let open = "<script type=\"importmap\">";
    let at = html.find(open).unwrap() + open.len();
    let map = &html[at..at + html[at..].find("</script>").unwrap()];
    use base64::Engine as _;
    use sha2::Digest as _;
    let hash = base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(map));
    assert!(
        csp.contains(&format!("script-src 'self' 'sha256-{hash}';")),
        "{csp}"
    );
    assert!(!csp.contains("unsafe-inline"), "{csp}");

    // The entry module, by its hashed URL: a year in caches, gzipped when asked.
    let main = attr_of(&html, "<script type=\"module\"", "src").to_owned();
    assert!(
        main.starts_with("/static/js/main.") && main.ends_with(".js"),
        "{main}"
    );
    let plain = get(&c, &main, &[]).await;
    assert_eq!(
        plain.headers()[CACHE_CONTROL],
        "public, max-age=31536000, immutable"
    );
    assert!(plain.headers().get(CONTENT_ENCODING).is_none());
    let etag = plain.headers()[ETAG].to_str().unwrap().to_owned();
    let text = plain.bytes().await.unwrap();
    let gz = get(&c, &main, &[("accept-encoding", "gzip")]).await;
    assert_eq!(gz.headers()[CONTENT_ENCODING], "gzip");
    assert_eq!(gz.headers()[ETAG].to_str().unwrap(), format!("W/{etag}"));
    let gz = gz.bytes().await.unwrap();
    assert!(gz.len() * 2 < text.len());
    let mut back = Vec::new();
    flate2::read::GzDecoder::new(&gz[..])
        .read_to_end(&mut back)
        .unwrap();
    assert_eq!(back, text);
    let again = get(
        &c,
        &main,
        &[
            (ACCEPT_ENCODING.as_str(), "gzip"),
            (IF_NONE_MATCH.as_str(), &format!("W/{etag}")),
        ],
    )
    .await;
    assert_eq!(again.status().as_u16(), 304);

    // The same file by its plain path: served, but revalidated.
    let by_path = get(&c, "/static/js/main.js", &[]).await;
    assert_eq!(by_path.headers()[CACHE_CONTROL], "no-cache");
    assert_eq!(by_path.bytes().await.unwrap(), text);

    // One stylesheet for the app.
    let css = attr_of(&html, "rel=\"stylesheet\"", "href").to_owned();
    assert!(
        css.starts_with("/static/app.") && css.ends_with(".css"),
        "{css}"
    );
    let sheet = get(&c, &css, &[]).await;
    assert_eq!(sheet.status().as_u16(), 200);
    assert!(sheet.text().await.unwrap().contains("/* /css/shell.css */"));

    // A hash that names no file is a 404, not the shell.
    let wrong = main.replace("/main.", "/main.0");
    assert_eq!(get(&c, &wrong, &[]).await.status().as_u16(), 404);
}

fn unbrotli(b: &[u8]) -> Vec<u8> {
    let mut back = Vec::new();
    brotli_decompressor::Decompressor::new(b, 4096)
        .read_to_end(&mut back)
        .unwrap();
    back
}

// See: #14 (brotli, made at build time).
#[tokio::test]
async fn hashed_files_and_the_stylesheet_bundle_come_in_brotli_when_asked_and_gzip_when_not() {
    let s = Server::start();
    let c = Client::new(&s.base);
    let html = get(&c, "/login", &[]).await.text().await.unwrap();
    let main = attr_of(&html, "<script type=\"module\"", "src").to_owned();
    let bundle = attr_of(&html, "rel=\"stylesheet\"", "href").to_owned();
    for url in [main, bundle] {
        // No Accept-Encoding: the file as it is.
        let plain = get(&c, &url, &[]).await;
        assert!(plain.headers().get(CONTENT_ENCODING).is_none(), "{url}");
        let etag = plain.headers()[ETAG].to_str().unwrap().to_owned();
        let text = plain.bytes().await.unwrap();

        // What browsers send: brotli, smaller than gzip, the same bytes once decoded.
        let br = get(&c, &url, &[("accept-encoding", "gzip, deflate, br")]).await;
        assert_eq!(br.status().as_u16(), 200);
        assert_eq!(br.headers()[CONTENT_ENCODING], "br", "{url}");
        assert_eq!(br.headers()[ETAG].to_str().unwrap(), format!("W/{etag}"));
        assert_eq!(br.headers()["vary"], "accept-encoding");
        assert_eq!(
            br.headers()[CACHE_CONTROL],
            "public, max-age=31536000, immutable"
        );
        let br = br.bytes().await.unwrap();
        assert_eq!(unbrotli(&br), text, "{url}");

        // Brotli refused: gzip.
        let gz = get(&c, &url, &[("accept-encoding", "br;q=0, gzip")]).await;
        assert_eq!(gz.headers()[CONTENT_ENCODING], "gzip", "{url}");
        let gz = gz.bytes().await.unwrap();
        let mut back = Vec::new();
        flate2::read::GzDecoder::new(&gz[..])
            .read_to_end(&mut back)
            .unwrap();
        assert_eq!(back, text, "{url}");
        assert!(
            br.len() < gz.len(),
            "{url}: br {} gzip {}",
            br.len(),
            gz.len()
        );

        // A brotli answer's weak tag revalidates.
        let again = get(
            &c,
            &url,
            &[
                (ACCEPT_ENCODING.as_str(), "gzip, deflate, br"),
                (IF_NONE_MATCH.as_str(), &format!("W/{etag}")),
            ],
        )
        .await;
        assert_eq!(again.status().as_u16(), 304, "{url}");

        // HEAD: the identity headers, whatever was asked for.
        let head = c
            .http
            .head(format!("{}{url}", c.base))
            .header(ACCEPT_ENCODING, "gzip, deflate, br")
            .send()
            .await
            .unwrap();
        assert_eq!(head.status().as_u16(), 200);
        assert!(head.headers().get(CONTENT_ENCODING).is_none(), "{url}");
        assert_eq!(head.headers()[ETAG].to_str().unwrap(), etag);
        assert_eq!(
            head.headers()["content-length"].to_str().unwrap(),
            text.len().to_string()
        );
    }
}

#[tokio::test]
async fn the_api_docs_page_loads_swagger_ui_by_hashed_urls_and_runs_no_inline_script() {
    let s = Server::start();
    let c = Client::new(&s.base);
    let page = get(&c, "/api/docs", &[("accept-encoding", "gzip, deflate, br")]).await;
    assert_eq!(page.status().as_u16(), 200);
    assert!(page.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/html"));
    let csp = page.headers()[CONTENT_SECURITY_POLICY]
        .to_str()
        .unwrap()
        .to_owned();
    let script_src = csp
        .split(';')
        .map(str::trim)
        .find(|d| d.starts_with("script-src"))
        .unwrap_or("");
    assert!(
        script_src.starts_with("script-src 'self'") && !script_src.contains("unsafe"),
        "{csp}"
    );
    assert!(!csp.contains("unsafe-inline"), "{csp}");
    let html = page.text().await.unwrap();

    // Every script is a file; Swagger UI's bundle, its stylesheet and our starter by hashed URL.
    assert_eq!(
        html.matches("<script").count(),
        html.matches("<script src=\"/static/").count(),
        "{html}"
    );
    assert!(!html.contains("<style"), "{html}");
    let bundle = attr_of(&html, "swagger-ui-bundle.", "src").to_owned();
    let sheet = attr_of(&html, "swagger-ui.", "href").to_owned();
    let starter = attr_of(&html, "/docs.", "src").to_owned();
    for url in [&bundle, &sheet, &starter] {
        assert!(
            url.starts_with("/static/api-docs/")
                && url.split('.').nth(1).is_some_and(|h| h.len() == 10),
            "{url}"
        );
        let r = get(&c, url, &[]).await;
        assert_eq!(r.status().as_u16(), 200, "{url}");
        assert_eq!(
            r.headers()[CACHE_CONTROL],
            "public, max-age=31536000, immutable"
        );
    }
    let starter = get(&c, &starter, &[]).await.text().await.unwrap();
    assert!(starter.contains("url: '/api/openapi.json'"), "{starter}");
    // Swagger UI's 1.45 MB goes over the wire as about a quarter of that.
    let plain = get(&c, &bundle, &[]).await.bytes().await.unwrap();
    let br = get(&c, &bundle, &[("accept-encoding", "gzip, deflate, br")]).await;
    assert_eq!(br.headers()[CONTENT_ENCODING], "br");
    let br = br.bytes().await.unwrap();
    assert!(
        br.len() * 4 < plain.len(),
        "{} of {}",
        br.len(),
        plain.len()
    );
    assert_eq!(unbrotli(&br), plain);
    // The document it shows is served.
    let spec = get(&c, "/api/openapi.json", &[]).await;
    assert_eq!(spec.status().as_u16(), 200);
}
