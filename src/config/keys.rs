//! Every configuration key, once: its default and what is allowed. The sample `ophiontt.toml`
//! documents the same keys, in this order, and a test checks they agree.

/// One configuration key.
pub struct KeyDef {
    pub path: &'static str,
    pub default: &'static str,
    pub allowed: &'static str,
}

const RETENTION_RULE: &str =
    "forever, or a whole number and a unit: h, d, w, mo (months) or y (years), such as 90d or 7y";

/// Keys whose value is a list of tables (`[[tickets.patterns]]` or an inline list): kept as
/// their TOML text, the form an environment variable gives too.
pub const TABLE_LISTS: &[&str] = &["tickets.patterns"];

/// All keys, in the order the sample file documents them.
pub const KEYS: &[KeyDef] = &[
    KeyDef {
        path: "data_dir",
        default: "./ophiontt-data",
        allowed: "a folder path",
    },
    KeyDef {
        path: "server.listen",
        default: "127.0.0.1:8080",
        allowed: "an IP address and port such as 127.0.0.1:8080 (port 0 picks a free port)",
    },
    KeyDef {
        path: "server.public_url",
        default: "",
        allowed: "empty (derived from server.listen) or an http(s):// URL without a path",
    },
    KeyDef {
        path: "server.allow_plain_http",
        default: "false",
        allowed: "true or false",
    },
    KeyDef {
        path: "server.max_body_bytes",
        default: "1048576",
        allowed: "an integer from 1024 to 67108864",
    },
    KeyDef {
        path: "server.shutdown_grace",
        default: "30s",
        allowed: "a duration from 1s to 10m, such as 30s",
    },
    KeyDef {
        path: "server.header_read_timeout",
        default: "10s",
        allowed: "a duration from 1s to 5m, such as 10s",
    },
    KeyDef {
        path: "server.idle_timeout",
        default: "60s",
        allowed: "a duration from 1s to 1h, such as 60s",
    },
    KeyDef {
        path: "server.max_connections",
        default: "auto",
        allowed: "auto (the open-file limit less 256, at most 8192) or an integer from 1 to 1000000",
    },
    KeyDef {
        path: "server.max_requests_per_connection",
        default: "1000",
        allowed: "an integer from 1 to 1000000",
    },
    KeyDef {
        path: "tls.cert",
        default: "",
        allowed: "empty, or the path of a PEM certificate chain (server certificate first)",
    },
    KeyDef {
        path: "tls.key",
        default: "",
        allowed: "empty, or the path of the PEM private key of tls.cert",
    },
    KeyDef {
        path: "tls.redirect_listen",
        default: "",
        allowed: "empty, or an IP address and port such as 0.0.0.0:80 for a plain-HTTP listener that redirects to HTTPS",
    },
    KeyDef {
        path: "session.idle_timeout",
        default: "12h",
        allowed: "a duration from 5m to 30d, such as 12h",
    },
    KeyDef {
        path: "session.absolute_timeout",
        default: "7d",
        allowed: "a duration from 1h to 365d, not shorter than session.idle_timeout",
    },
    KeyDef {
        path: "auth.min_password_length",
        default: "12",
        allowed: "an integer from 8 to 128",
    },
    KeyDef {
        path: "auth.reset_link_ttl",
        default: "24h",
        allowed: "a duration from 10m to 7d",
    },
    KeyDef {
        path: "auth.login_attempts_per_minute",
        default: "10",
        allowed: "an integer from 1 to 1000",
    },
    KeyDef {
        path: "auth.token_max_days",
        default: "365",
        allowed: "an integer from 1 to 3650: the longest expiry a personal API token may get, in days",
    },
    KeyDef {
        path: "auth.sign_in_links",
        default: "false",
        allowed: "true or false: whether people may sign in with a one-time link e-mailed to them (needs [email])",
    },
    KeyDef {
        path: "auth.sign_in_link_ttl",
        default: "15m",
        allowed: "a duration from 5m to 1h: how long an e-mailed sign-in link works",
    },
    KeyDef {
        path: "tracking.max_entry_hours",
        default: "24",
        allowed: "an integer from 1 to 168: the longest a time entry may last, in hours",
    },
    KeyDef {
        path: "tracking.max_future_days",
        default: "366",
        allowed: "an integer from 0 to 3660: how many days ahead of now an entry may start",
    },
    KeyDef {
        path: "tracking.min_timer_seconds",
        default: "60",
        allowed: "an integer from 0 to 3600: a timer stopped sooner asks whether to keep or discard its entry (0: never asks)",
    },
    KeyDef {
        path: "billing.rounding",
        default: "none",
        allowed: "none, or <up|down|nearest> <1|5|6|10|15|30> per <entry|day>, such as up 15 per entry: how billed time is rounded where a project does not say",
    },
    KeyDef {
        path: "billing.budget_alert_percent",
        default: "80",
        allowed: "an integer from 1 to 100: a project's budget warns once this share is used, where the project does not say",
    },
    KeyDef {
        path: "portal.show_rates",
        default: "false",
        allowed: "true or false: whether client accounts see rates, amounts and money budgets in their portal",
    },
    KeyDef {
        path: "approval.enabled",
        default: "false",
        allowed: "true or false: whether people submit their weeks for approval",
    },
    KeyDef {
        path: "approval.lock_after_days",
        default: "0",
        allowed: "an integer from 0 to 3660: the week_lock job locks every week whose Sunday is more than this many days ago and is not approved (0: off)",
    },
    KeyDef {
        path: "tickets.patterns",
        default: "[]",
        allowed: "a list of at most 20 tables { name = \"jira\", pattern = '([A-Z]+-\\d+)', url = \"https://tracker.example/browse/$1\" }: name of a-z, 0-9, - and _; pattern a regular expression whose capture group 1 is the ticket id; url an http(s):// URL using $1 (… $9 for other groups); in the environment, the same list in TOML",
    },
    KeyDef {
        path: "webhooks.allowed_hosts",
        default: "",
        allowed: "empty (no webhooks), a list of strings, or one string with entries separated by `;`: the hosts (`host`, any port, or `host:port`) webhooks may be registered to and delivered to",
    },
    KeyDef {
        path: "webhooks.timeout",
        default: "10s",
        allowed: "a duration from 1s to 60s: how long one delivery may take before it counts as failed",
    },
    KeyDef {
        path: "webhooks.retry_base",
        default: "30s",
        allowed: "a duration from 1s to 1h: the wait after a failed delivery or e-mail; each later one waits four times longer, at most six hours",
    },
    KeyDef {
        path: "webhooks.max_attempts",
        default: "8",
        allowed: "an integer from 1 to 20: attempts before a delivery or e-mail is marked failed (an admin can send it again)",
    },
    KeyDef {
        path: "email.smtp_host",
        default: "",
        allowed: "empty (no e-mail: links are handed over by hand, as without e-mail), or the host name or IP address of the SMTP server",
    },
    KeyDef {
        path: "email.smtp_port",
        default: "587",
        allowed: "a port from 1 to 65535: usually 587 with starttls, 465 with tls, 25 for a local relay",
    },
    KeyDef {
        path: "email.security",
        default: "starttls",
        allowed: "starttls (connect, then upgrade to TLS; refused if the server does not offer it), tls (TLS from the first byte, usually port 465) or none (no encryption: only for a server on a loopback address)",
    },
    KeyDef {
        path: "email.username",
        default: "",
        allowed: "empty (no SMTP authentication) or the user name to authenticate with (needs email.password_file)",
    },
    KeyDef {
        path: "email.password_file",
        default: "",
        allowed: "empty, or a file whose first line is the SMTP password (the password itself never goes in the configuration)",
    },
    KeyDef {
        path: "email.from",
        default: "",
        allowed: "the sender, such as `OphionTT <timetracker@example.com>` or `timetracker@example.com`; required when email.smtp_host is set",
    },
    KeyDef {
        path: "email.timeout",
        default: "10s",
        allowed: "a duration from 1s to 120s: how long sending one message may take before the attempt counts as failed",
    },
    KeyDef {
        path: "jobs.time_zone",
        default: "UTC",
        allowed: "an IANA time zone such as UTC or Europe/Berlin, in which job schedules are read",
    },
    KeyDef {
        path: "jobs.backup",
        default: "30 2 * * *",
        allowed: "a cron expression (minute hour day-of-month month day-of-week, or with seconds first), or empty for off",
    },
    KeyDef {
        path: "jobs.export",
        default: "",
        allowed: "a cron expression, or empty for off",
    },
    KeyDef {
        path: "jobs.export_period",
        default: "week",
        allowed: "day, week or month: the previous complete one is exported",
    },
    KeyDef {
        path: "jobs.export_format",
        default: "csv",
        allowed: "csv, json, xlsx, ics or pdf (docs/exports.md)",
    },
    KeyDef {
        path: "jobs.expire_sessions",
        default: "17 * * * *",
        allowed: "a cron expression, or empty for off",
    },
    KeyDef {
        path: "jobs.retention",
        default: "15 3 * * *",
        allowed: "a cron expression, or empty for off",
    },
    KeyDef {
        path: "jobs.audit_checkpoint",
        default: "41 * * * *",
        allowed: "a cron expression, or empty for off",
    },
    KeyDef {
        path: "jobs.week_lock",
        default: "20 0 * * *",
        allowed: "a cron expression, or empty for off",
    },
    KeyDef {
        path: "jobs.privacy_reminders",
        default: "0 8 * * *",
        allowed: "a cron expression, or empty for off: reminds of the privacy requests due within privacy.due_soon_days or overdue (a privacy.request_due webhook event each, and with [email] a digest e-mailed to admins)",
    },
    KeyDef {
        path: "backup.dir",
        default: "",
        allowed: "empty (<data_dir>/backups) or a folder path",
    },
    KeyDef {
        path: "backup.keep_daily",
        default: "7",
        allowed: "an integer from 0 to 1000",
    },
    KeyDef {
        path: "backup.keep_weekly",
        default: "4",
        allowed: "an integer from 0 to 1000",
    },
    KeyDef {
        path: "backup.keep_monthly",
        default: "6",
        allowed: "an integer from 0 to 1000",
    },
    KeyDef {
        path: "backup.encrypt_to",
        default: "",
        allowed: "empty, or an age recipient (age1…) that scheduled backups are encrypted to",
    },
    KeyDef {
        path: "backup.passphrase_file",
        default: "",
        allowed: "empty, or a file whose first line is the passphrase scheduled backups are encrypted with",
    },
    KeyDef {
        path: "retention.time_entries",
        default: "forever",
        allowed: RETENTION_RULE,
    },
    KeyDef {
        path: "retention.tasks",
        default: "forever",
        allowed: RETENTION_RULE,
    },
    KeyDef {
        path: "retention.security_events",
        default: "90d",
        allowed: RETENTION_RULE,
    },
    KeyDef {
        path: "retention.sessions",
        default: "0d",
        allowed: RETENTION_RULE,
    },
    KeyDef {
        path: "retention.audit_bodies",
        default: "forever",
        allowed: RETENTION_RULE,
    },
    KeyDef {
        path: "retention.privacy_requests",
        default: "forever",
        allowed: RETENTION_RULE,
    },
    KeyDef {
        path: "retention.disabled_accounts",
        default: "forever",
        allowed: RETENTION_RULE,
    },
    KeyDef {
        path: "retention.exports",
        default: "forever",
        allowed: RETENTION_RULE,
    },
    KeyDef {
        path: "retention.logs",
        default: "30d",
        allowed: RETENTION_RULE,
    },
    KeyDef {
        path: "retention.backups",
        default: "forever",
        allowed: RETENTION_RULE,
    },
    KeyDef {
        path: "audit.checkpoint_dir",
        default: "",
        allowed: "empty (<data_dir>/checkpoints) or a folder path; signed checkpoints of the audit chain are written there, to be copied off this machine",
    },
    KeyDef {
        path: "privacy.law",
        default: "gdpr",
        allowed: "gdpr or ccpa: whose deadlines the privacy-request register follows",
    },
    KeyDef {
        path: "privacy.due_soon_days",
        default: "7",
        allowed: "an integer from 0 to 60: open requests due within this many days are highlighted",
    },
    KeyDef {
        path: "privacy.erase_entries",
        default: "anonymise",
        allowed: "anonymise (keep a person's entries under a pseudonym of their own) or delete",
    },
    KeyDef {
        path: "privacy.controller",
        default: "",
        allowed: "empty, or who is responsible for the personal data here (organisation name), shown in the privacy notice at /privacy",
    },
    KeyDef {
        path: "privacy.contact",
        default: "",
        allowed: "empty, or how people reach the controller about their data (an email or postal address), shown in the notice and in data exports",
    },
    KeyDef {
        path: "privacy.processors",
        default: "",
        allowed: "empty, a list of strings, or one string with entries separated by `;`: who else receives or processes the data (hosting, backup storage, …), each as you want it shown in the notice and in data exports",
    },
    KeyDef {
        path: "privacy.purposes",
        default: "recording working time; billing clients for time worked; keeping the working-time records the law requires",
        allowed: "purposes of processing, separated by semicolons (shown in data exports)",
    },
    KeyDef {
        path: "privacy.recipients",
        default: "",
        allowed: "the older name of privacy.processors: its entries are added to them (shown in the notice and in data exports)",
    },
    KeyDef {
        path: "privacy.ledger_file",
        default: "",
        allowed: "empty (<backup.dir>/erasure-ledger.jsonl) or a file path: a copy of the erasure ledger kept beside the backups",
    },
    KeyDef {
        path: "metrics.token_file",
        default: "",
        allowed: "empty (only loopback clients read /metrics), or a file holding a bearer token that also lets other clients read it",
    },
    KeyDef {
        path: "log.level",
        default: "info",
        allowed: "error, warn, info, debug or trace",
    },
    KeyDef {
        path: "log.file",
        default: "true",
        allowed: "true or false",
    },
];
