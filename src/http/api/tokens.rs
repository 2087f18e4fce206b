//! Personal API tokens over HTTP: one's own list, creating one (its secret shown once),
//! revoking one's own or (an admin) anyone's, and an admin's list of all. Creating and
//! revoking need a browser session: a token never makes or ends tokens.

use poem_openapi::param::Path;
use poem_openapi::{payload::Json, ApiResponse, Object, OpenApi};

use super::dto::id_or_not_found;
use super::rules::{Bounded, Name, OptDateOrInstant, ScopeList};
use super::{ApiTags, HttpState};
use crate::domain::codes;
use crate::http::auth::{SessionOnly, SignedIn};
use crate::http::problem::ApiError;
use crate::service::{rfc3339, NewToken, ServiceError, TokenView};

pub struct TokensApi(pub HttpState);

/// The person a token belongs to (in an admin's list).
#[derive(Object)]
struct TokenOwnerDto {
    id: String,
    name: String,
    email: String,
}

/// A personal API token, without its secret.
#[derive(Object)]
struct TokenDto {
    id: String,
    name: String,
    /// `read`, `write`, `admin`.
    scopes: Vec<String>,
    /// `active`, `expired` or `revoked`.
    state: String,
    created_at: String,
    expires_at: String,
    #[oai(nullable)]
    last_used_at: Option<String>,
    /// The address of its last use.
    #[oai(nullable)]
    last_used_ip: Option<String>,
    #[oai(nullable)]
    revoked_at: Option<String>,
    /// Who revoked it, when not its owner (`user:<id>`).
    #[oai(nullable)]
    revoked_by: Option<String>,
    /// Its owner: in an admin's list of every token.
    #[oai(nullable)]
    owner: Option<TokenOwnerDto>,
}

impl From<TokenView> for TokenDto {
    fn from(v: TokenView) -> Self {
        let t = v.token;
        Self {
            id: t.id.to_string(),
            name: t.name,
            scopes: t.scopes.iter().map(|s| s.as_str().to_owned()).collect(),
            state: v.state.as_str().to_owned(),
            created_at: rfc3339(t.created_at_ms),
            expires_at: rfc3339(t.expires_at_ms),
            last_used_at: t.last_used_at_ms.map(rfc3339),
            last_used_ip: t.last_used_ip,
            revoked_at: t.revoked_at_ms.map(rfc3339),
            revoked_by: t.revoked_by,
            owner: v.owner.map(|(name, email)| TokenOwnerDto {
                id: t.user_id.to_string(),
                name,
                email,
            }),
        }
    }
}

#[derive(Object)]
struct TokensDto {
    items: Vec<TokenDto>,
}

/// A new token.
#[derive(Object)]
struct NewTokenReq {
    /// Where it is used ("laptop terminal", "CI reports"): 1 to 100 characters.
    name: Name,
    /// At least one of `read`, `write`, `admin`; `write` and `admin` include `read`. `admin`
    /// only for admins and auditors.
    scopes: ScopeList,
    /// Days until it expires: 90 when neither this nor `expires_at` is given; at most
    /// `auth.token_max_days` (365 by default).
    #[oai(nullable)]
    expires_in_days: Option<Bounded<1, 3650>>,
    /// When it expires, instead of `expires_in_days`: a day (YYYY-MM-DD, its start in the
    /// caller's time zone) or an RFC 3339 instant, in the future.
    #[oai(nullable)]
    expires_at: Option<OptDateOrInstant>,
}

/// A token just created: `secret` is shown this once and never again.
#[derive(Object)]
struct CreatedTokenDto {
    /// Send it as `Authorization: Bearer <secret>`.
    secret: String,
    token: TokenDto,
}

#[derive(ApiResponse)]
enum Created {
    #[oai(status = 201)]
    Created(Json<CreatedTokenDto>),
}

fn token_id(s: &str) -> Result<uuid::Uuid, ServiceError> {
    id_or_not_found(s, "API token", codes::API_TOKEN_NOT_FOUND)
}

#[OpenApi(tag = "ApiTags::Account")]
impl TokensApi {
    /// One's own personal API tokens, newest first, with their last use; revoked and expired
    /// ones stay listed for a month. Roles: any signed-in user.
    #[oai(path = "/me/tokens", method = "get")]
    async fn list_own(&self, actor: SignedIn) -> Result<Json<TokensDto>, ApiError> {
        let items = self.0.svc.tokens().list_own(&actor)?;
        Ok(Json(TokensDto {
            items: items.into_iter().map(Into::into).collect(),
        }))
    }

    /// Creates a personal API token; the answer holds its secret, shown only this once.
    /// `api_token.limit` beyond 50 live tokens. Roles: any signed-in user, in a browser
    /// session; the `admin` scope: admins and auditors.
    #[oai(path = "/me/tokens", method = "post")]
    async fn create(
        &self,
        actor: SessionOnly,
        body: Json<NewTokenReq>,
    ) -> Result<Created, ApiError> {
        let b = body.0;
        let tz = actor.user.time_zone.tz();
        let expires_at_ms = match b.expires_at.as_deref().filter(|s| !s.trim().is_empty()) {
            Some(t) => Some(super::holds::day_or_instant("expires_at", t, tz)?),
            None => None,
        };
        let input = NewToken {
            name: b.name.0,
            scopes: b.scopes.0.into_iter().map(|s| s.0).collect(),
            expires_in_days: b.expires_in_days.map(|d| u32::try_from(d.0).unwrap_or(0)),
            expires_at_ms,
        };
        let (secret, t) = self.0.svc.tokens().create(&actor, input).await?;
        let now = self.0.svc.now_ms();
        Ok(Created::Created(Json(CreatedTokenDto {
            secret,
            token: TokenView::of(t, now).into(),
        })))
    }

    /// Every personal API token of the instance with its owner, newest first. Roles: admin.
    #[oai(path = "/tokens", method = "get")]
    async fn list_all(&self, actor: SignedIn) -> Result<Json<TokensDto>, ApiError> {
        let items = self.0.svc.tokens().list_all(&actor)?;
        Ok(Json(TokensDto {
            items: items.into_iter().map(Into::into).collect(),
        }))
    }

    /// Revokes a token at once: its owner may, and an admin may revoke anyone's. Revoking a
    /// revoked token changes nothing. Roles: the owner, admin; in a browser session.
    #[oai(path = "/tokens/:id", method = "delete")]
    async fn revoke(
        &self,
        actor: SessionOnly,
        id: Path<String>,
    ) -> Result<Json<TokenDto>, ApiError> {
        let v = self.0.svc.tokens().revoke(&actor, token_id(&id.0)?).await?;
        Ok(Json(v.into()))
    }
}
