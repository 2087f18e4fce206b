//! Logging in and out (with a password or an e-mailed sign-in link), and setting a password
//! through a one-time link.

use poem::Request;
use poem_openapi::{payload::Json, ApiResponse, Object, OpenApi};

use super::dto::{Text, UserDto};
use super::rules::NewPassword;
use super::{ApiTags, HttpState};
use crate::http::auth::{anonymous, user_agent, SessionOnly};
use crate::http::problem::ApiError;
use crate::service::rfc3339;

pub struct SessionsApi(pub HttpState);

#[derive(Object)]
struct LoginReq {
    email: Text,
    password: Text,
}

/// Asks for a one-time sign-in link by e-mail.
#[derive(Object)]
struct LinkReq {
    email: Text,
}

/// The same answer whether or not the email belongs to an account.
#[derive(Object)]
struct LinkSentDto {
    /// The secret this browser keeps (say in `localStorage`) and sends back with the link's
    /// token: the link works only together with it.
    binding: String,
    /// When the link stops working.
    expires_at: String,
}

/// Signs in with an e-mailed link.
#[derive(Object)]
struct RedeemReq {
    /// The token from the link (the part after `#token=`).
    token: Text,
    /// The `binding` the asking browser got from `POST /api/v1/session/link`.
    binding: Text,
}

#[derive(ApiResponse)]
enum LinkResponse {
    /// If the email is an enabled account's, a link is on its way to it.
    #[oai(status = 202)]
    Accepted(Json<LinkSentDto>),
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
        Ok(signed_in(st, start))
    }

    /// E-mails a one-time sign-in link to the account the email names, when the server allows
    /// sign-in links (`auth.sign_in_links`; otherwise `409 auth.sign_in_links_off`). The answer
    /// is the same whether or not an account matched; asking counts against the login
    /// throttle. The link works once, for `auth.sign_in_link_ttl`, and only with the returned
    /// `binding`. Roles: public.
    #[oai(path = "/session/link", method = "post")]
    async fn request_link(
        &self,
        req: &Request,
        body: Json<LinkReq>,
    ) -> Result<LinkResponse, ApiError> {
        let sent = self
            .0
            .svc
            .sessions()
            .request_link(&anonymous(req), &body.0.email.0)
            .await?;
        Ok(LinkResponse::Accepted(Json(LinkSentDto {
            binding: sent.binding,
            expires_at: rfc3339(sent.expires_at_ms),
        })))
    }

    /// Signs in with an e-mailed sign-in link's token and this browser's binding; the link is
    /// used up. A link opened in another browser answers `403 auth.link_other_browser`; an
    /// unknown, used or expired one `400 token.invalid`. Roles: public (the link and the
    /// binding are the authorization).
    #[oai(path = "/session/link/redeem", method = "post")]
    async fn redeem_link(
        &self,
        req: &Request,
        body: Json<RedeemReq>,
    ) -> Result<LoginResponse, ApiError> {
        let st = &self.0;
        let start = st
            .svc
            .sessions()
            .redeem_link(
                &anonymous(req),
                &body.0.token.0,
                &body.0.binding.0,
                user_agent(req),
                st.cookie.token(req),
            )
            .await?;
        Ok(signed_in(st, start))
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

/// The answer to a sign-in, with a password or a link: the user and the new session cookie.
fn signed_in(st: &HttpState, start: crate::service::SessionStart) -> LoginResponse {
    LoginResponse::Ok(Json(start.user.into()), st.cookie.set(&start.token))
}
