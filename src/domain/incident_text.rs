//! The words of the incident register — pure: the notification each affected person gets
//! (Art. 34(2): in clear and plain language, the nature of the breach, a contact point, the
//! likely consequences and the measures), and the report for the authority as text.

use super::incident::{Incident, REQUIRED};
use super::time::rfc3339;

/// Where each person's name goes in a notification's text.
pub const NAME_PLACEHOLDER: &str = "{name}";

/// A notification's subject and text, before `{name}` is filled in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Draft {
    pub subject: String,
    pub body: String,
}

fn or_todo(s: &str, what: &str) -> String {
    let s = s.trim();
    if s.is_empty() {
        format!("[{what}: fill this in]")
    } else {
        s.to_owned()
    }
}

/// The day of an instant, `YYYY-MM-DD` (UTC).
fn day(ms: i64) -> String {
    rfc3339(ms).chars().take(10).collect()
}

/// The notification drafted from what the register knows; the admin edits it before sending.
/// Blank fields are marked `[…: fill this in]`, so a draft sent unedited shows what it lacks.
pub fn draft(inc: &Incident) -> Draft {
    let a = &inc.assessment;
    let period = match inc.occurred_to_ms {
        Some(to) => format!("between {} and {}", day(inc.occurred_from_ms), day(to)),
        None => format!("since {}", day(inc.occurred_from_ms)),
    };
    let mut what = format!("What happened: {}.", inc.title.trim().trim_end_matches('.'));
    if !inc.description.trim().is_empty() {
        what.push(' ');
        what.push_str(inc.description.trim());
    }
    let body = [
        format!("Hello {NAME_PLACEHOLDER},"),
        format!(
            "we are writing to tell you about a personal data breach that concerns your \
             personal data. We found out about it on {}; it concerns the period {period}.",
            day(inc.discovered_at_ms)
        ),
        what,
        format!(
            "What kind of breach it is: {}. The data it concerns: {}.",
            or_todo(&a.nature, "the nature of the breach").trim_end_matches('.'),
            or_todo(&a.record_categories, "the kinds of data concerned").trim_end_matches('.')
        ),
        format!(
            "What this may mean for you: {}",
            or_todo(&a.consequences, "the likely consequences")
        ),
        format!(
            "What we have done and will do about it: {}",
            or_todo(&a.measures, "the measures taken or proposed")
        ),
        format!(
            "If you have questions, or to learn more, contact: {}",
            or_todo(&a.contact, "the contact point")
        ),
    ]
    .join("\n\n");
    Draft {
        subject: "Important: a personal data breach that concerns you".to_owned(),
        body,
    }
}

/// `body` with each `{name}` replaced by `name`.
pub fn personalise(body: &str, name: &str) -> String {
    body.replace(NAME_PLACEHOLDER, name)
}

/// A person in the report: their id, how they are known now, and when they were notified.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportPerson {
    pub id: String,
    /// Name and email, or `erased` once the person was erased.
    pub label: String,
    pub source: String,
    pub notified_at_ms: Option<i64>,
}

/// One step of the incident's history, from the audit log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportStep {
    pub seq: u64,
    pub at_ms: i64,
    pub actor: String,
    pub action: String,
}

/// The report's text: everything the register holds, for the authority (Markdown).
pub fn report_text(
    inc: &Incident,
    now_ms: i64,
    people: &[ReportPerson],
    steps: &[ReportStep],
) -> String {
    let a = &inc.assessment;
    let mut o = String::new();
    let mut line = |s: String| {
        o.push_str(&s);
        o.push('\n');
    };
    let text = |s: &str| {
        if s.trim().is_empty() {
            "(not recorded)".to_owned()
        } else {
            s.trim().replace('\n', "\n  ")
        }
    };
    let count = |n: Option<u64>| n.map_or("(not recorded)".to_owned(), |n| format!("about {n}"));
    line(format!("# Personal data breach: {}", inc.title.trim()));
    line(String::new());
    line(format!(
        "Incident {} — report made {}",
        inc.id,
        rfc3339(now_ms)
    ));
    line(String::new());
    line("## When".into());
    line(format!("- Discovered: {}", rfc3339(inc.discovered_at_ms)));
    line(format!(
        "- Period concerned: {} to {}",
        rfc3339(inc.occurred_from_ms),
        inc.occurred_to_ms
            .map_or("(ongoing or unknown)".to_owned(), rfc3339)
    ));
    line(format!(
        "- Recorded in the register: {} by {}",
        rfc3339(inc.opened_at_ms),
        inc.opened_by
    ));
    line(format!(
        "- Authority to be notified by: {} (72 hours after discovery, Art. 33(1))",
        rfc3339(inc.authority_due_at_ms())
    ));
    line(format!("- Status: {}", inc.status.as_str()));
    line(String::new());
    line("## What happened".into());
    line(text(&inc.description).replace("(not recorded)", inc.title.trim()));
    line(String::new());
    line("## Art. 33(3) particulars".into());
    line(format!("- Nature of the breach: {}", text(&a.nature)));
    line(format!(
        "- Categories of people concerned: {}",
        text(&a.people_categories)
    ));
    line(format!(
        "- Approximate number of people: {}",
        count(a.people_count)
    ));
    line(format!(
        "- Categories of records concerned: {}",
        text(&a.record_categories)
    ));
    line(format!(
        "- Approximate number of records: {}",
        count(a.record_count)
    ));
    line(format!("- Likely consequences: {}", text(&a.consequences)));
    line(format!(
        "- Measures taken or proposed: {}",
        text(&a.measures)
    ));
    line(format!("- Contact point: {}", text(&a.contact)));
    let missing = a.missing();
    if !missing.is_empty() {
        debug_assert!(missing.iter().all(|m| REQUIRED.contains(m)));
        line(format!("- Not yet recorded: {}", missing.join(", ")));
    }
    line(String::new());
    line("## Notification of the supervisory authority".into());
    match &inc.authority {
        Some(n) => {
            line(format!(
                "- Notified: {} (recorded by {})",
                rfc3339(n.at_ms),
                n.by
            ));
            line(format!("- Reference: {}", text(&n.reference)));
            if !n.delay_reason.trim().is_empty() {
                line(format!(
                    "- Reasons for the delay: {}",
                    text(&n.delay_reason)
                ));
            }
        }
        None => line("- Not notified yet.".into()),
    }
    if !inc.closing_note.trim().is_empty() {
        line(format!("- Closing note: {}", text(&inc.closing_note)));
    }
    line(String::new());
    let told = people.iter().filter(|p| p.notified_at_ms.is_some()).count();
    line(format!(
        "## People affected: {} ({} notified, Art. 34)",
        people.len(),
        told
    ));
    for p in people {
        let when = p.notified_at_ms.map_or("not notified".to_owned(), |t| {
            format!("notified {}", rfc3339(t))
        });
        line(format!("- {} ({}) — {}; {}", p.label, p.id, p.source, when));
    }
    line(String::new());
    line("## Notifications sent".into());
    if inc.notices.is_empty() {
        line("None.".into());
    }
    for n in &inc.notices {
        line(format!(
            "### {} by {}, to {} person(s): {}",
            rfc3339(n.at_ms),
            n.by,
            n.recipients,
            n.subject
        ));
        line(String::new());
        for l in n.body.lines() {
            line(format!("> {l}"));
        }
        line(String::new());
    }
    line(String::new());
    line("## History (from the audit log)".into());
    for s in steps {
        line(format!(
            "- #{} {} {} by {}",
            s.seq,
            rfc3339(s.at_ms),
            s.action,
            s.actor
        ));
    }
    o
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::incident::{Assessment, IncidentStatus};
    use crate::domain::IncidentId;

    fn incident() -> Incident {
        Incident {
            id: IncidentId::new(0),
            version: 1,
            title: "Laptop stolen".into(),
            description: "From a car.".into(),
            discovered_at_ms: 1_767_225_600_000,
            occurred_from_ms: 1_767_139_200_000,
            occurred_to_ms: None,
            opened_at_ms: 1_767_225_600_000,
            opened_by: "user:x".into(),
            assessment: Assessment {
                consequences: "phishing".into(),
                ..Default::default()
            },
            authority: None,
            status: IncidentStatus::Open,
            closed_at_ms: None,
            closing_note: String::new(),
            affected: vec![],
            notices: vec![],
            notifications: vec![],
            updated_at_ms: 0,
        }
    }

    #[test]
    fn the_draft_names_the_person_and_marks_what_is_missing() {
        let d = draft(&incident());
        assert!(d.body.starts_with("Hello {name},"));
        assert!(d.body.contains("What happened: Laptop stolen. From a car."));
        assert!(d.body.contains("since 2025-12-31"));
        assert!(d.body.contains("What this may mean for you: phishing"));
        assert!(d.body.contains("[the contact point: fill this in]"));
        assert_eq!(
            personalise(&d.body, "Max").lines().next(),
            Some("Hello Max,")
        );
    }

    #[test]
    fn the_report_lists_people_and_what_is_not_recorded() {
        let people = vec![ReportPerson {
            id: "u1".into(),
            label: "erased".into(),
            source: "proposed".into(),
            notified_at_ms: None,
        }];
        let t = report_text(&incident(), 1_767_225_600_000, &people, &[]);
        assert!(t.contains("## People affected: 1 (0 notified, Art. 34)"));
        assert!(t.contains("- erased (u1) — proposed; not notified"));
        assert!(t.contains("- Not yet recorded: nature,"));
        assert!(t.contains("- Not notified yet."));
        assert!(t.contains("2026-01-04T00:00:00Z (72 hours after discovery"));
    }
}
