//! Synthetic data for benchmarks: users, projects and entries spread over years. Users and
//! projects go through the ordinary audited use cases; entries are bulk-loaded and the load is
//! audited once.

use crate::store::prelude::*;
use serde_json::json;

use super::{Actor, NewUser, ProjectInput, Result, Seed};
use crate::domain::tracking::Entry;
use crate::domain::{EntryId, Role, UserId};

/// What to create.
#[derive(Debug, Clone, Copy)]
pub struct SeedPlan {
    pub users: usize,
    pub projects: usize,
    pub entries: usize,
}

const BATCH: usize = 100_000;
const DAY_MS: i64 = 86_400_000;

impl Seed<'_> {
    /// Creates the plan's users (members, no password), projects (everyone a member) and
    /// entries: eight 45-minute entries per working day per user, going back from yesterday.
    /// Calls `progress(done)` after each batch of entries. Roles: admin (the CLI).
    pub async fn run(
        &self,
        actor: &Actor,
        plan: SeedPlan,
        progress: impl Fn(usize),
    ) -> Result<Vec<UserId>> {
        actor.require(crate::domain::Permission::ManageUsers)?;
        let mut users = Vec::with_capacity(plan.users);
        for i in 0..plan.users {
            let new = NewUser {
                name: format!("Seed User {i}"),
                email: format!("seed{i}@example.com"),
                role: Role::Member,
                time_zone: "Europe/Berlin".into(),
                client_id: None,
            };
            users.push(self.users().create(actor, new).await?.0.id);
        }
        let mut projects = Vec::with_capacity(plan.projects);
        for i in 0..plan.projects {
            let input = ProjectInput {
                name: Some(format!("Seed Project {i}")),
                member_ids: Some(users.clone()),
                rate_cents: Some(Some(9500)),
                ..Default::default()
            };
            projects.push(self.projects().create(actor, input).await?);
        }
        if users.is_empty() || projects.is_empty() {
            return Ok(users);
        }
        let now = self.now();
        let today = now - now.rem_euclid(DAY_MS);
        let mut batch: Vec<Entry> = Vec::with_capacity(BATCH);
        let mut done = 0;
        let per_user = plan.entries.div_ceil(users.len());
        for (ui, user) in users.iter().enumerate() {
            for n in 0..per_user.min(plan.entries - done - batch.len()) {
                let (day, slot) = ((n / 8) as i64, (n % 8) as i64);
                // Skip weekends: five working days out of seven.
                let day_ms = today - (day / 5 * 7 + day % 5 + 1) * DAY_MS;
                let start = day_ms + 7 * 3_600_000 + slot * 3_600_000 + (ui as i64 % 60) * 1000;
                let p = &projects[(n + ui) % projects.len()];
                let id = EntryId::new(start);
                batch.push(Entry {
                    id,
                    user_id: *user,
                    project_id: p.id,
                    task_id: None,
                    tags: if n % 3 == 0 {
                        vec!["ops".into()]
                    } else {
                        Vec::new()
                    },
                    note: format!("seeded entry {n}"),
                    start_ms: start,
                    end_ms: Some(start + 45 * 60_000),
                    billable: p.billable,
                    rate_cents: p.rate_cents,
                    currency: p.currency.clone(),
                    created_at_ms: now,
                    updated_at_ms: now,
                });
                if batch.len() == BATCH {
                    self.store().bulk_insert_entries(&batch)?;
                    done += batch.len();
                    batch.clear();
                    progress(done);
                }
            }
        }
        self.store().bulk_insert_entries(&batch)?;
        done += batch.len();
        progress(done);
        let ev = self.event(
            actor,
            "seed.entries_loaded",
            None,
            json!({ "entries": done, "users": users.len(), "projects": projects.len() }),
        );
        self.store()
            .write(|tx| tx.append_audit(&ev).map(|_| ()))
            .await?;
        Ok(users)
    }
}
