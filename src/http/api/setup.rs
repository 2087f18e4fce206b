//! Public instance facts and first-run setup.

use poem::Request;
use poem_openapi::{payload::Json, ApiResponse, Object, OpenApi};

use super::dto::{Text, UserDto};
use super::rules::{EmailText, Name, NewPassword, TimeZoneName};
use super::{ApiTags, HttpState};
use crate::domain::Role;
use crate::http::auth::{anonymous, user_agent, SignedIn};
use crate::http::problem::ApiError;
use crate::service::NewUser;

pub struct SetupApi(pub HttpState);

/// What any visitor may know about this instance.
#[derive(Object)]
struct InstanceDto {
    name: String,
    version: String,
    /// True while no enabled admin exists: the first-run setup link is needed.
    setup_needed: bool,
    /// Shortest password the server accepts.
    min_password_length: u32,
    /// A timer stopped sooner than this asks whether to keep or discard its entry (0: never).
    min_timer_seconds: u32,
    /// Whether the login page may offer a one-time sign-in link by e-mail
    /// (`auth.sign_in_links`).
    sign_in_links: bool,
}

/// One of the instance's ticket patterns (`tickets.patterns`), for linking ticket ids in notes
/// and task titles.
#[derive(Object)]
struct TicketPatternDto {
    /// The `source` of the tickets it finds, such as `jira`.
    name: String,
    /// The regular expression as configured; capture group 1 is the ticket id.
    pattern: String,
    /// The link, with `$1` … `$9` standing for the capture groups.
    url: String,
}

/// The ticket patterns, in the order they apply (where two overlap, the first wins).
#[derive(Object)]
struct TicketPatternsDto {
    items: Vec<TicketPatternDto>,
}

/// The first admin account.
#[derive(Object)]
struct SetupReq {
    /// The token from the setup link printed by the server (the part after `#token=`).
    token: Text,
    name: Name,
    email: EmailText,
    password: NewPassword,
    time_zone: TimeZoneName,
}

#[derive(ApiResponse)]
enum SetupResponse {
    /// The admin exists and is signed in.
    #[oai(status = 201)]
    Created(Json<UserDto>, #[oai(header = "Set-Cookie")] String),
}

#[OpenApi(tag = "ApiTags::Account")]
impl SetupApi {
    /// Instance name, version and whether first-run setup is pending. Roles: public.
    #[oai(path = "/instance", method = "get")]
    async fn instance(&self) -> Result<Json<InstanceDto>, ApiError> {
        Ok(Json(InstanceDto {
            name: "OphionTT".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            setup_needed: self.0.svc.setup().needed()?,
            min_password_length: self.0.svc.settings().min_password_length as u32,
            min_timer_seconds: self.0.svc.settings().min_timer_seconds,
            sign_in_links: self.0.svc.settings().sign_in_link_ttl.is_some(),
        }))
    }

    /// The instance's ticket patterns, for linking ticket ids as the API's `tickets` fields
    /// do; empty when none are configured. Signed in only, as they name the team's trackers.
    /// Roles: admin, manager, member, auditor, client.
    #[oai(path = "/instance/ticket-patterns", method = "get")]
    async fn ticket_patterns(&self, _who: SignedIn) -> Result<Json<TicketPatternsDto>, ApiError> {
        let items = (self.0.svc.settings().tickets.iter())
            .map(|p| TicketPatternDto {
                name: p.name().to_owned(),
                pattern: p.pattern().to_owned(),
                url: p.url().to_owned(),
            })
            .collect();
        Ok(Json(TicketPatternsDto { items }))
    }

    /// Creates the first admin with the one-time setup token, and signs them in.
    /// Roles: public (the token is the authorization).
    #[oai(path = "/setup", method = "post")]
    async fn setup(&self, req: &Request, body: Json<SetupReq>) -> Result<SetupResponse, ApiError> {
        let b = body.0;
        let new = NewUser {
            name: b.name.0,
            email: b.email.0,
            role: Role::Admin,
            time_zone: b.time_zone.0,
            client_id: None,
        };
        let start = self
            .0
            .svc
            .setup()
            .complete(
                &anonymous(req),
                &b.token.0,
                new,
                &b.password.0,
                user_agent(req),
            )
            .await?;
        Ok(SetupResponse::Created(
            Json(start.user.into()),
            self.0.cookie.set(&start.token),
        ))
    }
}
