//! Checking the fixtures when read back: every record of [`Fixtures`] is in the store as it
//! was written, indexes included, and the audit chain links.

use crate::store::prelude::*;

use super::super::{Session, Store};
use super::fixtures::Fixtures;
use super::T0;
use crate::domain::audit::{AuditRecord, GENESIS};
use crate::domain::privacy::PrivacyFlags;
use crate::domain::security::{EventFilter, SecurityEvent};

/// Asserts that `store` holds exactly `f`, read through the store's public read methods (index
/// lookups included, so the indexes rebuilt from the records are checked too).
pub fn assert_holds(store: &Store, f: &Fixtures) {
    let (a, m) = (f.admin.user.id, f.member.user.id);
    // Users and their email index.
    assert_eq!(store.user(a).unwrap().as_ref(), Some(&f.admin));
    assert_eq!(store.user(m).unwrap().as_ref(), Some(&f.member));
    let by_email = store.user_by_email(&f.member.user.email).unwrap();
    assert_eq!(by_email.as_ref(), Some(&f.member));
    assert_eq!(
        store.all_users().unwrap(),
        vec![f.admin.user.clone(), f.member.user.clone()]
    );
    // Sessions and their per-user index.
    let s = store
        .session(&f.session.key())
        .unwrap()
        .expect("the session");
    assert_eq!(session_fields(&s), session_fields(&f.session));
    assert_eq!(store.session_keys_of(a).unwrap(), vec![f.session.key()]);
    // One-time tokens.
    for (key, kind, user) in &f.tokens {
        let t = store.token(key).unwrap().expect("the token");
        assert_eq!(
            (t.kind, t.user_id, t.created_at_ms, t.expires_at_ms),
            (*kind, *user, T0 + 1_000, T0 + 86_400_000)
        );
    }
    // Clients, projects, tasks.
    assert_eq!(store.clients().unwrap(), vec![f.client.clone()]);
    assert_eq!(store.projects().unwrap(), f.projects);
    assert_eq!(store.task(f.task.id).unwrap().as_ref(), Some(&f.task));
    assert_eq!(
        store.tasks_of(f.task.project_id).unwrap(),
        vec![f.task.clone()]
    );
    // Entries, the timeline index, the running timer, the tag index.
    assert_eq!(store.entry(f.entry.id).unwrap().as_ref(), Some(&f.entry));
    let (page, _) = store
        .user_entries(a, 0, i64::MAX, None, 10, |_| true)
        .unwrap();
    assert_eq!(page, vec![f.entry.clone()]);
    assert_eq!(store.running_entry(m).unwrap().as_ref(), Some(&f.running));
    assert_eq!(store.entries_with_tag("night").unwrap(), vec![f.entry.id]);
    let tags: Vec<(String, u64)> = store
        .tags()
        .unwrap()
        .into_iter()
        .map(|t| (t.name, t.count))
        .collect();
    assert_eq!(tags, vec![("Night".into(), 1), ("ops".into(), 1)]);
    // Jobs, security events (and their per-user index), holds, privacy.
    assert_eq!(
        store.job_runs("backup", 10).unwrap(),
        vec![f.job_run.clone()]
    );
    let (events, _) = store
        .security_events(&EventFilter::default(), None, 10)
        .unwrap();
    let newest_first: Vec<SecurityEvent> = f.events.iter().rev().cloned().collect();
    assert_eq!(events, newest_first);
    assert_eq!(
        store.security_events_of(m).unwrap(),
        vec![f.events[1].clone()]
    );
    assert_eq!(store.holds().unwrap(), f.holds);
    assert_eq!(store.privacy_requests().unwrap(), vec![f.request.clone()]);
    assert_eq!(store.erasure_ledger().unwrap(), vec![f.ledger.clone()]);
    assert_eq!(store.privacy_flags(m).unwrap(), f.flags);
    assert_eq!(store.privacy_flags(a).unwrap(), PrivacyFlags::default());
    assert_eq!(store.retention_overrides().unwrap(), f.overrides);
    assert_eq!(store.notice_stamp().unwrap().as_ref(), Some(&f.notice));
    // Week approval records, by person and date.
    for w in &f.weeks {
        assert_eq!(store.week(w.user_id, w.monday).unwrap().as_ref(), Some(w));
    }
    let all = store.weeks_where(|_| true).unwrap();
    assert_eq!(all.len(), f.weeks.len());
    // Imported rows.
    for (k, r) in &f.imported {
        assert_eq!(store.imported(k).unwrap().as_ref(), Some(r));
    }
    for (k, t) in &f.api_tokens {
        assert_eq!(store.api_token(k).unwrap().as_ref(), Some(t));
    }
    assert_eq!(store.webhooks().unwrap(), f.webhooks);
    assert_eq!(store.incidents().unwrap(), f.incidents);
    // The audit chain: every record decodes, links and carries the body it was written with.
    let mut prev = GENESIS.to_owned();
    let records: Vec<AuditRecord> = store.audit_walk().map(|(_, r)| r.unwrap()).collect();
    assert_eq!(records.len(), f.audit.len());
    for (i, (r, ev)) in records.iter().zip(&f.audit).enumerate() {
        r.check(i as u64 + 1, &prev)
            .unwrap_or_else(|e| panic!("audit record {}: {e}", i + 1));
        assert_eq!(
            (
                &r.at_ms,
                &r.actor,
                &r.ip,
                &r.action,
                &r.target,
                r.body.as_ref()
            ),
            (
                &ev.at_ms,
                &ev.actor,
                &ev.ip,
                &ev.action,
                &ev.target,
                Some(&ev.body)
            )
        );
        prev = r.hash.clone();
    }
    let head = store.audit_head().unwrap().expect("an audit head");
    assert_eq!((head.seq, head.hash), (records.len() as u64, prev));
}

fn session_fields(s: &Session) -> impl PartialEq + std::fmt::Debug {
    (
        s.key(),
        s.user_id,
        s.created_at_ms,
        s.last_seen_at_ms,
        s.ip.clone(),
        s.user_agent.clone(),
    )
}
