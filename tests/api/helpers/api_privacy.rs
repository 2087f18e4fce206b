//! Typed calls for privacy requests, their tools and the privacy notice (`/api/v1/privacy…`).

use serde_json::json;

use super::api::to_json;
use super::dto::*;
use super::Client;

impl Client {
    /// `POST /api/v1/privacy/requests` → 201.
    pub async fn create_privacy_request(&self, req: &PrivacyRequestReq) -> PrivacyRequest {
        self.post("/api/v1/privacy/requests", to_json(req))
            .await
            .expect(201)
    }

    /// `POST /api/v1/privacy/requests/{id}/close` → 200; `status` is done, refused or
    /// withdrawn.
    pub async fn close_privacy_request(
        &self,
        id: &str,
        status: &str,
        note: Option<&str>,
    ) -> PrivacyRequest {
        let body = match note {
            Some(note) => json!({ "status": status, "note": note }),
            None => json!({ "status": status }),
        };
        self.post(&format!("/api/v1/privacy/requests/{id}/close"), body)
            .await
            .expect(200)
    }

    /// `GET /api/v1/privacy-notice` → 200 (public).
    pub async fn privacy_notice(&self) -> PrivacyNotice {
        self.get("/api/v1/privacy-notice").await.expect(200)
    }
}
