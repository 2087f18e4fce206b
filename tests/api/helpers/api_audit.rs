//! Typed calls for the audit log (`/api/v1/audit…`) and security events.

use super::api::Items;
use super::dto::*;
use super::Client;

impl Client {
    /// `GET /api/v1/audit?{query}` → 200; the records, newest first.
    pub async fn audit(&self, query: &str) -> Vec<AuditRecord> {
        self.audit_page(query).await.items
    }

    /// `GET /api/v1/audit?{query}` → 200; one page and the cursor of the next.
    pub async fn audit_page(&self, query: &str) -> AuditPage {
        self.get(&format!("/api/v1/audit?{query}"))
            .await
            .expect(200)
    }

    /// `GET /api/v1/audit/actions` → 200; every action name the log can hold.
    pub async fn audit_actions(&self) -> Vec<String> {
        let r = self.get("/api/v1/audit/actions").await;
        r.expect::<Items<String>>(200).items
    }

    /// `GET /api/v1/audit/verify` → 200: the hash chain recomputed.
    pub async fn audit_verify(&self) -> AuditVerify {
        self.get("/api/v1/audit/verify").await.expect(200)
    }

    /// `GET /api/v1/audit/accessed?{query}` → 200: reads of other people's data, oldest first
    /// (`query`: `from=…&to=…`, optionally `&user=…`).
    pub async fn audit_accessed(&self, query: &str) -> Vec<Access> {
        let r = self.get(&format!("/api/v1/audit/accessed?{query}")).await;
        r.expect::<Items<Access>>(200).items
    }

    /// `GET /api/v1/security-events?{query}` → 200; newest first.
    pub async fn security_events(&self, query: &str) -> SecurityEventPage {
        self.get(&format!("/api/v1/security-events?{query}"))
            .await
            .expect(200)
    }

    /// `GET /api/v1/security-events/kinds` → 200; every kind of security event.
    pub async fn security_event_kinds(&self) -> Vec<String> {
        let r = self.get("/api/v1/security-events/kinds").await;
        r.expect::<Items<String>>(200).items
    }
}
