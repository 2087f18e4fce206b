//! The signed-in user's own account.

use poem::Request;
use poem_openapi::{payload::Json, ApiResponse, Object, OpenApi};

use super::dto::{Text, UserDto};
use super::rules::{no_null, Name, NewPassword, TimeZoneName};
use super::{ApiTags, HttpState};
use crate::http::auth::{SessionOnly, SignedIn};
use crate::http::problem::ApiError;

pub struct AccountApi(pub HttpState);

/// The signed-in user and what their role allows.
#[derive(Object)]
struct MeDto {
    #[oai(flatten)]
    user: UserDto,
    /// What the caller may do, for navigation: `manage_own_account`, `track_time`,
    /// `read_projects`, `read_portal`, `read_all_projects`, `manage_projects`, `read_team_time`,
    /// `read_all_time`, `manage_users`, `read_audit`, `read_privacy`, `manage_privacy`,
    /// `manage_system`, and where week approval is used `submit_weeks` and `approve_weeks`
    /// (docs/api.md says what each opens). Records carry their own `can`.
    capabilities: Vec<String>,
}

/// Fields left out stay unchanged.
#[derive(Object)]
struct UpdateMeReq {
    #[oai(deserialize_with = "no_null")]
    name: Option<Name>,
    #[oai(deserialize_with = "no_null")]
    time_zone: Option<TimeZoneName>,
}

#[derive(Object)]
struct ChangePasswordReq {
    current_password: Text,
    new_password: NewPassword,
}

#[derive(ApiResponse)]
enum Done {
    #[oai(status = 204)]
    Done,
}

#[OpenApi(tag = "ApiTags::Account")]
impl AccountApi {
    /// The signed-in user. Roles: any.
    #[oai(path = "/me", method = "get")]
    async fn me(&self, actor: SignedIn) -> Result<Json<MeDto>, ApiError> {
        let user = actor.user.clone();
        Ok(Json(MeDto {
            user: user.into(),
            capabilities: (actor.capabilities().into_iter())
                .chain(self.0.svc.weeks().capabilities(&actor))
                .map(str::to_owned)
                .collect(),
        }))
    }

    /// Changes one's own name and time zone. Roles: any.
    #[oai(path = "/me", method = "patch")]
    async fn update(
        &self,
        actor: SignedIn,
        body: Json<UpdateMeReq>,
    ) -> Result<Json<UserDto>, ApiError> {
        let u = self
            .0
            .svc
            .account()
            .update_profile(
                &actor,
                body.0.name.map(|t| t.0),
                body.0.time_zone.map(|t| t.0),
            )
            .await?;
        Ok(Json(u.into()))
    }

    /// Changes one's own password; the current one is needed. Every other session ends.
    /// Roles: any, in a browser session (an API token gets `403 auth.session_only`).
    #[oai(path = "/me/password", method = "post")]
    async fn password(
        &self,
        actor: SessionOnly,
        req: &Request,
        body: Json<ChangePasswordReq>,
    ) -> Result<Done, ApiError> {
        let token = self.0.cookie.token(req).unwrap_or_default();
        self.0
            .svc
            .account()
            .change_password(
                &actor,
                token,
                &body.0.current_password.0,
                &body.0.new_password.0,
            )
            .await?;
        Ok(Done::Done)
    }
}
