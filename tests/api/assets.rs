//! The web UI's files: content-hashed URLs cached for a year, the shell and plain paths
//! revalidated, text sent gzipped when asked (made once), and a CSP that allows the shell's
//! import map by its hash and no other inline script.

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
    let gz = get(&c, &main, &[("accept-encoding", "gzip, br")]).await;
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
