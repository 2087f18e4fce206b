//! The JSON API under `/api/v1`: one poem-openapi struct per area. Handlers turn DTOs into
//! service input and service output into DTOs; no business rules live here.

mod account;
mod audit;
mod buffers;
mod calendar;
mod can;
mod clients;
mod dashboard;
pub mod dto;
mod entries;
mod entries_dto;
mod entries_json;
mod enums;
mod exports;
mod fast_json;
mod holds;
mod imports;
mod incidents;
mod incidents_dto;
mod jobs;
pub mod notice;
mod people;
mod portal;
mod privacy;
mod privacy_dto;
mod project_billing;
mod projects;
mod report_views;
mod reports;
mod retention;
pub mod rules;
mod security;
mod sessions;
mod setup;
mod system;
mod tags;
mod tasks;
mod timesheet;
mod tokens;
mod users;
mod webhooks;
mod weeks;
mod weeks_dto;
mod wrappers;

use std::sync::atomic::AtomicBool;
use std::sync::Arc;

use poem_openapi::{OpenApiService, Tags};

use super::auth::CookieCfg;
use crate::service::Services;

/// What every handler shares.
#[derive(Clone)]
pub struct HttpState {
    pub svc: Services,
    pub cookie: CookieCfg,
    pub ready: Arc<AtomicBool>,
}

#[derive(Tags)]
pub enum ApiTags {
    /// Setup, login, logout and one's own account.
    Account,
    /// User administration.
    Users,
    /// The hash-chained audit log.
    Audit,
    /// Clients, projects, time entries and the timer.
    Tracking,
    /// Scheduled jobs, backups and the state of the server.
    System,
    /// Security events, retention, legal holds and privacy.
    Compliance,
}

pub type Api = (
    setup::SetupApi,
    sessions::SessionsApi,
    (
        account::AccountApi,
        tokens::TokensApi,
        calendar::CalendarApi,
    ),
    users::UsersApi,
    audit::AuditApi,
    (
        projects::ProjectsApi,
        project_billing::ProjectBillingApi,
        clients::ClientsApi,
        tags::TagsApi,
    ),
    entries::EntriesApi,
    (timesheet::TimesheetApi, weeks::WeeksApi),
    (
        reports::ReportsApi,
        exports::ExportsApi,
        people::PeopleApi,
        portal::PortalApi,
        report_views::ReportViewsApi,
        dashboard::DashboardApi,
    ),
    tasks::TasksApi,
    (jobs::JobsApi, imports::ImportsApi, webhooks::WebhooksApi),
    system::SystemApi,
    notice::NoticeApi,
    security::SecurityApi,
    (holds::HoldsApi, retention::RetentionApi),
    (
        privacy::PrivacyApi,
        privacy::MePrivacyApi,
        incidents::IncidentsApi,
    ),
);

/// The API with its OpenAPI description.
pub fn service(st: &HttpState, base_url: &str) -> OpenApiService<Api, ()> {
    rules::set_min_password_length(st.svc.settings().min_password_length);
    OpenApiService::new(
        (
            setup::SetupApi(st.clone()),
            sessions::SessionsApi(st.clone()),
            (
                account::AccountApi(st.clone()),
                tokens::TokensApi(st.clone()),
                calendar::CalendarApi(st.clone()),
            ),
            users::UsersApi(st.clone()),
            audit::AuditApi(st.clone()),
            (
                projects::ProjectsApi(st.clone()),
                project_billing::ProjectBillingApi(st.clone()),
                clients::ClientsApi(st.clone()),
                tags::TagsApi(st.clone()),
            ),
            entries::EntriesApi(st.clone()),
            (
                timesheet::TimesheetApi(st.clone()),
                weeks::WeeksApi(st.clone()),
            ),
            (
                reports::ReportsApi(st.clone()),
                exports::ExportsApi(st.clone()),
                people::PeopleApi(st.clone()),
                portal::PortalApi(st.clone()),
                report_views::ReportViewsApi(st.clone()),
                dashboard::DashboardApi(st.clone()),
            ),
            tasks::TasksApi(st.clone()),
            (
                jobs::JobsApi(st.clone()),
                imports::ImportsApi(st.clone()),
                webhooks::WebhooksApi(st.clone()),
            ),
            system::SystemApi(st.clone()),
            notice::NoticeApi(st.clone()),
            security::SecurityApi(st.clone()),
            (
                holds::HoldsApi(st.clone()),
                retention::RetentionApi(st.clone()),
            ),
            (
                privacy::PrivacyApi(st.clone()),
                privacy::MePrivacyApi(st.clone()),
                incidents::IncidentsApi(st.clone()),
            ),
        ),
        "OphionTT API",
        env!("CARGO_PKG_VERSION"),
    )
    .description("Time tracking with compliance built in. Errors are RFC 9457 problem+json with a stable `code`; see docs/api.md.")
    .server(format!("{base_url}/api/v1"))
}
