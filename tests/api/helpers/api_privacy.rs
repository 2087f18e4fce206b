//! Typed calls for privacy requests, their tools and the privacy notice (`/api/v1/privacy…`).

use serde_json::json;

use super::api::{to_json, Items};
use super::dto::*;
use super::Client;

/// A ZIP held in memory.
pub type Zip = zip::ZipArchive<std::io::Cursor<Vec<u8>>>;

impl Client {
    /// `GET /api/v1/me/privacy/export` → 200: the caller's copy of their data, opened.
    pub async fn my_data_zip(&self) -> Zip {
        let r = (self
            .http
            .get(format!("{}/api/v1/me/privacy/export", self.base)))
        .send()
        .await
        .unwrap();
        assert_eq!(r.status(), 200);
        let bytes = r.bytes().await.unwrap().to_vec();
        zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap()
    }

    /// `POST /api/v1/privacy/requests` → 201.
    pub async fn create_privacy_request(&self, req: &PrivacyRequestReq) -> PrivacyRequest {
        self.post("/api/v1/privacy/requests", to_json(req))
            .await
            .expect(201)
    }

    /// `GET /api/v1/privacy/requests/{id}` → 200.
    pub async fn get_privacy_request(&self, id: &str) -> PrivacyRequest {
        self.get(&format!("/api/v1/privacy/requests/{id}"))
            .await
            .expect(200)
    }

    /// `POST /api/v1/privacy/requests/{id}/extend` → 200.
    pub async fn extend_privacy_request(&self, id: &str, reason: &str) -> PrivacyRequest {
        self.post(
            &format!("/api/v1/privacy/requests/{id}/extend"),
            json!({ "reason": reason }),
        )
        .await
        .expect(200)
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

    /// `POST /api/v1/me/privacy/requests` → 201: one's own request, self-service.
    pub async fn create_my_privacy_request(&self, kind: &str, details: &str) -> PrivacyRequest {
        self.post(
            "/api/v1/me/privacy/requests",
            json!({ "kind": kind, "details": details }),
        )
        .await
        .expect(201)
    }

    /// `GET /api/v1/me/privacy/requests` → 200; one's own requests, newest first.
    pub async fn my_privacy_requests(&self) -> Vec<PrivacyRequest> {
        let r = self.get("/api/v1/me/privacy/requests").await;
        r.expect::<Items<PrivacyRequest>>(200).items
    }

    /// `POST /api/v1/privacy/users/{id}/correct` → 200.
    pub async fn correct_user(&self, id: &str, req: &CorrectReq) -> CorrectedUser {
        self.post(&format!("/api/v1/privacy/users/{id}/correct"), to_json(req))
            .await
            .expect(200)
    }

    /// `POST /api/v1/privacy/users/{id}/erase` → 200; the body is `{}` without a request.
    pub async fn erase_user(&self, id: &str, request_id: Option<&str>) -> Erased {
        let body = match request_id {
            Some(req) => json!({ "request_id": req }),
            None => json!({}),
        };
        self.post(&format!("/api/v1/privacy/users/{id}/erase"), body)
            .await
            .expect(200)
    }

    /// `POST /api/v1/privacy/users/{id}/restrict` → 200 (body `{}`).
    pub async fn restrict_user(&self, id: &str) -> PrivacyFlags {
        self.post(&format!("/api/v1/privacy/users/{id}/restrict"), json!({}))
            .await
            .expect(200)
    }

    /// `POST /api/v1/privacy/users/{id}/lift` → 200 (body `{}`).
    pub async fn lift_restriction(&self, id: &str) -> PrivacyFlags {
        self.post(&format!("/api/v1/privacy/users/{id}/lift"), json!({}))
            .await
            .expect(200)
    }

    /// `POST /api/v1/privacy/users/{id}/object` → 200: an objection to `purpose`.
    pub async fn object_to(&self, id: &str, purpose: &str) -> PrivacyFlags {
        self.post(
            &format!("/api/v1/privacy/users/{id}/object"),
            json!({ "purpose": purpose }),
        )
        .await
        .expect(200)
    }

    /// `POST /api/v1/privacy/scan` → 200: where the data of `user` (an id) sits.
    pub async fn privacy_scan(&self, user: &str) -> ScanReport {
        self.post("/api/v1/privacy/scan", json!({ "user": user }))
            .await
            .expect(200)
    }

    /// `GET /api/v1/privacy-notice` → 200 (public).
    pub async fn privacy_notice(&self) -> PrivacyNotice {
        self.get("/api/v1/privacy-notice").await.expect(200)
    }
}
