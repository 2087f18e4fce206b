//! User administration. Roles: admin, for every endpoint here.

use poem_openapi::param::{Path, Query};
use poem_openapi::types::MaybeUndefined;
use poem_openapi::{payload::Json, ApiResponse, Object, OpenApi};

use super::dto::{decode_cursor, encode_cursor, LinkDto, RoleDto, UserDto};
use super::rules::{no_null, EmailText, Name, TimeZoneName, UuidText};
use super::{ApiTags, HttpState};
use crate::domain::codes;
use crate::domain::{ClientId, UserId};
use crate::http::auth::SignedIn;
use crate::http::problem::{invalid_field, ApiError};
use crate::service::{NewUser, ServiceError, UserPatch};

pub struct UsersApi(pub HttpState);

#[derive(Object)]
struct CreateUserReq {
    name: Name,
    email: EmailText,
    role: RoleDto,
    time_zone: TimeZoneName,
    /// For the `client` role: the client whose portal the account sees.
    #[oai(deserialize_with = "no_null")]
    client_id: Option<UuidText>,
}

/// Fields left out stay unchanged.
#[derive(Object)]
struct UpdateUserReq {
    #[oai(deserialize_with = "no_null")]
    name: Option<Name>,
    #[oai(deserialize_with = "no_null")]
    email: Option<EmailText>,
    #[oai(deserialize_with = "no_null")]
    role: Option<RoleDto>,
    #[oai(deserialize_with = "no_null")]
    time_zone: Option<TimeZoneName>,
    /// For the `client` role: the client whose portal the account sees; `null` unlinks it.
    #[oai(nullable)]
    client_id: MaybeUndefined<UuidText>,
}

fn client_id(t: &UuidText) -> Result<ClientId, ServiceError> {
    t.0.parse()
        .map_err(|_| invalid_field("client_id", "invalid", "not a client id"))
}

#[derive(Object)]
struct CreatedUserDto {
    user: UserDto,
    /// Send this to the person: it sets their password, once, before it expires.
    reset_link: LinkDto,
}

#[derive(Object)]
struct UserPage {
    items: Vec<UserDto>,
    /// Null on the last page.
    #[oai(nullable)]
    next_cursor: Option<String>,
}

#[derive(ApiResponse)]
enum Created {
    #[oai(status = 201)]
    Created(Json<CreatedUserDto>),
}

fn parse_id(id: &str) -> Result<UserId, ServiceError> {
    id.parse().map_err(|_| ServiceError::NotFound {
        kind: "user",
        code: codes::USER_NOT_FOUND,
    })
}

#[OpenApi(prefix_path = "/users", tag = "ApiTags::Users")]
impl UsersApi {
    /// Lists users ordered by email; `q` matches name or email. Roles: admin.
    #[oai(path = "/", method = "get")]
    async fn list(
        &self,
        actor: SignedIn,
        /// Page size, 1–500 (default 50; other values are moved into that range).
        #[oai(validator(minimum(value = "0"), maximum(value = "4294967295")))]
        limit: Query<Option<u32>>,
        /// `next_cursor` of the previous page.
        cursor: Query<Option<String>>,
        q: Query<Option<String>>,
    ) -> Result<Json<UserPage>, ApiError> {
        let after =
            match cursor.0.as_deref() {
                Some(c) => Some(decode_cursor(c).ok_or_else(|| {
                    invalid_field("cursor", "invalid", "not a cursor from this API")
                })?),
                None => None,
            };
        let (users, next) = self
            .0
            .svc
            .users()
            .list(
                &actor,
                after.as_deref(),
                limit.0.unwrap_or(50) as usize,
                q.0.as_deref(),
            )
            .await?;
        Ok(Json(UserPage {
            items: users.into_iter().map(Into::into).collect(),
            next_cursor: next.as_deref().map(encode_cursor),
        }))
    }

    /// Creates a user and returns a one-time link for them to set a password. Roles: admin.
    #[oai(path = "/", method = "post")]
    async fn create(
        &self,
        actor: SignedIn,
        body: Json<CreateUserReq>,
    ) -> Result<Created, ApiError> {
        let b = body.0;
        let new = NewUser {
            name: b.name.0,
            email: b.email.0,
            role: b.role.into(),
            time_zone: b.time_zone.0,
            client_id: b.client_id.as_ref().map(client_id).transpose()?,
        };
        let (user, link) = self.0.svc.users().create(&actor, new).await?;
        Ok(Created::Created(Json(CreatedUserDto {
            user: user.into(),
            reset_link: link.into(),
        })))
    }

    /// One user. Roles: admin.
    #[oai(path = "/:id", method = "get")]
    async fn get(&self, actor: SignedIn, id: Path<String>) -> Result<Json<UserDto>, ApiError> {
        Ok(Json(
            self.0
                .svc
                .users()
                .get(&actor, parse_id(&id.0)?)
                .await?
                .into(),
        ))
    }

    /// Changes name, email, role or time zone. Demoting the last enabled admin is refused.
    /// Roles: admin.
    #[oai(path = "/:id", method = "patch")]
    async fn update(
        &self,
        actor: SignedIn,
        id: Path<String>,
        body: Json<UpdateUserReq>,
    ) -> Result<Json<UserDto>, ApiError> {
        let b = body.0;
        let patch = UserPatch {
            name: b.name.map(|t| t.0),
            email: b.email.map(|t| t.0),
            role: b.role.map(Into::into),
            time_zone: b.time_zone.map(|t| t.0),
            client_id: match &b.client_id {
                MaybeUndefined::Undefined => None,
                MaybeUndefined::Null => Some(None),
                MaybeUndefined::Value(t) => Some(Some(client_id(t)?)),
            },
        };
        Ok(Json(
            self.0
                .svc
                .users()
                .update(&actor, parse_id(&id.0)?, patch)
                .await?
                .into(),
        ))
    }

    /// Disables a user; their sessions end at once. Roles: admin.
    #[oai(path = "/:id/disable", method = "post")]
    async fn disable(&self, actor: SignedIn, id: Path<String>) -> Result<Json<UserDto>, ApiError> {
        Ok(Json(
            self.0
                .svc
                .users()
                .disable(&actor, parse_id(&id.0)?)
                .await?
                .into(),
        ))
    }

    /// Enables a disabled user. Roles: admin.
    #[oai(path = "/:id/enable", method = "post")]
    async fn enable(&self, actor: SignedIn, id: Path<String>) -> Result<Json<UserDto>, ApiError> {
        Ok(Json(
            self.0
                .svc
                .users()
                .enable(&actor, parse_id(&id.0)?)
                .await?
                .into(),
        ))
    }

    /// Issues a one-time link that sets a new password. Roles: admin.
    #[oai(path = "/:id/reset-link", method = "post")]
    async fn reset_link(
        &self,
        actor: SignedIn,
        id: Path<String>,
    ) -> Result<Json<LinkDto>, ApiError> {
        Ok(Json(
            self.0
                .svc
                .users()
                .issue_reset_link(&actor, parse_id(&id.0)?)
                .await?
                .into(),
        ))
    }
}
