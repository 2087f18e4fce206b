//! How each operation of the matrix is called: what its path parameter names, its query, and
//! a body that is valid for it, so that an answer other than a refusal means the caller got
//! past authorization. Placeholders: `{P}` project P, `{client}` P's client, `{entry}` mem-P's
//! entry on P, `{task}` a task on P, `{memP}` mem-P's id, `{holdee}` the account holds are
//! put on, `{login}` the account `POST /session` signs in as, `{col}` the column's name and
//! `{n}` its number (for names that must differ from cell to cell) and `{day}` a day of
//! November 2026 of its own (10 + its number).

/// What `{id}` (or `{name}`, `{category}`) in the path is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// No path parameter.
    Nothing,
    /// mem-P's account.
    MemP,
    Project,
    Client,
    Entry,
    Task,
    /// A privacy request about mem-P.
    Request,
    /// An open incident of the breach register.
    Incident,
    /// The `expire_sessions` job.
    Job,
    /// The `exports` retention category.
    Category,
    // Destructive calls take a target of their own in every cell:
    /// A new member account.
    FreshUser,
    /// A new member account whose processing is restricted.
    FreshRestricted,
    /// A new entry of mem-P's on P.
    FreshEntry,
    /// A new hold in force.
    FreshHold,
    /// A new open privacy request about mem-P.
    FreshRequest,
    /// A new open incident.
    FreshIncident,
    /// A new personal API token of mem-P's.
    FreshToken,
    /// A new calendar subscription of mem-P's.
    FreshFeed,
    /// The secret of mem-P's calendar subscription (`otc_….ics`).
    FeedSecret,
    /// A registered webhook.
    Webhook,
    /// A new webhook.
    FreshWebhook,
    /// A message of the outbox (the fixture webhook's ping).
    Message,
}

/// `(operation, target, query, body)`.
pub type Call = (&'static str, Target, &'static str, &'static str);

use Target::*;

pub const CALLS: &[Call] = &[
    ("GET /api/v1/instance", Nothing, "", ""),
    ("GET /api/v1/instance/ticket-patterns", Nothing, "", ""),
    (
        "POST /api/v1/setup",
        Nothing,
        "",
        r#"{"token":"not-a-token","name":"Eve","email":"eve-{col}@example.com","password":"correct horse battery staple","time_zone":"UTC"}"#,
    ),
    (
        "POST /api/v1/session",
        Nothing,
        "",
        r#"{"email":"{login}","password":"correct horse battery staple"}"#,
    ),
    ("DELETE /api/v1/session", Nothing, "", ""),
    ("GET /api/v1/me/tokens", Nothing, "", ""),
    (
        "POST /api/v1/me/tokens",
        Nothing,
        "",
        r#"{"name":"matrix {col}","scopes":["read"]}"#,
    ),
    ("GET /api/v1/tokens", Nothing, "", ""),
    ("DELETE /api/v1/tokens/{id}", FreshToken, "", ""),
    ("GET /api/v1/me/calendar-feeds", Nothing, "", ""),
    (
        "POST /api/v1/me/calendar-feeds",
        Nothing,
        "",
        r#"{"name":"matrix {col}"}"#,
    ),
    ("DELETE /api/v1/me/calendar-feeds/{id}", FreshFeed, "", ""),
    ("GET /api/v1/calendar/{secret}", FeedSecret, "", ""),
    (
        "POST /api/v1/password-reset",
        Nothing,
        "",
        r#"{"token":"not-a-token","new_password":"correct horse battery staple"}"#,
    ),
    (
        "POST /api/v1/session/link",
        Nothing,
        "",
        r#"{"email":"someone@example.com"}"#,
    ),
    (
        "POST /api/v1/session/link/redeem",
        Nothing,
        "",
        r#"{"token":"not-a-token","binding":"not-a-binding"}"#,
    ),
    ("GET /api/v1/me", Nothing, "", ""),
    ("PATCH /api/v1/me", Nothing, "", r#"{"time_zone":"UTC"}"#),
    (
        "POST /api/v1/me/password",
        Nothing,
        "",
        r#"{"current_password":"correct horse battery staple","new_password":"correct horse battery staple"}"#,
    ),
    ("GET /api/v1/users", Nothing, "", ""),
    (
        "POST /api/v1/users",
        Nothing,
        "",
        r#"{"name":"New {col}","email":"new-{col}@example.com","role":"member","time_zone":"UTC"}"#,
    ),
    ("GET /api/v1/users/{id}", MemP, "", ""),
    (
        "PATCH /api/v1/users/{id}",
        MemP,
        "",
        r#"{"time_zone":"UTC"}"#,
    ),
    ("POST /api/v1/users/{id}/disable", FreshUser, "", ""),
    ("POST /api/v1/users/{id}/enable", MemP, "", ""),
    ("POST /api/v1/users/{id}/reset-link", MemP, "", ""),
    ("GET /api/v1/audit", Nothing, "", ""),
    ("GET /api/v1/audit/actions", Nothing, "", ""),
    (
        "GET /api/v1/audit/accessed",
        Nothing,
        "?from=2026-01-01&to=2026-12-31",
        "",
    ),
    ("GET /api/v1/audit/verify", Nothing, "", ""),
    ("GET /api/v1/clients", Nothing, "", ""),
    (
        "POST /api/v1/clients",
        Nothing,
        "",
        r#"{"name":"Client {col}"}"#,
    ),
    (
        "PATCH /api/v1/clients/{id}",
        Client,
        "",
        r#"{"notes":"matrix"}"#,
    ),
    ("GET /api/v1/tags", Nothing, "", ""),
    (
        "POST /api/v1/tags/rename",
        Nothing,
        "",
        r#"{"from":"matrix","to":"matrix"}"#,
    ),
    ("GET /api/v1/projects", Nothing, "", ""),
    (
        "POST /api/v1/projects",
        Nothing,
        "",
        r#"{"name":"Project {col}"}"#,
    ),
    (
        "PATCH /api/v1/projects/{id}",
        Project,
        "",
        r##"{"color":"#2f6fde"}"##,
    ),
    (
        "PUT /api/v1/projects/{id}/rates",
        Project,
        "",
        r#"{"items":[{"scope":"project","from":"2026-11-01","rate_cents":9000}]}"#,
    ),
    ("GET /api/v1/projects/{id}/budget", Project, "", ""),
    ("GET /api/v1/portal", Nothing, "", ""),
    (
        "GET /api/v1/portal/hours",
        Nothing,
        "?from=2026-10-01&to=2026-10-31",
        "",
    ),
    (
        "GET /api/v1/portal/hours.csv",
        Nothing,
        "?from=2026-10-01&to=2026-10-31",
        "",
    ),
    (
        "GET /api/v1/portal/hours.pdf",
        Nothing,
        "?from=2026-10-01&to=2026-10-31",
        "",
    ),
    (
        "GET /api/v1/entries",
        Nothing,
        "?user_id={memP}&from=2026-10-01&to=2026-11-30",
        "",
    ),
    (
        "POST /api/v1/entries",
        Nothing,
        "",
        r#"{"project_id":"{P}","start":"2026-11-{day}T14:00:00Z","end":"2026-11-{day}T15:00:00Z"}"#,
    ),
    (
        "POST /api/v1/entries/quick",
        Nothing,
        "",
        r#"{"text":"1h acme/apollo 2026-11-20 quick {col}"}"#,
    ),
    (
        "POST /api/v1/entries/bulk",
        Nothing,
        "",
        r#"{"ids":["{entry}"],"add_tags":["matrix"]}"#,
    ),
    (
        "PATCH /api/v1/entries/{id}",
        Entry,
        "",
        r#"{"note":"matrix"}"#,
    ),
    ("DELETE /api/v1/entries/{id}", FreshEntry, "", ""),
    ("POST /api/v1/entries/{id}/continue", Entry, "", ""),
    ("GET /api/v1/timer", Nothing, "", ""),
    (
        "POST /api/v1/timer/start",
        Nothing,
        "",
        r#"{"project_id":"{P}"}"#,
    ),
    ("POST /api/v1/timer/stop", Nothing, "", ""),
    ("GET /api/v1/timesheet", Nothing, "?week=2026-11-02", ""),
    ("GET /api/v1/people", Nothing, "", ""),
    (
        "GET /api/v1/reports/summary",
        Nothing,
        "?from=2026-11-02&to=2026-11-08&group=project,user",
        "",
    ),
    (
        "GET /api/v1/exports/entries",
        Nothing,
        "?format=csv&from=2026-11-02&to=2026-11-08",
        "",
    ),
    (
        "GET /api/v1/reports/detailed",
        Nothing,
        "?from=2026-11-02&to=2026-11-08",
        "",
    ),
    (
        "GET /api/v1/reports/weekly",
        Nothing,
        "?week=2026-11-02",
        "",
    ),
    ("GET /api/v1/dashboard", Nothing, "", ""),
    (
        "PUT /api/v1/timesheet/cell",
        Nothing,
        "",
        r#"{"project_id":"{P}","date":"2026-11-04","seconds":3600}"#,
    ),
    ("GET /api/v1/projects/{id}/tasks", Project, "", ""),
    (
        "POST /api/v1/projects/{id}/tasks",
        Project,
        "",
        r#"{"title":"Task {col}"}"#,
    ),
    (
        "PATCH /api/v1/tasks/{id}",
        Task,
        "",
        r#"{"description":"matrix"}"#,
    ),
    (
        "POST /api/v1/tasks/{id}/comments",
        Task,
        "",
        r#"{"text":"matrix"}"#,
    ),
    ("GET /api/v1/jobs", Nothing, "", ""),
    ("POST /api/v1/jobs/{name}/run", Job, "", ""),
    ("GET /api/v1/webhooks", Nothing, "", ""),
    (
        "POST /api/v1/webhooks",
        Nothing,
        "",
        r#"{"url":"http://127.0.0.1:9/{col}","events":["entry.created"]}"#,
    ),
    (
        "PATCH /api/v1/webhooks/{id}",
        Webhook,
        "",
        r#"{"description":"matrix {col}"}"#,
    ),
    ("DELETE /api/v1/webhooks/{id}", FreshWebhook, "", ""),
    ("POST /api/v1/webhooks/{id}/ping", Webhook, "", ""),
    ("GET /api/v1/outbox", Nothing, "", ""),
    ("POST /api/v1/outbox/{id}/resend", Message, "", ""),
    (
        "POST /api/v1/imports",
        Nothing,
        "?source=ophiontt&dry_run=true",
        r#"{"format":"ophiontt.entries","version":1,"title":"t","from":"2026-11-01","to":"2026-11-30","time_zone":"UTC","generated_at":"2026-12-01T00:00:00Z","entries":[]}"#,
    ),
    ("GET /api/v1/system", Nothing, "", ""),
    ("POST /api/v1/system/test-email", Nothing, "", ""),
    ("GET /api/v1/privacy-notice", Nothing, "", ""),
    ("GET /api/v1/security-events", Nothing, "", ""),
    ("GET /api/v1/security-events/kinds", Nothing, "", ""),
    ("GET /api/v1/holds", Nothing, "", ""),
    (
        "POST /api/v1/holds",
        Nothing,
        "",
        r#"{"kind":"user","target":"{holdee}","reason":"matrix {col}"}"#,
    ),
    (
        "POST /api/v1/holds/{id}/release",
        FreshHold,
        "",
        r#"{"reason":"matrix"}"#,
    ),
    ("GET /api/v1/retention", Nothing, "", ""),
    (
        "PUT /api/v1/retention/rules/{category}",
        Category,
        "",
        r#"{"rule":"1y"}"#,
    ),
    (
        "POST /api/v1/retention/run",
        Nothing,
        "",
        r#"{"dry_run":true}"#,
    ),
    ("GET /api/v1/privacy/requests", Nothing, "", ""),
    (
        "POST /api/v1/privacy/requests",
        Nothing,
        "",
        r#"{"kind":"access","user":"{memP}"}"#,
    ),
    ("GET /api/v1/privacy/requests/{id}", Request, "", ""),
    (
        "POST /api/v1/privacy/requests/{id}/extend",
        FreshRequest,
        "",
        r#"{"reason":"matrix"}"#,
    ),
    (
        "POST /api/v1/privacy/requests/{id}/acknowledge",
        FreshRequest,
        "",
        "",
    ),
    (
        "POST /api/v1/privacy/requests/{id}/close",
        FreshRequest,
        "",
        r#"{"status":"withdrawn"}"#,
    ),
    ("GET /api/v1/privacy/users/{id}/export", MemP, "", ""),
    (
        "POST /api/v1/privacy/users/{id}/correct",
        MemP,
        "",
        r#"{"name":"User mem-P {col}"}"#,
    ),
    ("POST /api/v1/privacy/users/{id}/erase", FreshUser, "", "{}"),
    (
        "POST /api/v1/privacy/users/{id}/restrict",
        FreshUser,
        "",
        "{}",
    ),
    (
        "POST /api/v1/privacy/users/{id}/lift",
        FreshRestricted,
        "",
        "{}",
    ),
    (
        "POST /api/v1/privacy/users/{id}/object",
        FreshUser,
        "",
        r#"{"purpose":"scheduled_export"}"#,
    ),
    ("GET /api/v1/privacy/users/{id}/flags", MemP, "", ""),
    (
        "POST /api/v1/privacy/scan",
        Nothing,
        "",
        r#"{"user":"{memP}"}"#,
    ),
    ("GET /api/v1/incidents", Nothing, "", ""),
    (
        "POST /api/v1/incidents",
        Nothing,
        "",
        r#"{"title":"matrix {col}"}"#,
    ),
    ("GET /api/v1/incidents/{id}", Incident, "", ""),
    (
        "PATCH /api/v1/incidents/{id}",
        Incident,
        "",
        r#"{"version":1,"nature":"matrix"}"#,
    ),
    ("POST /api/v1/incidents/{id}/authority", Incident, "", "{}"),
    (
        "POST /api/v1/incidents/{id}/close",
        FreshIncident,
        "",
        r#"{"note":"matrix"}"#,
    ),
    (
        "GET /api/v1/incidents/{id}/proposed-people",
        Incident,
        "",
        "",
    ),
    (
        "PUT /api/v1/incidents/{id}/affected",
        Incident,
        "",
        r#"{"version":1,"user_ids":["{memP}"]}"#,
    ),
    (
        "GET /api/v1/incidents/{id}/notification-draft",
        Incident,
        "",
        "",
    ),
    (
        "POST /api/v1/incidents/{id}/notifications",
        Incident,
        "",
        r#"{"subject":"matrix","body":"Hello {name}"}"#,
    ),
    ("GET /api/v1/incidents/{id}/report", Incident, "", ""),
    ("GET /api/v1/incidents/{id}/report/text", Incident, "", ""),
    ("GET /api/v1/me/privacy/export", Nothing, "", ""),
    ("GET /api/v1/me/privacy/requests", Nothing, "", ""),
    (
        "POST /api/v1/me/privacy/requests",
        Nothing,
        "",
        r#"{"kind":"objection","details":"matrix"}"#,
    ),
    ("GET /api/v1/weeks", Nothing, "?user_id={memP}", ""),
    ("POST /api/v1/weeks/{date}/submit", Nothing, "", "{}"),
    (
        "POST /api/v1/weeks/{user_id}/{date}/approve",
        MemP,
        "",
        "{}",
    ),
    (
        "POST /api/v1/weeks/{user_id}/{date}/reject",
        MemP,
        "",
        r#"{"comment":"matrix"}"#,
    ),
    (
        "POST /api/v1/weeks/{user_id}/{date}/reopen",
        MemP,
        "",
        r#"{"reason":"matrix"}"#,
    ),
    ("GET /api/v1/approvals", Nothing, "", ""),
    (
        "GET /api/v1/approvals/missing",
        Nothing,
        "?from=2026-10-26&to=2026-11-09",
        "",
    ),
];

/// Calls that end the session they are sent with (logout; a login revokes the session the
/// browser carried): each cell signs its person in afresh.
pub const OWN_SESSION: &[&str] = &["POST /api/v1/session", "DELETE /api/v1/session"];

/// Calls that end the caller's *other* sessions, the one every other cell uses: they run
/// after every other row, each cell in a fresh session. (The admin's main session ends there
/// too, and it is the one that makes fresh targets: such a row cannot take one.)
pub const LAST: &[&str] = &["POST /api/v1/me/password"];
