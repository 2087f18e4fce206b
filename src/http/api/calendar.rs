//! Calendar subscriptions over HTTP: one's own list, creating one (its URL shown once),
//! revoking one, and the feed itself, which calendar apps poll with the secret in its URL.

use poem::Request;
use poem_openapi::param::Path;
use poem_openapi::payload::Binary;
use poem_openapi::{payload::Json, ApiResponse, Object, OpenApi};

use super::dto::id_or_not_found;
use super::rules::{Name, UuidOrEmpty};
use super::{ApiTags, HttpState};
use crate::domain::codes;
use crate::http::auth::{anonymous, SessionOnly, SignedIn};
use crate::http::problem::{invalid_field, ApiError};
use crate::service::{rfc3339, NewFeed, ServiceError, TokenView};

pub struct CalendarApi(pub HttpState);

/// A calendar subscription, without its URL (shown only when it is made).
#[derive(Object)]
struct FeedDto {
    id: String,
    name: String,
    /// The project whose entries it shows; none: its owner's own entries.
    #[oai(nullable)]
    project_id: Option<String>,
    /// `active` or `revoked`.
    state: String,
    created_at: String,
    /// When a calendar app last fetched it, and from where.
    #[oai(nullable)]
    last_used_at: Option<String>,
    #[oai(nullable)]
    last_used_ip: Option<String>,
    #[oai(nullable)]
    revoked_at: Option<String>,
}

impl From<TokenView> for FeedDto {
    fn from(v: TokenView) -> Self {
        let t = v.token;
        Self {
            id: t.id.to_string(),
            name: t.name,
            project_id: (t.calendar.and_then(|c| c.project_id)).map(|p| p.to_string()),
            state: v.state.as_str().to_owned(),
            created_at: rfc3339(t.created_at_ms),
            last_used_at: t.last_used_at_ms.map(rfc3339),
            last_used_ip: t.last_used_ip,
            revoked_at: t.revoked_at_ms.map(rfc3339),
        }
    }
}

#[derive(Object)]
struct FeedsDto {
    items: Vec<FeedDto>,
}

/// A new subscription.
#[derive(Object)]
struct NewFeedReq {
    /// Where it is used ("work calendar"): 1 to 100 characters.
    name: Name,
    /// A project the caller manages, for its team's entries; none or empty: one's own entries.
    #[oai(nullable)]
    project_id: Option<UuidOrEmpty>,
}

/// A subscription just made: `url` is shown this once and never again.
#[derive(Object)]
struct CreatedFeedDto {
    /// The address to subscribe to (`https://…/api/v1/calendar/otc_….ics`); anyone holding it
    /// reads the feed, so keep it private and revoke it when it leaks.
    url: String,
    /// The same address for apps that open `webcal://` links.
    webcal_url: String,
    feed: FeedDto,
}

#[derive(ApiResponse)]
enum Created {
    #[oai(status = 201)]
    Created(Json<CreatedFeedDto>),
}

#[derive(ApiResponse)]
enum Feed {
    /// The feed: one VEVENT per finished entry from half a year back to a month ahead.
    #[oai(status = 200, content_type = "text/calendar; charset=utf-8")]
    Ok(
        Binary<Vec<u8>>,
        #[oai(header = "Cache-Control")] String,
        #[oai(header = "Content-Disposition")] String,
    ),
}

fn feed_id(s: &str) -> Result<uuid::Uuid, ServiceError> {
    id_or_not_found(s, "calendar subscription", codes::CALENDAR_NOT_FOUND)
}

#[OpenApi(tag = "ApiTags::Account")]
impl CalendarApi {
    /// One's own calendar subscriptions, newest first. Roles: any signed-in user.
    #[oai(path = "/me/calendar-feeds", method = "get")]
    async fn list(&self, actor: SignedIn) -> Result<Json<FeedsDto>, ApiError> {
        let items = self.0.svc.calendar().list(&actor)?;
        Ok(Json(FeedsDto {
            items: items.into_iter().map(Into::into).collect(),
        }))
    }

    /// Makes a private calendar subscription URL, shown only this once; at most 20 live ones.
    /// With `project_id`, the project's entries (a manager of it, or an admin or auditor).
    /// Roles: admin, manager, member, auditor, in a browser session.
    #[oai(path = "/me/calendar-feeds", method = "post")]
    async fn create(
        &self,
        actor: SessionOnly,
        body: Json<NewFeedReq>,
    ) -> Result<Created, ApiError> {
        let b = body.0;
        let project_id = match b.project_id.map(|t| t.0).filter(|t| !t.trim().is_empty()) {
            Some(t) => Some(
                t.trim()
                    .parse()
                    .map_err(|_| invalid_field("project_id", "invalid", "not a project id"))?,
            ),
            None => None,
        };
        let input = NewFeed {
            name: b.name.0,
            project_id,
        };
        let (secret, t) = self.0.svc.calendar().create(&actor, input).await?;
        let url = format!(
            "{}/api/v1/calendar/{secret}.ics",
            self.0.svc.settings().base_url
        );
        let webcal_url =
            url.replacen("https://", "webcal://", 1)
                .replacen("http://", "webcal://", 1);
        let now = self.0.svc.now_ms();
        Ok(Created::Created(Json(CreatedFeedDto {
            url,
            webcal_url,
            feed: TokenView::of(t, now).into(),
        })))
    }

    /// Revokes one of one's calendar subscriptions at once (an admin: anyone's). Roles: the
    /// owner, admin; in a browser session.
    #[oai(path = "/me/calendar-feeds/:id", method = "delete")]
    async fn revoke(
        &self,
        actor: SessionOnly,
        id: Path<String>,
    ) -> Result<Json<FeedDto>, ApiError> {
        let v = self
            .0
            .svc
            .calendar()
            .revoke(&actor, feed_id(&id.0)?)
            .await?;
        Ok(Json(v.into()))
    }

    /// The feed of a subscription, for calendar apps: the secret in the URL is the only
    /// credential (`otc_….ics`). `404 calendar.not_found` when it is unknown or revoked.
    /// Roles: public (the secret authorizes).
    #[oai(path = "/calendar/:secret", method = "get")]
    async fn feed(&self, req: &Request, secret: Path<String>) -> Result<Feed, ApiError> {
        let body = self
            .0
            .svc
            .calendar()
            .feed(&anonymous(req), &secret.0)
            .await?;
        Ok(Feed::Ok(
            Binary(body.ics),
            "private, no-store".into(),
            "inline; filename=\"ophiontt.ics\"".into(),
        ))
    }
}
