//! Typed calls, one per endpoint of the common flows: each sends the request, asserts the
//! status a success answers with (showing the body when it is not) and returns the answer as a
//! struct from `dto.rs`. A test about a refusal uses the raw calls (`post`, `patch` …), which
//! return the status and the problem as they came. The compliance areas have files of their
//! own, `api_<area>.rs`, which use `Items` and `to_json` from here.

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::json;

use super::dto::*;
use super::{Client, Resp};

impl Resp {
    /// The body as `T`; panics (showing the body) when it does not fit.
    pub fn json<T: DeserializeOwned>(&self) -> T {
        serde_json::from_value(self.body.clone())
            .unwrap_or_else(|e| panic!("unexpected answer ({e}): {}", self.body))
    }

    /// Asserts the status, then reads the body as `T`.
    pub fn expect<T: DeserializeOwned>(&self, status: u16) -> T {
        assert_eq!(self.status, status, "{}", self.body);
        self.json()
    }
}

/// `{ "items": [...] }`.
#[derive(serde::Deserialize)]
pub(super) struct Items<T> {
    pub(super) items: Vec<T>,
}

/// A request struct as the JSON body to send.
pub(super) fn to_json(body: &impl Serialize) -> serde_json::Value {
    serde_json::to_value(body).unwrap()
}

impl Client {
    // ---- projects, clients, tags ----

    /// `POST /api/v1/projects` → 201.
    pub async fn create_project(&self, req: &ProjectReq) -> Project {
        self.post("/api/v1/projects", to_json(req))
            .await
            .expect(201)
    }

    /// `PATCH /api/v1/projects/{id}` → 200.
    pub async fn update_project(&self, id: &str, req: &ProjectReq) -> Project {
        self.patch(&format!("/api/v1/projects/{id}"), to_json(req))
            .await
            .expect(200)
    }

    /// `GET /api/v1/projects?{query}` → 200.
    pub async fn list_projects(&self, query: &str) -> Vec<Project> {
        let r = self.get(&format!("/api/v1/projects?{query}")).await;
        r.expect::<Items<Project>>(200).items
    }

    /// `POST /api/v1/clients` → 201.
    pub async fn create_client(&self, name: &str) -> ClientOrg {
        self.post("/api/v1/clients", json!({ "name": name }))
            .await
            .expect(201)
    }

    /// `GET /api/v1/tags` → 200.
    pub async fn list_tags(&self) -> Vec<TagCount> {
        let r = self.get("/api/v1/tags").await;
        r.expect::<Items<TagCount>>(200).items
    }

    /// `POST /api/v1/tags/rename` → 200; how many entries changed.
    pub async fn rename_tag(&self, from: &str, to: &str) -> u64 {
        #[derive(serde::Deserialize)]
        struct Renamed {
            entries_changed: u64,
        }
        let r = self
            .post("/api/v1/tags/rename", json!({ "from": from, "to": to }))
            .await;
        r.expect::<Renamed>(200).entries_changed
    }

    // ---- entries and the timer ----

    /// `POST /api/v1/entries` → 201.
    pub async fn create_entry(&self, req: &EntryReq) -> Entry {
        self.post("/api/v1/entries", to_json(req)).await.expect(201)
    }

    /// `POST /api/v1/entries/quick` → 201: one typed line becomes an entry, its day confirmed
    /// (tests name fixed dates, which the real clock moves away from).
    pub async fn quick_add(&self, text: &str) -> Entry {
        self.post(
            "/api/v1/entries/quick",
            json!({ "text": text, "confirm": true }),
        )
        .await
        .expect(201)
    }

    /// `PATCH /api/v1/entries/{id}` → 200.
    pub async fn update_entry(&self, id: &str, req: &EntryReq) -> Entry {
        self.patch(&format!("/api/v1/entries/{id}"), to_json(req))
            .await
            .expect(200)
    }

    /// `DELETE /api/v1/entries/{id}` → 204.
    pub async fn delete_entry(&self, id: &str) {
        let r = self.delete(&format!("/api/v1/entries/{id}")).await;
        assert_eq!(r.status, 204, "{}", r.body);
    }

    /// `GET /api/v1/entries?{query}` → 200 (`query` as in the URL: `from=…&to=…&tag=…`).
    pub async fn list_entries(&self, query: &str) -> EntryPage {
        self.get(&format!("/api/v1/entries?{query}"))
            .await
            .expect(200)
    }

    /// `POST /api/v1/entries/bulk` → 200; the entries that changed.
    pub async fn bulk_entries(&self, req: &BulkReq) -> Vec<Entry> {
        let r = self.post("/api/v1/entries/bulk", to_json(req)).await;
        r.expect::<Items<Entry>>(200).items
    }

    /// `POST /api/v1/timer/start` → 201.
    pub async fn start_timer(&self, req: &EntryReq) -> Started {
        self.post("/api/v1/timer/start", to_json(req))
            .await
            .expect(201)
    }

    /// `POST /api/v1/timer/stop` → 200.
    pub async fn stop_timer(&self) -> Stopped {
        self.post_empty("/api/v1/timer/stop").await.expect(200)
    }

    /// `GET /api/v1/timer` → 200; the running entry, if any.
    pub async fn running_timer(&self) -> Option<Entry> {
        #[derive(serde::Deserialize)]
        struct Timer {
            running: Option<Entry>,
        }
        self.get("/api/v1/timer").await.expect::<Timer>(200).running
    }

    /// `POST /api/v1/entries/{id}/continue` → 201.
    pub async fn continue_entry(&self, id: &str) -> Started {
        self.post_empty(&format!("/api/v1/entries/{id}/continue"))
            .await
            .expect(201)
    }

    // ---- tasks ----

    /// `POST /api/v1/projects/{project}/tasks` → 201.
    pub async fn create_task(&self, project: &str, req: &TaskReq) -> Task {
        self.post(&format!("/api/v1/projects/{project}/tasks"), to_json(req))
            .await
            .expect(201)
    }

    /// `PATCH /api/v1/tasks/{id}` → 200.
    pub async fn update_task(&self, id: &str, req: &TaskReq) -> Task {
        self.patch(&format!("/api/v1/tasks/{id}"), to_json(req))
            .await
            .expect(200)
    }

    /// `POST /api/v1/tasks/{id}/comments` → 201; the task with its comments.
    pub async fn comment_task(&self, id: &str, text: &str) -> Task {
        self.post(
            &format!("/api/v1/tasks/{id}/comments"),
            json!({ "text": text }),
        )
        .await
        .expect(201)
    }

    /// `GET /api/v1/projects/{project}/tasks` → 200.
    pub async fn list_tasks(&self, project: &str) -> Vec<Task> {
        let r = self.get(&format!("/api/v1/projects/{project}/tasks")).await;
        r.expect::<Items<Task>>(200).items
    }

    // ---- the timesheet ----

    /// `GET /api/v1/timesheet?week={day}` → 200.
    pub async fn timesheet(&self, week: &str) -> Timesheet {
        self.get(&format!("/api/v1/timesheet?week={week}"))
            .await
            .expect(200)
    }

    /// `PUT /api/v1/timesheet/cell` as it came (a refusal is a normal answer in the grid).
    pub async fn put_cell(&self, req: &CellReq) -> Resp {
        self.put("/api/v1/timesheet/cell", to_json(req)).await
    }

    /// `PUT /api/v1/timesheet/cell` → 200; the week after the change.
    pub async fn set_cell(&self, req: &CellReq) -> Timesheet {
        self.put_cell(req).await.expect(200)
    }

    // ---- users ----

    /// `POST /api/v1/users` → 201.
    pub async fn create_user(&self, req: &UserReq) -> CreatedUser {
        self.post("/api/v1/users", to_json(req)).await.expect(201)
    }

    /// `GET /api/v1/users?{query}` → 200.
    pub async fn list_users(&self, query: &str) -> UserPage {
        self.get(&format!("/api/v1/users?{query}"))
            .await
            .expect(200)
    }

    /// `GET /api/v1/users/{id}` → 200.
    pub async fn get_user(&self, id: &str) -> User {
        self.get(&format!("/api/v1/users/{id}")).await.expect(200)
    }

    /// `PATCH /api/v1/users/{id}` → 200.
    pub async fn update_user(&self, id: &str, req: &UserPatch) -> User {
        self.patch(&format!("/api/v1/users/{id}"), to_json(req))
            .await
            .expect(200)
    }

    /// `POST /api/v1/users/{id}/disable` → 200.
    pub async fn disable_user(&self, id: &str) -> User {
        self.post_empty(&format!("/api/v1/users/{id}/disable"))
            .await
            .expect(200)
    }

    /// `POST /api/v1/users/{id}/enable` → 200.
    pub async fn enable_user(&self, id: &str) -> User {
        self.post_empty(&format!("/api/v1/users/{id}/enable"))
            .await
            .expect(200)
    }

    /// `POST /api/v1/users/{id}/reset-link` → 200; a new link, which retires the older ones.
    pub async fn reset_link(&self, id: &str) -> Link {
        self.post_empty(&format!("/api/v1/users/{id}/reset-link"))
            .await
            .expect(200)
    }

    /// `GET /api/v1/me` → 200.
    pub async fn me(&self) -> User {
        self.get("/api/v1/me").await.expect(200)
    }

    /// `PATCH /api/v1/me` → 200: one's own name and time zone (the endpoint takes no others).
    pub async fn update_me(&self, req: &UserPatch) -> User {
        self.patch("/api/v1/me", to_json(req)).await.expect(200)
    }
}
