//! The privacy notice as JSON (`/api/v1/privacy-notice`); `/privacy` renders the same data as a
//! page (`http::notice`). Roles: public.

use poem_openapi::{payload::Json, Object, OpenApi};

use super::{ApiTags, HttpState};
use crate::domain::notice::CATEGORIES;
use crate::http::problem::ApiError;
use crate::service::{rfc3339, PrivacyNotice};

pub struct NoticeApi(pub HttpState);

/// One category of personal data the instance stores.
#[derive(Object, Clone)]
pub struct DataCategoryDto {
    pub name: String,
    pub what: String,
    pub purpose: String,
    /// How long it is kept, from the instance's `retention.*` configuration.
    pub retention: String,
}

/// A cookie the instance sets (there is one).
#[derive(Object, Clone)]
pub struct CookieDto {
    pub name: String,
    pub purpose: String,
    pub lifetime: String,
}

/// The instance's privacy notice, generated from its configuration.
#[derive(Object, Clone)]
pub struct PrivacyNoticeDto {
    /// Who is responsible for the data; null when the admin has not said.
    #[oai(nullable)]
    pub controller: Option<String>,
    #[oai(nullable)]
    pub contact: Option<String>,
    pub categories: Vec<DataCategoryDto>,
    pub cookies: Vec<CookieDto>,
    /// Who else processes the data, as the admin lists them.
    pub processors: Vec<String>,
    pub backups: String,
    /// When the notice's content last changed (RFC 3339 UTC), and that day.
    pub last_updated: String,
    pub last_updated_on: String,
    /// SHA-256 of what the notice is generated from.
    pub content_hash: String,
}

fn span(secs: u64) -> String {
    match secs {
        s if s % 86_400 == 0 => crate::domain::notice::rule_in_words(&format!("{}d", s / 86_400)),
        s if s % 3600 == 0 => crate::domain::notice::rule_in_words(&format!("{}h", s / 3600)),
        s => format!("{} minutes", s / 60),
    }
}

/// The notice in the shape both the JSON and the page use.
pub fn notice_dto(n: &PrivacyNotice) -> PrivacyNoticeDto {
    let i = &n.inputs;
    let opt = |s: &str| Some(s.to_owned()).filter(|s| !s.is_empty());
    let updated = rfc3339(n.updated_ms);
    PrivacyNoticeDto {
        controller: opt(&i.controller),
        contact: opt(&i.contact),
        categories: CATEGORIES
            .iter()
            .filter(|c| c.name != "Exports" || i.exports_scheduled)
            .map(|c| DataCategoryDto {
                name: c.name.into(),
                what: c.what.into(),
                purpose: c.purpose.into(),
                retention: i.retention_of(c),
            })
            .collect(),
        cookies: vec![CookieDto {
            name: i.cookie_name.clone(),
            purpose: "Strictly necessary: it carries a random session token so that the server \
                      knows you are signed in. It is set only when you sign in, is HttpOnly and \
                      SameSite=Strict, is never used for tracking or analytics, and no other \
                      cookie or local storage is used, so no consent banner is needed."
                .into(),
            lifetime: format!(
                "until you sign out, after {} without activity, or at most {}",
                span(i.session_idle_secs),
                span(i.session_absolute_secs)
            ),
        }],
        processors: i.processors.clone(),
        backups: format!(
            "Scheduled backups keep the newest of each of the last {} days, {} weeks and {} months{}.",
            i.backup_keep.0,
            i.backup_keep.1,
            i.backup_keep.2,
            if i.backups_encrypted {
                ", encrypted"
            } else {
                ""
            }
        ),
        last_updated_on: updated.get(..10).unwrap_or_default().to_owned(),
        last_updated: updated,
        content_hash: n.hash.clone(),
    }
}

#[OpenApi(tag = "ApiTags::Account")]
impl NoticeApi {
    /// The instance's privacy notice, generated from its configuration: what is stored and why,
    /// for how long, the one cookie, who else processes the data, and when this last changed.
    /// Roles: public.
    #[oai(path = "/privacy-notice", method = "get")]
    async fn notice(&self) -> Result<Json<PrivacyNoticeDto>, ApiError> {
        let n = self.0.svc.notice().current().await?;
        Ok(Json(notice_dto(&n)))
    }
}
