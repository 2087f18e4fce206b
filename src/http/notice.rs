//! `/privacy`: the privacy notice as a page of its own, rendered on the server from the same data
//! as `/api/v1/privacy-notice`, so it reads without JavaScript and without signing in.

use poem::http::StatusCode;
use poem::{Endpoint, IntoResponse, Response};

use super::api::notice::{notice_dto, PrivacyNoticeDto};
use crate::service::Services;

/// The page's endpoint.
pub fn page(svc: Services) -> impl Endpoint<Output = Response> {
    poem::endpoint::make(move |_req| {
        let svc = svc.clone();
        async move {
            match svc.notice().current().await {
                Ok(n) => poem::web::Html(render(&notice_dto(&n))).into_response(),
                Err(e) => {
                    tracing::error!(error = %e, chain = ?e, "privacy notice failed");
                    Response::builder()
                        .status(StatusCode::INTERNAL_SERVER_ERROR)
                        .body("The privacy notice is unavailable; try again later.")
                }
            }
        }
    })
}

fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The notice as HTML; every configured string is escaped.
pub fn render(n: &PrivacyNoticeDto) -> String {
    let mut h = String::new();
    let controller = match (&n.controller, &n.contact) {
        (Some(c), Some(k)) => format!("<p>This instance is run by <strong>{}</strong>. Contact about privacy: <span id=\"contact\">{}</span>.</p>", esc(c), esc(k)),
        (Some(c), None) => format!("<p>This instance is run by <strong>{}</strong>.</p>", esc(c)),
        (None, Some(k)) => format!("<p>Contact about privacy: <span id=\"contact\">{}</span>.</p>", esc(k)),
        (None, None) => "<p class=\"muted\">The administrator has not named who runs this instance (config <code>privacy.controller</code>).</p>".into(),
    };
    h.push_str(&controller);
    h.push_str("<h2>What is stored, why, and for how long</h2>\n<table id=\"categories\"><thead><tr><th scope=\"col\">Data</th><th scope=\"col\">What</th><th scope=\"col\">Why</th><th scope=\"col\">Kept</th></tr></thead><tbody>\n");
    for c in &n.categories {
        h.push_str(&format!(
            "<tr><th scope=\"row\">{}</th><td data-label=\"What\">{}</td><td data-label=\"Why\">{}</td><td class=\"retention\" data-label=\"Kept\">{}</td></tr>\n",
            esc(&c.name),
            esc(&c.what),
            esc(&c.purpose),
            esc(&c.retention)
        ));
    }
    h.push_str("</tbody></table>\n");
    h.push_str(&format!("<p>{}</p>\n", esc(&n.backups)));
    h.push_str("<h2>Cookies</h2>\n<table id=\"cookies\"><thead><tr><th scope=\"col\">Name</th><th scope=\"col\">Purpose</th><th scope=\"col\">Lifetime</th></tr></thead><tbody>\n");
    for c in &n.cookies {
        h.push_str(&format!(
            "<tr><th scope=\"row\"><code class=\"cookie-name\">{}</code></th><td data-label=\"Purpose\">{}</td><td data-label=\"Lifetime\">{}</td></tr>\n",
            esc(&c.name),
            esc(&c.purpose),
            esc(&c.lifetime)
        ));
    }
    h.push_str("</tbody></table>\n<h2>Who else processes the data</h2>\n");
    if n.processors.is_empty() {
        h.push_str("<p id=\"processors\">Nobody: the data stays on this server. No third-party scripts, fonts, analytics or trackers are used.</p>\n");
    } else {
        h.push_str("<ul id=\"processors\">\n");
        for p in &n.processors {
            h.push_str(&format!("<li>{}</li>\n", esc(p)));
        }
        h.push_str(
            "</ul>\n<p>No third-party scripts, fonts, analytics or trackers are used.</p>\n",
        );
    }
    // "The contact above" exists only when one is configured; otherwise say whom to ask (#14).
    let ask = if n.contact.is_some() {
        "through the contact above"
    } else {
        "by asking the administrators of this instance"
    };
    h.push_str(&format!("<h2>Your rights</h2>\n<p id=\"rights\">You can see and download what is stored about you on your account page, and ask for correction or erasure there or {ask}. Reads of your data by others (managers, administrators, exports) are recorded in the audit log.</p>\n"));
    // The web UI's files by their content-hashed URLs (cached for a year).
    let assets = super::assets::catalog();
    let (icon, base_css, privacy_css) = (
        assets.url("favicon.svg"),
        assets.url("css/base.css"),
        assets.url("css/privacy.css"),
    );
    format!(
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<meta name=\"color-scheme\" content=\"light dark\">\n<meta name=\"referrer\" content=\"no-referrer\">\n<title>Privacy notice · OphionTT</title>\n<link rel=\"icon\" href=\"{icon}\" type=\"image/svg+xml\">\n<link rel=\"stylesheet\" href=\"{base_css}\">\n<link rel=\"stylesheet\" href=\"{privacy_css}\">\n</head>\n<body>\n<main class=\"privacy-notice\">\n<h1>Privacy notice</h1>\n<p class=\"muted\">Generated from this instance's configuration. Last updated <time id=\"last-updated\" datetime=\"{}\">{}</time>.</p>\n{h}<p><a href=\"/\">Back to OphionTT</a> · <a href=\"/api/v1/privacy-notice\">This notice as JSON</a></p>\n</main>\n</body>\n</html>\n",
        esc(&n.last_updated),
        esc(&n.last_updated_on),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn configured_text_is_escaped() {
        assert_eq!(
            esc("<b>\"A&B\"</b>"),
            "&lt;b&gt;&quot;A&amp;B&quot;&lt;/b&gt;"
        );
    }
}
