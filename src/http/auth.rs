//! The session cookie, personal API tokens, and resolving a request's actor. One cookie only: `ophiontt_session` on
//! plain-HTTP loopback, `__Host-ophiontt` with `Secure` under TLS; HttpOnly, SameSite=Strict.

use poem::http::Method;
use poem::{Request, RequestBody};
use poem_openapi::registry::{MetaSecurityScheme, Registry};
use poem_openapi::{ApiExtractor, ApiExtractorType, ExtractParamOptions};

use super::problem::ApiError;
use crate::domain::codes;
use crate::domain::token::Scope;
use crate::domain::user::User;
use crate::service::{Actor, Services};

/// The names of the security schemes in `/api/openapi.json`.
const SESSION_SCHEME: &str = "session";
const TOKEN_SCHEME: &str = "token";

/// What resolving a caller needs; added to every API request by [`super::routes`].
#[derive(Clone)]
pub struct Authn {
    pub svc: Services,
    pub cookie: CookieCfg,
}

/// The signed-in caller of an endpoint: by the session cookie (the `session` security scheme of
/// `/api/openapi.json`) or by a personal API token (`token`: `Authorization: Bearer ott_…`). An
/// endpoint that takes a `SignedIn` answers `401 auth.required` (or `auth.token_invalid`,
/// `…_expired`, `…_revoked`, `403 auth.account_disabled`) before its body runs. A token's
/// `read` scope opens `GET`, its `write` scope every other method (`403 auth.token_scope`
/// otherwise); its `admin` scope is checked where the permission is. Inside, it is the acting
/// [`Actor`] (by `Deref`) and the signed-in [`User`].
pub struct SignedIn {
    pub actor: Actor,
    pub user: User,
}

/// The caller of an endpoint that a personal API token may never call, whatever its scopes
/// (passwords, tokens, signing out): the session cookie only, `403 auth.session_only` for a
/// token.
pub struct SessionOnly(pub SignedIn);

impl std::ops::Deref for SignedIn {
    type Target = Actor;
    fn deref(&self) -> &Actor {
        &self.actor
    }
}

impl std::ops::Deref for SessionOnly {
    type Target = SignedIn;
    fn deref(&self) -> &SignedIn {
        &self.0
    }
}

fn register_session(registry: &mut Registry) {
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

fn register_token(registry: &mut Registry) {
    registry.create_security_scheme(
        TOKEN_SCHEME,
        MetaSecurityScheme {
            ty: "http",
            description: Some(
                "A personal API token (`ott_…`), created under My account → API tokens and \
                 sent as `Authorization: Bearer ott_…`. Its scopes narrow its owner's role: \
                 `read` for GET, `write` for every other method, `admin` for the operations \
                 only admins and auditors may call. Operations that list only `session` \
                 refuse tokens (`403 auth.session_only`).",
            ),
            name: None,
            key_in: None,
            scheme: Some("bearer"),
            bearer_format: Some("ott_ followed by 43 base64url characters"),
            flows: None,
            openid_connect_url: None,
        },
    );
}

fn authn(req: &Request) -> poem::Result<&Authn> {
    req.data::<Authn>().ok_or_else(|| {
        let e: ApiError =
            crate::service::ServiceError::Internal(anyhow::anyhow!("no Authn on the route")).into();
        poem::Error::from_response(poem::IntoResponse::into_response(e))
    })
}

fn refuse(e: ApiError) -> poem::Error {
    poem::Error::from_response(poem::IntoResponse::into_response(e))
}

impl<'a> ApiExtractor<'a> for SignedIn {
    const TYPES: &'static [ApiExtractorType] = &[ApiExtractorType::SecurityScheme];
    type ParamType = ();
    type ParamRawType = ();

    fn register(registry: &mut Registry) {
        register_session(registry);
        register_token(registry);
    }

    fn security_schemes() -> Vec<&'static str> {
        vec![SESSION_SCHEME, TOKEN_SCHEME]
    }

    async fn from_request(
        req: &'a Request,
        _body: &mut RequestBody,
        _opts: ExtractParamOptions<()>,
    ) -> poem::Result<Self> {
        let authn = authn(req)?;
        let r = match bearer(req) {
            Some(secret) => by_token(&authn.svc, req, secret).await,
            None => signed_in(&authn.svc, &authn.cookie, req).await,
        };
        r.map(|(actor, user)| SignedIn { actor, user })
            .map_err(refuse)
    }
}

impl<'a> ApiExtractor<'a> for SessionOnly {
    const TYPES: &'static [ApiExtractorType] = &[ApiExtractorType::SecurityScheme];
    type ParamType = ();
    type ParamRawType = ();

    fn register(registry: &mut Registry) {
        register_session(registry);
    }

    fn security_schemes() -> Vec<&'static str> {
        vec![SESSION_SCHEME]
    }

    async fn from_request(
        req: &'a Request,
        _body: &mut RequestBody,
        _opts: ExtractParamOptions<()>,
    ) -> poem::Result<Self> {
        let authn = authn(req)?;
        if bearer(req).is_some() {
            let e = crate::service::ServiceError::Denied(codes::AUTH_SESSION_ONLY);
            return Err(refuse(e.into()));
        }
        signed_in(&authn.svc, &authn.cookie, req)
            .await
            .map(|(actor, user)| SessionOnly(SignedIn { actor, user }))
            .map_err(refuse)
    }
}

/// The secret of an `Authorization: Bearer …` header (any other scheme counts as none).
fn bearer(req: &Request) -> Option<&str> {
    let v = req
        .headers()
        .get(poem::http::header::AUTHORIZATION)?
        .to_str()
        .ok()?;
    let (scheme, rest) = v.trim().split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| rest.trim())
        .filter(|t| t.len() <= 256)
}

/// The token's user, if the token's scopes allow the request's method.
async fn by_token(svc: &Services, req: &Request, secret: &str) -> Result<(Actor, User), ApiError> {
    let (actor, user) = svc.tokens().authenticate(&anonymous(req), secret).await?;
    let needed = match *req.method() {
        Method::GET | Method::HEAD => Scope::Read,
        _ => Scope::Write,
    };
    if !actor.token.as_ref().is_some_and(|g| g.scopes.has(needed)) {
        return Err(crate::service::ServiceError::Denied(codes::AUTH_TOKEN_SCOPE).into());
    }
    Ok((actor, user))
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
