//! The signed-in user's own account.

use poem::Request;
use poem_openapi::{payload::Json, ApiResponse, Object, OpenApi};

use super::dto::{Text, UserDto};
use super::rules::{no_null, Name, NewPassword, TimeZoneName};
use super::{ApiTags, HttpState};
use crate::http::auth::{SessionOnly, SignedIn};
use crate::http::problem::ApiError;
use crate::service::MailPrefsPatch;

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
    /// Whether this server sends e-mail (`[email]` configured).
    email_enabled: bool,
    /// Which e-mail notifications the user gets (all on unless turned off). Invitations and
    /// password-reset links are always sent.
    email_notifications: EmailNotificationsDto,
    /// The notifications that concern the user's role, in the order to show them (empty when
    /// the server sends no e-mail): `week_decisions` (where weeks are submitted),
    /// `privacy_deadlines` and `backup_failures` (admins).
    email_notification_kinds: Vec<String>,
}

/// The non-essential e-mails, each on or off.
#[derive(Object)]
struct EmailNotificationsDto {
    /// Their week approved or rejected.
    week_decisions: bool,
    /// (admins) A daily digest of privacy requests due soon or overdue.
    privacy_deadlines: bool,
    /// (admins) A scheduled backup failed.
    backup_failures: bool,
}

/// Notifications to turn on (`true`) or off; those left out stay as they are.
#[derive(Object)]
struct UpdateEmailNotificationsReq {
    #[oai(deserialize_with = "no_null")]
    week_decisions: Option<bool>,
    #[oai(deserialize_with = "no_null")]
    privacy_deadlines: Option<bool>,
    #[oai(deserialize_with = "no_null")]
    backup_failures: Option<bool>,
}

/// Fields left out stay unchanged.
#[derive(Object)]
struct UpdateMeReq {
    #[oai(deserialize_with = "no_null")]
    name: Option<Name>,
    #[oai(deserialize_with = "no_null")]
    time_zone: Option<TimeZoneName>,
    #[oai(deserialize_with = "no_null")]
    email_notifications: Option<UpdateEmailNotificationsReq>,
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

impl AccountApi {
    fn me_dto(
        &self,
        actor: &SignedIn,
        user: crate::domain::user::User,
    ) -> crate::service::Result<Json<MeDto>> {
        let svc = &self.0.svc;
        let caps: Vec<&str> = (actor.capabilities().into_iter())
            .chain(svc.weeks().capabilities(actor))
            .collect();
        let prefs = svc.mail().prefs(actor)?;
        let enabled = svc.mail().enabled();
        let mut kinds = Vec::new();
        if enabled {
            for (cap, kind) in [
                ("submit_weeks", "week_decisions"),
                ("manage_privacy", "privacy_deadlines"),
                ("manage_system", "backup_failures"),
            ] {
                if caps.contains(&cap) {
                    kinds.push(kind.to_owned());
                }
            }
        }
        Ok(Json(MeDto {
            user: user.into(),
            capabilities: caps.into_iter().map(str::to_owned).collect(),
            email_enabled: enabled,
            email_notifications: EmailNotificationsDto {
                week_decisions: prefs.week_decisions,
                privacy_deadlines: prefs.privacy_deadlines,
                backup_failures: prefs.backup_failures,
            },
            email_notification_kinds: kinds,
        }))
    }
}

#[OpenApi(tag = "ApiTags::Account")]
impl AccountApi {
    /// The signed-in user, what their role allows and their e-mail notifications. Roles: any.
    #[oai(path = "/me", method = "get")]
    async fn me(&self, actor: SignedIn) -> Result<Json<MeDto>, ApiError> {
        let user = actor.user.clone();
        Ok(self.me_dto(&actor, user)?)
    }

    /// Changes one's own name, time zone and e-mail notifications (each change audited).
    /// Roles: any.
    #[oai(path = "/me", method = "patch")]
    async fn update(
        &self,
        actor: SignedIn,
        body: Json<UpdateMeReq>,
    ) -> Result<Json<MeDto>, ApiError> {
        let UpdateMeReq {
            name,
            time_zone,
            email_notifications,
        } = body.0;
        let svc = &self.0.svc;
        let mut user = actor.user.clone();
        if name.is_some() || time_zone.is_some() || email_notifications.is_none() {
            user = svc
                .account()
                .update_profile(&actor, name.map(|t| t.0), time_zone.map(|t| t.0))
                .await?;
        }
        if let Some(n) = email_notifications {
            let patch = MailPrefsPatch {
                week_decisions: n.week_decisions,
                privacy_deadlines: n.privacy_deadlines,
                backup_failures: n.backup_failures,
            };
            svc.mail().set_prefs(&actor, &patch).await?;
        }
        Ok(self.me_dto(&actor, user)?)
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
