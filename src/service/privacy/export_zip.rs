//! Access and export: a ZIP with one JSON file per category the instance holds about a
//! person, their entries as CSV, and a README of categories, purposes, retention and
//! recipients (from the configuration).

use crate::service::Privacy;
use crate::store::prelude::*;
use std::io::Write;

use serde_json::json;
use zip::write::SimpleFileOptions;

use super::{attach, Actor, Result, ServiceError, Services};
use crate::domain::privacy::{Policy, RequestAction};
use crate::domain::time::duration_secs;
use crate::domain::{PrivacyRequestId, UserId};

/// What each category holds, for the README.
const CATEGORIES: &[(&str, &str)] = &[
    (
        "account",
        "your name, email, role, time zone and account dates",
    ),
    ("entries", "your time entries (also as entries.csv)"),
    (
        "tags",
        "the tags on your entries and how often you used each",
    ),
    ("projects", "the projects you are a member or manager of"),
    ("tasks", "tasks assigned to you or that you commented on"),
    ("comments", "the comments you wrote on tasks"),
    (
        "sessions",
        "your signed-in sessions: when, from which IP address and browser",
    ),
    (
        "one_time_links",
        "password links issued to you (the secret itself is never stored)",
    ),
    (
        "done_requests",
        "timer starts and stops and quick-add lines you sent with a retry key in the last 8 days: when, and which entry each made (kept so a retry is not done twice)",
    ),
    (
        "security_events",
        "sign-ins, failed sign-ins and token use tied to you",
    ),
    (
        "audit",
        "audit records of changes you made or that concern you",
    ),
    (
        "privacy_requests",
        "your privacy requests and what was done about them",
    ),
    (
        "privacy_flags",
        "restriction of processing and objections you made",
    ),
    (
        "weeks",
        "your weeks' approval: submitted, approved, rejected, reopened or locked, by whom, when and with which comment",
    ),
];

fn readme(p: &Policy, files: &[&str], generated: &str) -> String {
    let mut s = String::new();
    s.push_str(
        "Your data held by this OphionTT instance\n=========================================\n\n",
    );
    s.push_str(&format!("Generated: {generated}\n\n"));
    s.push_str("Categories (one JSON file each):\n");
    for f in files {
        let what = CATEGORIES
            .iter()
            .find(|(c, _)| c == f)
            .map(|(_, w)| *w)
            .unwrap_or("other records about you");
        s.push_str(&format!("  - {f}.json: {what}\n"));
    }
    s.push_str("  - entries.csv: your time entries as a table\n\nPurposes of processing:\n");
    if p.purposes.is_empty() {
        s.push_str("  - (none configured)\n");
    }
    for x in &p.purposes {
        s.push_str(&format!("  - {x}\n"));
    }
    s.push_str("\nRetention:\n");
    for (c, how) in &p.retention {
        s.push_str(&format!("  - {c}: {how}\n"));
    }
    s.push_str("\nRecipients outside the organisation:\n");
    if p.recipients.is_empty() {
        s.push_str("  - none\n");
    }
    for x in &p.recipients {
        s.push_str(&format!("  - {x}\n"));
    }
    if !p.contact.is_empty() {
        s.push_str(&format!("\nQuestions about your data: {}\n", p.contact));
    }
    s.push_str("\nYou may ask for correction, erasure or restriction of your data, or object to its\nprocessing, on \"My account\" or by writing to the contact above.\n");
    s
}

impl Privacy<'_> {
    /// The ZIP of everything held about `user`. Roles: admin for anyone; any user for
    /// themself. Audited as `privacy.exported`; with `request`, recorded on that request.
    pub async fn export_zip(
        &self,
        actor: &Actor,
        user: UserId,
        request: Option<PrivacyRequestId>,
    ) -> Result<Vec<u8>> {
        self.privacy_subject(actor, user)?;
        let svc = Services::clone(self);
        let data = tokio::task::spawn_blocking(move || svc.privacy().collect_personal_data(user))
            .await
            .map_err(|e| ServiceError::Internal(e.into()))??;
        let files: Vec<&str> = data.categories.keys().copied().collect();
        let now = self.now();
        let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let opts = SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .unix_permissions(0o600);
        let z = |e: zip::result::ZipError| ServiceError::Internal(e.into());
        let io = |e: std::io::Error| ServiceError::Internal(e.into());
        out.start_file("README.txt", opts).map_err(z)?;
        out.write_all(
            readme(
                &self.settings().privacy,
                &files,
                &super::super::rfc3339(now),
            )
            .as_bytes(),
        )
        .map_err(io)?;
        for (cat, v) in &data.categories {
            out.start_file(format!("{cat}.json"), opts).map_err(z)?;
            let bytes =
                serde_json::to_vec_pretty(v).map_err(|e| ServiceError::Internal(e.into()))?;
            out.write_all(&bytes).map_err(io)?;
        }
        out.start_file("entries.csv", opts).map_err(z)?;
        let mut w = csv::Writer::from_writer(Vec::new());
        w.write_record([
            "entry_id",
            "project_id",
            "task_id",
            "start",
            "end",
            "duration_seconds",
            "billable",
            "tags",
            "note",
        ])
        .map_err(|e| ServiceError::Internal(e.into()))?;
        for e in &data.entries {
            let end = e.end_ms.unwrap_or(now);
            w.write_record([
                e.id.to_string(),
                e.project_id.to_string(),
                e.task_id.map(|t| t.to_string()).unwrap_or_default(),
                super::super::rfc3339(e.start_ms),
                e.end_ms.map(super::super::rfc3339).unwrap_or_default(),
                duration_secs(e.start_ms, end).to_string(),
                e.billable.to_string(),
                e.tags.join(" "),
                e.note.clone(),
            ])
            .map_err(|e| ServiceError::Internal(e.into()))?;
        }
        let csv = w
            .into_inner()
            .map_err(|e| ServiceError::Internal(anyhow::anyhow!("{e}")))?;
        out.write_all(&csv).map_err(io)?;
        let bytes = out.finish().map_err(z)?.into_inner();
        let ev = self.event(
            actor,
            "privacy.exported",
            Some(format!("user:{user}")),
            json!({ "request": request.map(|r| r.to_string()), "categories": files, "bytes": bytes.len() }),
        );
        let action = RequestAction {
            at_ms: now,
            by: actor.audit_name(),
            what: "exported".into(),
            detail: format!("{} categories, {} bytes", files.len(), bytes.len()),
        };
        self.store()
            .write(|tx| {
                attach(tx, request, user, &action)?;
                tx.append_audit(&ev)?;
                Ok(())
            })
            .await
            .map_err(super::request_error)?;
        Ok(bytes)
    }
}
