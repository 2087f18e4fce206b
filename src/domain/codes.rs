//! Every problem code the API can answer with, in one registry: a code is a constant here, used
//! at every place that raises it, with the title its problem document carries. `code` is API: a
//! dotted lowercase `area.reason`, never renamed or reused. docs/api.md lists every code in
//! [`ALL`] (a test checks both ways), and a test fails on a code written as a literal anywhere
//! else in `src/`.

macro_rules! registry {
    ($($name:ident = $code:literal, $title:literal;)*) => {
        $(pub const $name: &str = $code;)*
        /// Every code a client can receive, with its problem title.
        pub const ALL: &[(&str, &str)] = &[$(($code, $title)),*];
    };
}

registry! {
    REQUEST_MALFORMED_JSON = "request.malformed_json", "The request body is not valid JSON";
    REQUEST_INVALID_BODY = "request.invalid_body", "The request body has the wrong shape";
    REQUEST_INVALID_PARAMETER = "request.invalid_parameter", "A parameter could not be parsed";
    REQUEST_INVALID_PATH = "request.invalid_path", "A path segment is not valid UTF-8 text";
    REQUEST_DUPLICATE_KEY = "request.duplicate_key", "The request body names a field twice";
    REQUEST_KEY_REUSED = "request.key_reused", "This Idempotency-Key was used for a different request";
    REQUEST_ALREADY_DONE = "request.already_done", "This request was carried out before, and what it made is gone since";
    REQUEST_CROSS_SITE = "request.cross_site", "Cross-site request refused";
    REQUEST_TOO_LARGE = "request.too_large", "The request body is too large";
    REQUEST_UNSUPPORTED_MEDIA_TYPE = "request.unsupported_media_type", "The request body must be application/json";
    REQUEST_METHOD_NOT_ALLOWED = "request.method_not_allowed", "Method not allowed";
    ROUTE_NOT_FOUND = "route.not_found", "No such endpoint";
    AUTH_REQUIRED = "auth.required", "Sign in first";
    AUTH_INVALID_CREDENTIALS = "auth.invalid_credentials", "Email or password is wrong";
    AUTH_ACCOUNT_DISABLED = "auth.account_disabled", "This account is disabled";
    AUTH_FORBIDDEN = "auth.forbidden", "Your role may not do this";
    AUTH_RATE_LIMITED = "auth.rate_limited", "Too many login attempts";
    TOKEN_INVALID = "token.invalid", "This link is unknown, used or expired";
    AUTH_SIGN_IN_LINKS_OFF = "auth.sign_in_links_off", "Sign-in links are off on this server";
    AUTH_LINK_OTHER_BROWSER = "auth.link_other_browser", "Open the sign-in link in the browser where you asked for it";
    AUTH_TOKEN_INVALID = "auth.token_invalid", "This API token is unknown";
    AUTH_TOKEN_EXPIRED = "auth.token_expired", "This API token has expired";
    AUTH_TOKEN_REVOKED = "auth.token_revoked", "This API token was revoked";
    AUTH_TOKEN_SCOPE = "auth.token_scope", "This API token's scopes do not allow this";
    AUTH_SESSION_ONLY = "auth.session_only", "Only a signed-in browser session may do this, not an API token";
    API_TOKEN_NOT_FOUND = "api_token.not_found", "No such API token";
    API_TOKEN_LIMIT = "api_token.limit", "Too many API tokens; revoke one first";
    CALENDAR_NOT_FOUND = "calendar.not_found", "No such calendar subscription";
    OUTBOX_NOT_FOUND = "outbox.not_found", "No such message in the outbox";
    EMAIL_NOT_CONFIGURED = "email.not_configured", "This server sends no e-mail: no SMTP server is configured";
    WEBHOOK_NOT_FOUND = "webhook.not_found", "No such webhook";
    WEBHOOK_LIMIT = "webhook.limit", "Too many webhooks; delete one first";
    SETUP_ALREADY_DONE = "setup.already_done", "Setup is already complete";
    VALIDATION_FAILED = "validation.failed", "Some fields are not valid";
    USER_NOT_FOUND = "user.not_found", "No such user";
    USER_EMAIL_TAKEN = "user.email_taken", "Another account has this email";
    USER_LAST_ADMIN = "user.last_admin", "This would leave no enabled admin";
    USER_SELF_DISABLE = "user.self_disable", "You cannot disable your own account";
    CLIENT_NOT_FOUND = "client.not_found", "No such client";
    PORTAL_NOT_LINKED = "portal.not_linked", "This client account is not linked to a client yet";
    PROJECT_NOT_FOUND = "project.not_found", "No such project";
    PROJECT_ARCHIVED = "project.archived", "This project is archived";
    PROJECT_NOT_MEMBER = "project.not_member", "You are not a member of this project";
    ENTRY_NOT_FOUND = "entry.not_found", "No such entry";
    ENTRY_NEEDS_CONFIRMATION = "entry.needs_confirmation", "Confirm this entry's unusual date";
    TIMER_NOT_RUNNING = "timer.not_running", "No timer is running";
    TIMER_ALREADY_RUNNING = "timer.already_running", "A timer is running already";
    TIMER_STARTED_LATER = "timer.started_later", "The running timer started after that instant";
    TIMESHEET_CELL_AMBIGUOUS = "timesheet.cell_ambiguous", "Several entries make up this cell";
    TIMESHEET_TIMER_RUNNING = "timesheet.timer_running", "A timer is running on this cell; stop it first";
    TASK_NOT_FOUND = "task.not_found", "No such task";
    TAG_NOT_FOUND = "tag.not_found", "No entry carries this tag";
    TASK_ASSIGNEE_NOT_MEMBER = "task.assignee_not_member", "The assignee is not on this project";
    JOB_NOT_FOUND = "job.not_found", "No such job";
    EXPORT_FAILED = "export.failed", "The export could not be written";
    JOB_RUNNING = "job.running", "The job is running already";
    BACKUP_FAILED = "backup.failed", "The backup could not be written";
    HOLD_APPLIES = "hold.applies", "A legal hold covers this data";
    HOLD_NOT_FOUND = "hold.not_found", "No such legal hold";
    HOLD_NOT_ACTIVE = "hold.not_active", "This hold is no longer in force";
    RETENTION_FAILED = "retention.failed", "The retention run could not finish";
    CHECKPOINT_FAILED = "checkpoint.failed", "The audit checkpoint could not be written";
    CHECKPOINT_BAD_KEY = "checkpoint.bad_key", "The checkpoint key could not be read";
    CHECKPOINT_NO_KEY = "checkpoint.no_key", "There is no checkpoint key";
    PRIVACY_REQUEST_NOT_FOUND = "privacy.request_not_found", "No such privacy request";
    PRIVACY_REQUEST_CLOSED = "privacy.request_closed", "The privacy request is closed";
    PRIVACY_REQUEST_OTHER_SUBJECT = "privacy.request_other_subject", "The privacy request concerns someone else";
    PRIVACY_REQUEST_PENDING = "privacy.request_pending", "A request of this kind is already open";
    PRIVACY_ALREADY_EXTENDED = "privacy.already_extended", "The request was extended already";
    PRIVACY_ALREADY_RESTRICTED = "privacy.already_restricted", "Processing is restricted already";
    PRIVACY_NOT_RESTRICTED = "privacy.not_restricted", "Processing is not restricted";
    PRIVACY_RESTRICTED = "privacy.restricted", "This person's data is restricted to storage";
    PRIVACY_SELF_ERASURE = "privacy.self_erasure", "You cannot erase your own account";
    INCIDENT_NOT_FOUND = "incident.not_found", "No such incident";
    INCIDENT_CLOSED = "incident.closed", "The incident is closed";
    INCIDENT_CHANGED = "incident.changed", "The incident changed since you read it; reload it and make the change again";
    INCIDENT_AUTHORITY_RECORDED = "incident.authority_recorded", "The authority's notification is recorded already";
    INCIDENT_NOBODY_TO_NOTIFY = "incident.nobody_to_notify", "Everyone affected was notified already, or no one is affected";
    WRITE_CONTENDED = "write.contended", "The data kept changing while this change was being made";
    INTERNAL_ERROR = "internal.error", "Internal error";
    SERVICE_UNAVAILABLE = "service.unavailable", "The server is not ready";
    SERVER_TOO_MANY_CONNECTIONS = "server.too_many_connections", "Too many open connections";
    STORE_DISK_FULL = "store.disk_full", "The disk is full; writes are paused";
    STORE_UNAVAILABLE = "store.unavailable", "The server cannot write to its disk; writes are paused";
    APPROVAL_DISABLED = "approval.disabled", "Week approval is not used on this instance";
    WEEK_LOCKED = "week.locked", "This week is approved or locked; its entries cannot change";
    WEEK_ALREADY_SUBMITTED = "week.already_submitted", "This week is submitted already";
    WEEK_NOT_SUBMITTED = "week.not_submitted", "This week is not waiting for approval";
    WEEK_NOT_LOCKED = "week.not_locked", "This week is not approved or locked";
    WEEK_OWN = "week.own", "Only an admin may approve their own week";
    WEEK_TIMER_RUNNING = "week.timer_running", "A timer is running in this week; stop it first";
    WEEK_NOT_STARTED = "week.not_started", "This week has not started yet";
}

/// Not a problem code: the store's signal that the acting account vanished or was disabled
/// during a write; the service layer answers it as `auth.required`.
pub const ACCOUNT_GONE: &str = "auth.account_gone";

/// The title of `code`'s problem document ("Internal error" for an unknown code).
pub fn title(code: &str) -> &'static str {
    ALL.iter()
        .find(|(c, _)| *c == code)
        .map_or("Internal error", |(_, t)| t)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The codes in docs/api.md's problem table (`| \`code\` | status |`).
    fn documented() -> Vec<String> {
        include_str!("../../docs/api.md")
            .lines()
            .filter_map(|l| {
                let rest = l.strip_prefix("| `")?;
                let (code, tail) = rest.split_once("` | ")?;
                let status = tail.get(..3)?;
                (code.contains('.') && status.chars().all(|c| c.is_ascii_digit()))
                    .then(|| code.to_owned())
            })
            .collect()
    }

    #[test]
    fn docs_api_md_lists_exactly_the_registered_codes() {
        let docs = documented();
        for (code, _) in ALL {
            assert!(
                docs.iter().any(|d| d == code),
                "docs/api.md does not list {code}"
            );
        }
        for d in &docs {
            assert!(
                ALL.iter().any(|(c, _)| c == d),
                "docs/api.md lists {d}, which no code is"
            );
        }
    }

    #[test]
    fn codes_are_unique_dotted_and_titled() {
        for (i, (code, title)) in ALL.iter().enumerate() {
            assert!(
                ALL[i + 1..].iter().all(|(c, _)| c != code),
                "{code} is registered twice"
            );
            let (area, reason) = code.split_once('.').expect("area.reason");
            let ok =
                |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_lowercase() || c == '_');
            assert!(
                ok(area) && ok(reason),
                "{code} is not a dotted lowercase code"
            );
            assert!(!title.is_empty() && *title != "Internal error" || *code == INTERNAL_ERROR);
        }
    }

    /// Where an error is raised with a code: `Conflict(`, `conflict(`, `Denied(`, `code:`,
    /// `failed(`, `ApiError::new(status,` … followed by a string literal `"area.reason"`.
    fn literal_codes(src: &str) -> Vec<String> {
        const RAISERS: &[&str] = &[
            "Conflict(",
            "conflict(",
            "Denied(",
            "code:",
            "failed(",
            "code(",
            "ApiError::new(",
            "problem(",
        ];
        let mut found = Vec::new();
        for line in src.lines().filter(|l| !l.trim_start().starts_with("//")) {
            for r in RAISERS {
                let Some(at) = line.find(r) else { continue };
                let after = &line[at + r.len()..];
                // The literal may follow the status argument: ApiError::new(StatusCode::X, "a.b", …).
                for part in after.split(',').take(2) {
                    let p = part.trim().trim_start_matches('(');
                    if let Some(lit) = p.strip_prefix('"').and_then(|p| p.split('"').next()) {
                        let dotted = lit.split_once('.').is_some_and(|(a, b)| {
                            [a, b].iter().all(|s| {
                                !s.is_empty()
                                    && s.chars().all(|c| c.is_ascii_lowercase() || c == '_')
                            })
                        });
                        if dotted && !found.iter().any(|f| f == lit) {
                            found.push(lit.to_owned());
                        }
                    }
                }
            }
        }
        found
    }

    #[test]
    fn no_code_is_written_as_a_literal_where_an_error_is_raised() {
        assert_eq!(
            literal_codes(
                r#"return Err(conflict("entry.gone")); x(ApiError::new(StatusCode::GONE, "a.b", None))"#
            ),
            ["entry.gone", "a.b"],
            "the scan finds literals"
        );
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut stack = vec![root];
        let mut bad = Vec::new();
        while let Some(dir) = stack.pop() {
            for e in std::fs::read_dir(&dir).unwrap() {
                let path = e.unwrap().path();
                if path.is_dir() {
                    stack.push(path);
                } else if path.extension().is_some_and(|x| x == "rs")
                    && !path.ends_with("domain/codes.rs")
                {
                    let text = std::fs::read_to_string(&path).unwrap();
                    for lit in literal_codes(&text) {
                        bad.push(format!("{}: \"{lit}\"", path.display()));
                    }
                }
            }
        }
        assert!(
            bad.is_empty(),
            "use a constant of domain::codes (add the code there and to docs/api.md):\n{}",
            bad.join("\n")
        );
    }
}
