//! The session cookie and resolving a request's actor. One cookie only: `ophiontt_session` on
//! plain-HTTP loopback, `__Host-ophiontt` with `Secure` under TLS; HttpOnly, SameSite=Strict.

use poem::Request;

use super::problem::ApiError;
use crate::domain::user::User;
use crate::service::{Actor, Services};

/// How the session cookie is named and flagged.
#[derive(Debug, Clone)]
pub struct CookieCfg {
    pub name: &'static str,
    pub secure: bool,
    pub max_age_secs: u64,
}

impl CookieCfg {
    pub fn new(tls: bool, max_age_secs: u64) -> Self {
        Self {
            name: if tls {
                "__Host-ophiontt"
            } else {
                "ophiontt_session"
            },
            secure: tls,
            max_age_secs,
        }
    }

    /// `Set-Cookie` value carrying a new session token.
    pub fn set(&self, token: &str) -> String {
        format!(
            "{}={token}; Path=/; Max-Age={}; HttpOnly; SameSite=Strict{}",
            self.name,
            self.max_age_secs,
            if self.secure { "; Secure" } else { "" }
        )
    }

    /// `Set-Cookie` value that removes the cookie.
    pub fn clear(&self) -> String {
        format!(
            "{}=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict{}",
            self.name,
            if self.secure { "; Secure" } else { "" }
        )
    }

    /// The session token the request carries, if any.
    pub fn token<'a>(&self, req: &'a Request) -> Option<&'a str> {
        req.headers()
            .get_all(poem::http::header::COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(';'))
            .filter_map(|pair| pair.trim().split_once('='))
            .find(|(k, _)| *k == self.name)
            .map(|(_, v)| v)
            .filter(|v| !v.is_empty() && v.len() <= 128)
    }
}

/// The client's IP address as text.
pub fn client_ip(req: &Request) -> Option<String> {
    req.remote_addr()
        .as_socket_addr()
        .map(|a| a.ip().to_string())
}

/// The anonymous actor of a public endpoint.
pub fn anonymous(req: &Request) -> Actor {
    Actor::anonymous(client_ip(req)).with_agent(user_agent(req))
}

/// The signed-in actor, or `401 auth.required`.
pub async fn signed_in(
    svc: &Services,
    cookie: &CookieCfg,
    req: &Request,
) -> Result<(Actor, User), ApiError> {
    let token = cookie
        .token(req)
        .ok_or(crate::service::ServiceError::Unauthenticated)?;
    let (actor, user) = svc.sessions().authenticate(token, client_ip(req)).await?;
    Ok((actor.with_agent(user_agent(req)), user))
}

pub fn user_agent(req: &Request) -> Option<String> {
    req.headers()
        .get(poem::http::header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .map(|s| s.chars().take(256).collect())
}
