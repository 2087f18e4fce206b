//! Logging in and out, and setting a password through a one-time link.

use poem::Request;
use poem_openapi::{payload::Json, ApiResponse, Object, OpenApi};

use super::dto::{Text, UserDto};
use super::rules::NewPassword;
use super::{ApiTags, HttpState};
use crate::http::auth::{anonymous, user_agent, SessionOnly};
use crate::http::problem::ApiError;

pub struct SessionsApi(pub HttpState);

#[derive(Object)]
struct LoginReq {
    email: Text,
    password: Text,
}

#[derive(Object)]
struct ResetReq {
    /// The token from the reset link (the part after `#token=`).
    token: Text,
    new_password: NewPassword,
}

#[derive(ApiResponse)]
enum LoginResponse {
    /// Signed in; the session cookie is set.
    #[oai(status = 200)]
    Ok(Json<UserDto>, #[oai(header = "Set-Cookie")] String),
}

#[derive(ApiResponse)]
enum LogoutResponse {
    /// Signed out; the session is revoked and the cookie cleared.
    #[oai(status = 204)]
    Done(#[oai(header = "Set-Cookie")] String),
}

#[derive(ApiResponse)]
enum Done {
    #[oai(status = 204)]
    Done,
}

#[OpenApi(tag = "ApiTags::Account")]
impl SessionsApi {
    /// Logs in with email and password. A new session id is issued every time and any
    /// session the browser still carried is revoked. Roles: public.
    #[oai(path = "/session", method = "post")]
    async fn login(&self, req: &Request, body: Json<LoginReq>) -> Result<LoginResponse, ApiError> {
        let st = &self.0;
        let old = st.cookie.token(req);
        let start = st
            .svc
            .sessions()
            .login(
                &anonymous(req),
                &body.0.email.0,
                &body.0.password.0,
                user_agent(req),
                old,
            )
            .await?;
        Ok(LoginResponse::Ok(
            Json(start.user.into()),
            st.cookie.set(&start.token),
        ))
    }

    /// Logs out: revokes this session and clears the cookie. Roles: any, in a browser session.
    #[oai(path = "/session", method = "delete")]
    async fn logout(&self, actor: SessionOnly, req: &Request) -> Result<LogoutResponse, ApiError> {
        let st = &self.0;
        if let Some(t) = st.cookie.token(req) {
            st.svc.sessions().logout(&actor, t).await?;
        }
        Ok(LogoutResponse::Done(st.cookie.clear()))
    }

    /// Sets a new password with a one-time reset token; every session of that user ends.
    /// Roles: public (the token is the authorization).
    #[oai(path = "/password-reset", method = "post")]
    async fn reset(&self, req: &Request, body: Json<ResetReq>) -> Result<Done, ApiError> {
        self.0
            .svc
            .account()
            .reset_password(&anonymous(req), &body.0.token.0, &body.0.new_password.0)
            .await?;
        Ok(Done::Done)
    }
}
