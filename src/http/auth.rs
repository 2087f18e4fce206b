//! The session cookie and resolving a request's actor. One cookie only: `ophiontt_session` on
//! plain-HTTP loopback, `__Host-ophiontt` with `Secure` under TLS; HttpOnly, SameSite=Strict.

use poem::{Request, RequestBody};
use poem_openapi::registry::{MetaSecurityScheme, Registry};
use poem_openapi::{ApiExtractor, ApiExtractorType, ExtractParamOptions};

use super::problem::ApiError;
use crate::domain::user::User;
use crate::service::{Actor, Services};

/// The name of the security scheme in `/api/openapi.json`.
const SESSION_SCHEME: &str = "session";

/// What resolving a caller needs; added to every API request by [`super::routes`].
#[derive(Clone)]
pub struct Authn {
    pub svc: Services,
    pub cookie: CookieCfg,
}

/// The signed-in caller of an endpoint: the session cookie's security scheme (`session` in
/// `/api/openapi.json`). An endpoint that takes a `SignedIn` answers `401 auth.required` (or
/// `auth.session_expired`, `403 auth.account_disabled`) before its body runs; inside, it is the
/// acting [`Actor`] (by `Deref`) and the signed-in [`User`].
pub struct SignedIn {
    pub actor: Actor,
    pub user: User,
}

impl std::ops::Deref for SignedIn {
    type Target = Actor;
    fn deref(&self) -> &Actor {
        &self.actor
    }
}

impl<'a> ApiExtractor<'a> for SignedIn {
    const TYPES: &'static [ApiExtractorType] = &[ApiExtractorType::SecurityScheme];
    type ParamType = ();
    type ParamRawType = ();

    fn register(registry: &mut Registry) {
        registry.create_security_scheme(
            SESSION_SCHEME,
            MetaSecurityScheme {
                ty: "apiKey",
                description: Some(
                    "The session cookie that `POST /api/v1/session` sets (HttpOnly, \
                     SameSite=Strict). It is named `ophiontt_session` over plain HTTP and \
                     `__Host-ophiontt` (with `Secure`) when the server terminates TLS.",
                ),
                name: Some("ophiontt_session"),
                key_in: Some("cookie"),
                scheme: None,
                bearer_format: None,
                flows: None,
                openid_connect_url: None,
            },
        );
    }

    fn security_schemes() -> Vec<&'static str> {
        vec![SESSION_SCHEME]
    }

    async fn from_request(
        req: &'a Request,
        _body: &mut RequestBody,
        _opts: ExtractParamOptions<()>,
    ) -> poem::Result<Self> {
        let Some(authn) = req.data::<Authn>() else {
            let e: ApiError =
                crate::service::ServiceError::Internal(anyhow::anyhow!("no Authn on the route"))
                    .into();
            return Err(poem::Error::from_response(
                poem::IntoResponse::into_response(e),
            ));
        };
        match signed_in(&authn.svc, &authn.cookie, req).await {
            Ok((actor, user)) => Ok(SignedIn { actor, user }),
            Err(e) => Err(poem::Error::from_response(
                poem::IntoResponse::into_response(e),
            )),
        }
    }
}

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
async fn signed_in(
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
