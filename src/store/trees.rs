//! Every tree's name, declared once. A write transaction spans all of them, in this order.

/// A tree of the store. Primary trees hold records; `*_by_*` trees are indexes rebuilt from them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TreeId {
    Meta = 0,
    Users,
    UsersByEmail,
    Sessions,
    SessionsByUser,
    Tokens,
    Audit,
    Clients,
    Projects,
    Entries,
    EntriesByUserStart,
    /// user → the entry whose timer runs (at most one per user).
    Running,
    Tasks,
    /// lower-cased tag → `{name, count}`: every tag in use and how many entries carry it.
    Tags,
    EntriesByTag,
    /// job name ‖ 0 ‖ run id (UUIDv7, so time-ordered) → a run of a scheduled job.
    JobRuns,
    /// instant(at) ‖ event id → a security event (oldest first).
    SecurityEvents,
    /// user ‖ instant(at) ‖ event id → empty: one person's security events.
    SecurityEventsByUser,
    /// hold id → a legal hold (released ones are kept, marked released).
    Holds,
    /// request id → a privacy request (the register).
    PrivacyRequests,
    /// erasure id → an erasure (pseudonymous ids only), re-applied by `restore`.
    ErasureLedger,
    /// user → restriction of processing and objections.
    PrivacyFlags,
    /// user ‖ SHA-256(`Idempotency-Key`) → a request carried out, kept eight days so that a
    /// retried one is answered instead of done twice (`store::done_requests`). Not backed up.
    DoneRequests,
    /// project ‖ instant(start) ‖ entry → the entry's person: one project's entries
    /// (`store::project_entries`).
    EntriesByProject,
    /// user ‖ Monday (days since 0001-01-01, 4 bytes) → a week's approval record
    /// (`store::weeks`). Last in the list: a transaction applies its trees in this order, so an
    /// entry's rows are visible before the week it raised.
    Weeks,
    /// SHA-256(an imported row's source id) → the entry it became (`store::imports`).
    Imported,
    /// SHA-256(a personal API token's or calendar feed's secret) → the token
    /// (`store::api_tokens`).
    ApiTokens,
    /// message id (UUIDv7, so time-ordered) → a message to send: a webhook delivery or an
    /// e-mail (`store::outbox`). Not backed up.
    Outbox,
    /// webhook id → a registered webhook (`store::outbox`).
    Webhooks,
    /// incident id (UUIDv7, so time-ordered) → a personal-data breach in the register
    /// (`store::incidents`).
    Incidents,
}

impl TreeId {
    pub const ALL: [TreeId; 30] = [
        TreeId::Meta,
        TreeId::Users,
        TreeId::UsersByEmail,
        TreeId::Sessions,
        TreeId::SessionsByUser,
        TreeId::Tokens,
        TreeId::Audit,
        TreeId::Clients,
        TreeId::Projects,
        TreeId::Entries,
        TreeId::EntriesByUserStart,
        TreeId::Running,
        TreeId::Tasks,
        TreeId::Tags,
        TreeId::EntriesByTag,
        TreeId::JobRuns,
        TreeId::SecurityEvents,
        TreeId::SecurityEventsByUser,
        TreeId::Holds,
        TreeId::PrivacyRequests,
        TreeId::ErasureLedger,
        TreeId::PrivacyFlags,
        TreeId::DoneRequests,
        TreeId::EntriesByProject,
        TreeId::Weeks,
        TreeId::Imported,
        TreeId::ApiTokens,
        TreeId::Outbox,
        TreeId::Webhooks,
        TreeId::Incidents,
    ];

    pub fn name(self) -> &'static str {
        match self {
            TreeId::Meta => "meta",
            TreeId::Users => "users",
            TreeId::UsersByEmail => "users_by_email",
            TreeId::Sessions => "sessions",
            TreeId::SessionsByUser => "sessions_by_user",
            TreeId::Tokens => "tokens",
            TreeId::Audit => "audit",
            TreeId::Clients => "clients",
            TreeId::Projects => "projects",
            TreeId::Entries => "entries",
            TreeId::EntriesByUserStart => "entries_by_user_start",
            TreeId::Running => "running",
            TreeId::Tasks => "tasks",
            TreeId::Tags => "tags",
            TreeId::EntriesByTag => "entries_by_tag",
            TreeId::JobRuns => "job_runs",
            TreeId::SecurityEvents => "security_events",
            TreeId::SecurityEventsByUser => "security_events_by_user",
            TreeId::Holds => "holds",
            TreeId::PrivacyRequests => "privacy_requests",
            TreeId::ErasureLedger => "erasure_ledger",
            TreeId::PrivacyFlags => "privacy_flags",
            TreeId::DoneRequests => "done_requests",
            TreeId::EntriesByProject => "entries_by_project",
            TreeId::Weeks => "weeks",
            TreeId::Imported => "imported",
            TreeId::ApiTokens => "api_tokens",
            TreeId::Outbox => "outbox",
            TreeId::Webhooks => "webhooks",
            TreeId::Incidents => "incidents",
        }
    }

    pub fn index(self) -> usize {
        self as usize
    }
}

/// Keys in the `meta` tree.
pub mod meta {
    pub const SCHEMA_VERSION: &[u8] = b"schema_version";
    pub const AUDIT_HEAD: &[u8] = b"audit_head";
    /// Retention rules set on the admin page, by category key: they override the config.
    pub const RETENTION_RULES: &[u8] = b"retention_rules";
    /// The privacy notice's content hash and since when (`store::notice`).
    pub const PRIVACY_NOTICE: &[u8] = b"privacy_notice";
    /// A counter that every project write raises (`store::projects`): a decision made from the
    /// list of projects checks, inside its transaction, that no project changed since.
    pub const PROJECTS_STAMP: &[u8] = b"projects_stamp";
    /// The last audit record the webhook dispatcher turned into deliveries (its sequence number,
    /// 8 bytes big-endian): deliveries are queued in the transaction that moves it.
    pub const WEBHOOK_CURSOR: &[u8] = b"webhook_cursor";
}
