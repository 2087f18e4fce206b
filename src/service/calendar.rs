//! Calendar subscriptions: a private, revocable iCalendar URL that calendar apps poll. Its
//! secret (`otc_…`, in the URL) is stored as SHA-256 like an API token's and opens nothing but
//! the feed: read-only, its owner's entries or (a manager's) one project's, from half a year
//! back to a month ahead. The feed is an iCalendar export (`crate::export::ics`) made as its
//! owner, so visibility, restriction and the record of reads are the exports' own.

use std::io::Write;
use std::sync::{Arc, Mutex};

use chrono::Duration;

use super::actor::Grant;
use super::tokens::new_token_secret;
use super::{secret_key, Actor, Calendars, ExportQuery, Result, ServiceError, TokenView};
use crate::domain::codes;
use crate::domain::time::local_date;
use crate::domain::token::{self, ApiToken, CalendarFeed, Scope, Scopes, TokenState};
use crate::domain::{Permission, ProjectId};
use crate::export::Format;
use crate::store::prelude::*;

/// How many live subscriptions one person may hold.
pub const MAX_FEEDS: usize = 20;

/// How far back and ahead a feed reaches, in days.
const DAYS_BACK: i64 = 183;
const DAYS_AHEAD: i64 = 31;

/// What creating a subscription asks for.
#[derive(Debug, Clone, Default)]
pub struct NewFeed {
    pub name: String,
    /// A project the caller manages, for its whole team's entries; none: one's own.
    pub project_id: Option<ProjectId>,
}

/// A feed's body and the name it is served under.
pub struct FeedBody {
    pub ics: Vec<u8>,
}

fn feed_not_found() -> ServiceError {
    ServiceError::NotFound {
        kind: "calendar subscription",
        code: codes::CALENDAR_NOT_FOUND,
    }
}

impl Calendars<'_> {
    /// Creates a calendar subscription for the caller; returns its secret (the last part of
    /// its URL, shown once) and the record. A project's needs a manager of it (or an admin).
    /// Roles: admin, manager, member, auditor, in a browser session. Audited as
    /// `calendar_feed.created`.
    pub async fn create(&self, actor: &Actor, input: NewFeed) -> Result<(String, ApiToken)> {
        actor.require_session()?;
        actor.require(Permission::ReadProjects)?;
        let me = actor.user_id().ok_or(ServiceError::Unauthenticated)?;
        let name = token::parse_name(&input.name)?;
        if let Some(p) = input.project_id {
            self.check_project(actor, p)?;
        }
        let now = self.now();
        let live = self.store().api_tokens_where(|t| {
            t.user_id == me && t.calendar.is_some() && t.state(now) == TokenState::Active
        })?;
        if live.len() >= MAX_FEEDS {
            return Err(ServiceError::Conflict(codes::API_TOKEN_LIMIT));
        }
        let t = ApiToken {
            id: uuid::Uuid::now_v7(),
            user_id: me,
            name,
            scopes: Scopes::default(),
            created_at_ms: now,
            expires_at_ms: i64::MAX,
            last_used_at_ms: None,
            last_used_ip: None,
            revoked_at_ms: None,
            revoked_by: None,
            calendar: Some(CalendarFeed {
                project_id: input.project_id,
            }),
        };
        let (secret, key) = new_token_secret(token::FEED_PREFIX);
        self.tokens().write_new(actor, &key, &t).await?;
        Ok((secret, t))
    }

    /// The caller's calendar subscriptions, newest first. Roles: anyone signed in.
    pub fn list(&self, actor: &Actor) -> Result<Vec<TokenView>> {
        actor.require(Permission::ManageOwnAccount)?;
        let me = actor.user_id().ok_or(ServiceError::Unauthenticated)?;
        self.tokens()
            .views(|t| t.user_id == me && t.calendar.is_some(), false)
    }

    /// Revokes one of the caller's subscriptions (an admin: anyone's). In a browser session.
    pub async fn revoke(&self, actor: &Actor, id: uuid::Uuid) -> Result<TokenView> {
        let found = self.store().api_tokens_where(|t| t.id == id)?;
        if !found.iter().any(|(_, t)| t.calendar.is_some()) {
            return Err(feed_not_found());
        }
        self.tokens().revoke(actor, id).await.map_err(|e| match e {
            ServiceError::NotFound { .. } => feed_not_found(),
            e => e,
        })
    }

    /// The feed a secret opens, as iCalendar: `calendar.not_found` for an unknown, revoked or
    /// malformed secret, a disabled owner, or a project its owner no longer manages. Each
    /// first fetch from an address is in the security log; what others' time it shows is
    /// recorded as a read of their data, like any export.
    pub async fn feed(&self, caller: &Actor, secret: &str) -> Result<FeedBody> {
        let secret = secret.strip_suffix(".ics").unwrap_or(secret);
        if !token::well_formed_with(token::FEED_PREFIX, secret) {
            return Err(feed_not_found());
        }
        let key = secret_key(secret);
        let Some(t) = self.store().api_token(&key)? else {
            return Err(feed_not_found());
        };
        let Some(feed) = t.calendar.clone() else {
            return Err(feed_not_found());
        };
        if t.state(self.now()) != TokenState::Active {
            return Err(feed_not_found());
        }
        let user = self.store().user(t.user_id)?.map(|r| r.user);
        let Some(user) = user.filter(|u| !u.disabled) else {
            return Err(feed_not_found());
        };
        let actor = Actor::user(user.id, user.role, caller.ip.clone())
            .with_agent(caller.user_agent.clone())
            .through(Grant {
                id: t.id,
                scopes: Scopes::new(&[Scope::Read]),
            });
        if let Some(p) = feed.project_id {
            self.check_project(&actor, p)
                .map_err(|_| feed_not_found())?;
        }
        let tz = user.time_zone.tz();
        let today = local_date(self.now(), tz);
        let mut q = ExportQuery::new(Format::Ics);
        q.from = Some(today - Duration::days(DAYS_BACK));
        q.to = Some(today + Duration::days(DAYS_AHEAD));
        match feed.project_id {
            Some(p) => q.projects = vec![p],
            None => q.users = vec![user.id],
        }
        let mut prepared = self.exports().prepare(&actor, q).await?;
        prepared.info.title = format!("OphionTT: {}", t.name);
        let buf = SharedBuf::default();
        self.exports()
            .send(&actor, prepared, Box::new(buf.clone()), None)
            .await?;
        let new_address = t.last_used_ip != caller.ip || t.last_used_at_ms.is_none();
        self.tokens().touch(caller, &key, &t, &user, new_address)?;
        let ics = std::mem::take(&mut *buf.0.lock().unwrap_or_else(|p| p.into_inner()));
        Ok(FeedBody { ics })
    }

    /// A project feed needs the project to exist and `actor` to manage it (or be an admin).
    fn check_project(&self, actor: &Actor, id: ProjectId) -> Result<()> {
        let p = self.store().project(id)?.ok_or(ServiceError::NotFound {
            kind: "project",
            code: codes::PROJECT_NOT_FOUND,
        })?;
        let me = actor.user_id().ok_or(ServiceError::Unauthenticated)?;
        if p.is_managed_by(me) || actor.allows(Permission::ReadAllTime) {
            Ok(())
        } else {
            Err(ServiceError::Forbidden)
        }
    }
}

/// An in-memory body the export writes into.
#[derive(Clone, Default)]
struct SharedBuf(Arc<Mutex<Vec<u8>>>);

impl Write for SharedBuf {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        self.0
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .extend_from_slice(b);
        Ok(b.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
