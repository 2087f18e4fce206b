//! Where a person's data sits: a raw scan of every tree of the store (index trees included)
//! for their id, email, name, or any text the admin gives (e.g. a note). An admin tool, and
//! the proof that an erasure left nothing behind.

use crate::service::Privacy;
use crate::store::prelude::*;
use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::json;

use super::{category_of_tree, Actor, Result, ServiceError};
use crate::domain::codes;
use crate::domain::{Permission, UserId};

/// Hits per tree and per category.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ScanReport {
    /// tree → number of records (keys) holding one of the needles.
    pub trees: BTreeMap<String, usize>,
    /// category (as the export ZIP names its files) → number of records.
    pub categories: BTreeMap<String, usize>,
    pub needles: usize,
}

impl Privacy<'_> {
    /// Scans the store for `user`'s id, email and name (when given) and for each of `texts`.
    /// Roles: admin. Audited as `privacy.scanned` (without the texts searched for).
    pub async fn scan(
        &self,
        actor: &Actor,
        user: Option<UserId>,
        texts: &[String],
    ) -> Result<ScanReport> {
        actor.require(Permission::ManagePrivacy)?;
        let mut needles: Vec<Vec<u8>> = texts
            .iter()
            .map(|t| t.trim())
            .filter(|t| t.len() >= 3)
            .map(|t| t.as_bytes().to_vec())
            .collect();
        if let Some(u) = user {
            let rec = self.store().user(u)?.ok_or(ServiceError::NotFound {
                kind: "user",
                code: codes::USER_NOT_FOUND,
            })?;
            needles.push(u.to_string().into_bytes());
            needles.push(u.as_bytes().to_vec());
            needles.push(rec.user.email.as_str().as_bytes().to_vec());
            needles.push(rec.user.name.as_str().as_bytes().to_vec());
        }
        if needles.is_empty() {
            return Err(ServiceError::from(crate::domain::DomainError::field(
                "text",
                "required",
                "give a user or a text of at least three characters",
            )));
        }
        let store = self.store().clone();
        let n = needles.len();
        let hits = tokio::task::spawn_blocking(move || store.scan_for(&needles))
            .await
            .map_err(|e| ServiceError::Internal(e.into()))??;
        let mut report = ScanReport {
            needles: n,
            ..Default::default()
        };
        let mut seen = std::collections::BTreeSet::new();
        for h in hits {
            if seen.insert((h.tree.clone(), h.key_hex.clone())) {
                *report.trees.entry(h.tree.clone()).or_default() += 1;
                *report
                    .categories
                    .entry(category_of_tree(&h.tree).to_owned())
                    .or_default() += 1;
            }
        }
        let ev = self.event(
            actor,
            "privacy.scanned",
            user.map(|u| format!("user:{u}")),
            json!({ "texts": texts.len(), "trees": report.trees }),
        );
        self.commit(&ev, |_| Ok(())).await?;
        Ok(report)
    }
}
