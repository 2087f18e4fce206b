//! Response shapes of the breach register (`/incidents/...`), converted from the service's
//! views. Instants are RFC 3339 UTC; absent values are `null`.

use poem_openapi::Object;

use super::enums::{IncidentDeadline, IncidentField, IncidentStatus};
use super::rules::OneOf;
use crate::service::incidents::{IncidentView, NoticeDraft, Proposal, Report, Sent};
use crate::service::{rfc3339, AccessView};

/// An incident in the register, with its deadline and what is still missing.
#[derive(Debug, Clone, Object)]
pub struct IncidentDto {
    pub id: String,
    /// Send it back with a change (`PATCH`, `PUT …/affected`): a change made from an older
    /// version is refused with `409 incident.changed`.
    pub version: u64,
    /// What happened, in one line.
    pub title: String,
    pub description: String,
    pub discovered_at: String,
    /// The period the breach covers; `occurred_to` null: ongoing or unknown.
    pub occurred_from: String,
    #[oai(nullable)]
    pub occurred_to: Option<String>,
    pub opened_at: String,
    /// Who opened it (`user:<id>`, `cli:<name>`).
    pub opened_by: String,
    /// Art. 33(3)(a): the nature of the breach.
    pub nature: String,
    pub people_categories: String,
    #[oai(nullable)]
    pub people_count: Option<u64>,
    pub record_categories: String,
    #[oai(nullable)]
    pub record_count: Option<u64>,
    /// Art. 33(3)(c).
    pub consequences: String,
    /// Art. 33(3)(d).
    pub measures: String,
    /// Art. 33(3)(b): the data protection officer or other contact point.
    pub contact: String,
    /// Discovery plus 72 hours (Art. 33(1)).
    pub authority_due_at: String,
    /// running, overdue, notified, notified_late or closed_unnotified.
    pub deadline: OneOf<IncidentDeadline>,
    /// The Art. 33(3) fields still empty.
    pub missing: Vec<OneOf<IncidentField>>,
    #[oai(nullable)]
    pub authority: Option<AuthorityDto>,
    /// open or closed.
    pub status: OneOf<IncidentStatus>,
    #[oai(nullable)]
    pub closed_at: Option<String>,
    pub closing_note: String,
    /// The people confirmed as affected.
    pub people: Vec<AffectedDto>,
    /// The notification texts sent (with `{name}` where each person's name went).
    pub notices: Vec<NoticeDto>,
    pub updated_at: String,
    /// The server's clock when this was made, for a countdown.
    pub now: String,
}

/// The notification of the supervisory authority.
#[derive(Debug, Clone, Object)]
pub struct AuthorityDto {
    pub notified_at: String,
    pub reference: String,
    /// Why it came after the 72 hours.
    pub delay_reason: String,
    pub by: String,
}

/// A person confirmed as affected.
#[derive(Debug, Clone, Object)]
pub struct AffectedDto {
    pub user_id: String,
    /// Null once the person was erased.
    #[oai(nullable)]
    pub name: Option<String>,
    #[oai(nullable)]
    pub email: Option<String>,
    pub erased: bool,
    /// proposed (found in the record of reads) or added (chosen by hand).
    pub source: String,
    /// When they were last notified (Art. 34); null: not yet.
    #[oai(nullable)]
    pub notified_at: Option<String>,
}

/// A notification text that was sent.
#[derive(Debug, Clone, Object)]
pub struct NoticeDto {
    pub at: String,
    pub by: String,
    pub subject: String,
    pub body: String,
    pub recipients: u32,
}

impl From<IncidentView> for IncidentDto {
    fn from(v: IncidentView) -> Self {
        let i = v.incident;
        let a = i.assessment.clone();
        Self {
            id: i.id.to_string(),
            version: i.version,
            authority_due_at: rfc3339(i.authority_due_at_ms()),
            title: i.title,
            description: i.description,
            discovered_at: rfc3339(i.discovered_at_ms),
            occurred_from: rfc3339(i.occurred_from_ms),
            occurred_to: i.occurred_to_ms.map(rfc3339),
            opened_at: rfc3339(i.opened_at_ms),
            opened_by: i.opened_by,
            nature: a.nature,
            people_categories: a.people_categories,
            people_count: a.people_count,
            record_categories: a.record_categories,
            record_count: a.record_count,
            consequences: a.consequences,
            measures: a.measures,
            contact: a.contact,
            deadline: v.deadline.as_str().into(),
            missing: v.missing.iter().map(|m| OneOf::from(*m)).collect(),
            authority: i.authority.map(|n| AuthorityDto {
                notified_at: rfc3339(n.at_ms),
                reference: n.reference,
                delay_reason: n.delay_reason,
                by: n.by,
            }),
            status: i.status.as_str().into(),
            closed_at: i.closed_at_ms.map(rfc3339),
            closing_note: i.closing_note,
            people: (v.people.into_iter())
                .map(|p| AffectedDto {
                    user_id: p.user_id.to_string(),
                    erased: p.name.is_none(),
                    name: p.name,
                    email: p.email,
                    source: p.source,
                    notified_at: p.notified_at_ms.map(rfc3339),
                })
                .collect(),
            notices: (i.notices.into_iter())
                .map(|n| NoticeDto {
                    at: rfc3339(n.at_ms),
                    by: n.by,
                    subject: n.subject,
                    body: n.body,
                    recipients: n.recipients,
                })
                .collect(),
            updated_at: rfc3339(i.updated_at_ms),
            now: rfc3339(v.now_ms),
        }
    }
}

/// An incident in the list: no people named.
#[derive(Debug, Clone, Object)]
pub struct IncidentSummaryDto {
    pub id: String,
    pub title: String,
    pub discovered_at: String,
    pub authority_due_at: String,
    pub deadline: OneOf<IncidentDeadline>,
    #[oai(nullable)]
    pub authority_notified_at: Option<String>,
    pub status: OneOf<IncidentStatus>,
    /// How many Art. 33(3) fields are still empty.
    pub missing: u32,
    pub affected: u32,
    /// How many of the affected people were notified.
    pub notified: u32,
}

impl From<IncidentView> for IncidentSummaryDto {
    fn from(v: IncidentView) -> Self {
        let i = &v.incident;
        Self {
            id: i.id.to_string(),
            title: i.title.clone(),
            discovered_at: rfc3339(i.discovered_at_ms),
            authority_due_at: rfc3339(i.authority_due_at_ms()),
            deadline: v.deadline.as_str().into(),
            authority_notified_at: i.authority.as_ref().map(|a| rfc3339(a.at_ms)),
            status: i.status.as_str().into(),
            missing: v.missing.len() as u32,
            affected: v.people.len() as u32,
            notified: v
                .people
                .iter()
                .filter(|p| p.notified_at_ms.is_some())
                .count() as u32,
        }
    }
}

/// The register, newest first.
#[derive(Debug, Clone, Object)]
pub struct IncidentListDto {
    pub items: Vec<IncidentSummaryDto>,
    /// The server's clock, for the countdowns.
    pub now: String,
}

/// Someone who read a person's data.
#[derive(Debug, Clone, Object)]
pub struct ReaderDto {
    pub actor: String,
    #[oai(nullable)]
    pub actor_name: Option<String>,
    pub reads: u64,
}

/// A person whose data was read during the incident's window.
#[derive(Debug, Clone, Object)]
pub struct ProposedPersonDto {
    pub user_id: String,
    #[oai(nullable)]
    pub name: Option<String>,
    #[oai(nullable)]
    pub email: Option<String>,
    pub reads: u64,
    pub first_read_at: String,
    pub last_read_at: String,
    pub readers: Vec<ReaderDto>,
    /// What was read: account, time entries export, …
    pub what: Vec<String>,
    /// In the incident's affected list already.
    pub affected: bool,
}

/// A read of everyone's data (or of data no longer known) during the window.
#[derive(Debug, Clone, Object)]
pub struct BroadReadDto {
    pub at: String,
    pub actor: String,
    #[oai(nullable)]
    pub actor_name: Option<String>,
    pub action: String,
    pub what: String,
    #[oai(nullable)]
    pub detail: Option<String>,
}

impl From<AccessView> for BroadReadDto {
    fn from(a: AccessView) -> Self {
        Self {
            at: rfc3339(a.at_ms),
            actor: a.actor,
            actor_name: a.actor_name,
            action: a.action,
            what: a.what,
            detail: a.detail,
        }
    }
}

/// The people proposed as affected, from the record of reads in the window.
#[derive(Debug, Clone, Object)]
pub struct ProposalDto {
    pub from: String,
    pub to: String,
    pub people: Vec<ProposedPersonDto>,
    /// Reads of everyone's data (backups, the user list, the audit log): everyone may be
    /// affected.
    pub everyone: Vec<BroadReadDto>,
    /// Reads whose record was redacted: whose data is no longer known.
    pub unknown: Vec<BroadReadDto>,
}

impl From<Proposal> for ProposalDto {
    fn from(p: Proposal) -> Self {
        Self {
            from: rfc3339(p.from_ms),
            to: rfc3339(p.to_ms),
            people: (p.people.into_iter())
                .map(|p| ProposedPersonDto {
                    user_id: p.user_id,
                    name: p.name,
                    email: p.email,
                    reads: p.reads,
                    first_read_at: rfc3339(p.first_at_ms),
                    last_read_at: rfc3339(p.last_at_ms),
                    readers: (p.readers.into_iter())
                        .map(|r| ReaderDto {
                            actor: r.actor,
                            actor_name: r.actor_name,
                            reads: r.reads,
                        })
                        .collect(),
                    what: p.what,
                    affected: p.affected,
                })
                .collect(),
            everyone: p.everyone.into_iter().map(Into::into).collect(),
            unknown: p.unknown.into_iter().map(Into::into).collect(),
        }
    }
}

/// The notification as drafted from the register.
#[derive(Debug, Clone, Object)]
pub struct NoticeDraftDto {
    pub subject: String,
    /// `{name}` stands for each person's name.
    pub body: String,
    /// Who a send would reach now (affected, with an account, not notified yet).
    pub recipients: Vec<String>,
    /// Whether the server sends e-mail (`[email]`); without it, sending is refused.
    pub email_enabled: bool,
}

impl From<NoticeDraft> for NoticeDraftDto {
    fn from(d: NoticeDraft) -> Self {
        Self {
            subject: d.subject,
            body: d.body,
            recipients: d.recipients.iter().map(|u| u.to_string()).collect(),
            email_enabled: d.email_enabled,
        }
    }
}

/// One person notified by a send.
#[derive(Debug, Clone, Object)]
pub struct SentToDto {
    pub user_id: String,
    /// The e-mail's id in the outbox (`GET /api/v1/outbox` shows its delivery).
    pub message_id: String,
}

/// One person left out of a send.
#[derive(Debug, Clone, Object)]
pub struct SkippedDto {
    pub user_id: String,
    /// notified (told before; send with `resend` to tell again) or erased.
    pub reason: String,
}

/// What a send did.
#[derive(Debug, Clone, Object)]
pub struct SentDto {
    pub sent: Vec<SentToDto>,
    pub skipped: Vec<SkippedDto>,
    pub incident: IncidentDto,
}

impl From<Sent> for SentDto {
    fn from(s: Sent) -> Self {
        Self {
            sent: (s.sent.iter())
                .map(|(u, m)| SentToDto {
                    user_id: u.to_string(),
                    message_id: m.to_string(),
                })
                .collect(),
            skipped: (s.skipped.iter())
                .map(|(u, r)| SkippedDto {
                    user_id: u.to_string(),
                    reason: (*r).to_owned(),
                })
                .collect(),
            incident: s.incident.into(),
        }
    }
}

/// One step of the incident's history, from the audit log.
#[derive(Debug, Clone, Object)]
pub struct IncidentStepDto {
    pub seq: u64,
    pub at: String,
    /// Who: a name where the account exists, else the audit name.
    pub actor: String,
    pub action: String,
}

/// The report for the supervisory authority.
#[derive(Debug, Clone, Object)]
pub struct ReportDto {
    pub incident: IncidentDto,
    pub history: Vec<IncidentStepDto>,
    /// The same report as Markdown (`GET …/report/text` downloads it).
    pub text: String,
}

impl From<Report> for ReportDto {
    fn from(r: Report) -> Self {
        Self {
            history: (r.steps.into_iter())
                .map(|s| IncidentStepDto {
                    seq: s.seq,
                    at: rfc3339(s.at_ms),
                    actor: s.actor,
                    action: s.action,
                })
                .collect(),
            text: r.text,
            incident: r.view.into(),
        }
    }
}
