//! The report for the supervisory authority: everything the register holds about one
//! incident, its history from the audit log, the people affected and the notifications sent;
//! as data (JSON) and as text (Markdown). Reading it is recorded as a read of the affected
//! people's data.

use super::{target, IncidentView};
use crate::domain::incident_text::{report_text, ReportPerson, ReportStep};
use crate::domain::IncidentId;
use crate::service::{Actor, Incidents, Result};
use crate::store::prelude::*;

/// The report.
#[derive(Debug, Clone)]
pub struct Report {
    pub view: IncidentView,
    /// The incident's audit records, oldest first.
    pub steps: Vec<ReportStep>,
    /// The whole report as Markdown.
    pub text: String,
}

impl Incidents<'_> {
    /// The report of incident `id`. Roles: admin, auditor.
    pub async fn report(&self, actor: &Actor, id: IncidentId) -> Result<Report> {
        let inc = self.readable(actor, id)?;
        let want = target(id);
        let from = inc.opened_at_ms;
        let mut recs = self
            .off_runtime(move |s| {
                Ok(s.store()
                    .audit_between(from, i64::MAX, |r| r.target == want)?)
            })
            .await?;
        recs.sort_by_key(|r| r.seq);
        let steps: Vec<ReportStep> = recs
            .into_iter()
            .map(|r| ReportStep {
                seq: r.seq,
                at_ms: r.at_ms,
                actor: self.users().actor_name(&r.actor).unwrap_or(r.actor),
                action: r.action,
            })
            .collect();
        self.record_read(actor, &inc, "breach register: report")
            .await?;
        let view = self.view(inc);
        let people: Vec<ReportPerson> = (view.people.iter())
            .map(|p| ReportPerson {
                id: p.user_id.to_string(),
                label: match (&p.name, &p.email) {
                    (Some(n), Some(e)) => format!("{n} <{e}>"),
                    _ => "erased".to_owned(),
                },
                source: p.source.clone(),
                notified_at_ms: p.notified_at_ms,
            })
            .collect();
        let text = report_text(&view.incident, view.now_ms, &people, &steps);
        Ok(Report { view, steps, text })
    }
}
