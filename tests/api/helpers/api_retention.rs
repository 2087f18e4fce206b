//! Typed calls for retention (`/api/v1/retention…`) and legal holds (`/api/v1/holds…`).

use serde_json::json;

use super::api::{to_json, Items};
use super::dto::*;
use super::Client;

impl Client {
    /// `GET /api/v1/retention` → 200: each rule and what a run would remove now.
    pub async fn retention(&self) -> RetentionReport {
        self.get("/api/v1/retention").await.expect(200)
    }

    /// `POST /api/v1/retention/run` → 200. `dry_run` sends `{ "dry_run": true }` (only count);
    /// otherwise the body is `{}`, a real run.
    pub async fn run_retention(&self, dry_run: bool) -> RetentionReport {
        let body = if dry_run {
            json!({ "dry_run": true })
        } else {
            json!({})
        };
        self.post("/api/v1/retention/run", body).await.expect(200)
    }

    /// `PUT /api/v1/retention/rules/{category}` → 200; `None` sends `"rule": null` (back to the
    /// config's rule). Answers the new preview.
    pub async fn set_retention_rule(&self, category: &str, rule: Option<&str>) -> RetentionReport {
        self.put(
            &format!("/api/v1/retention/rules/{category}"),
            json!({ "rule": rule }),
        )
        .await
        .expect(200)
    }

    /// `GET /api/v1/holds` → 200; newest first.
    pub async fn list_holds(&self) -> Vec<Hold> {
        let r = self.get("/api/v1/holds").await;
        r.expect::<Items<Hold>>(200).items
    }

    /// `POST /api/v1/holds` → 201.
    pub async fn place_hold(&self, req: &HoldReq) -> Hold {
        self.post("/api/v1/holds", to_json(req)).await.expect(201)
    }

    /// `POST /api/v1/holds/{id}/release` → 200.
    pub async fn release_hold(&self, id: &str, reason: &str) -> Hold {
        self.post(
            &format!("/api/v1/holds/{id}/release"),
            json!({ "reason": reason }),
        )
        .await
        .expect(200)
    }
}
