//! The rules in force: the config's `[retention]` keys, overridden per category by what an
//! admin set on the Retention & holds page (or with `ophiontt retention set`), kept in the store.

use crate::service::Retention;
use crate::store::prelude::*;
use std::collections::BTreeSet;

use serde_json::json;

use crate::domain::retention::{Category, Keep, Rules};
use crate::domain::{FieldError, Permission};
use crate::service::{Actor, Result, ServiceError};

fn invalid(field: &str, code: &str, message: &str) -> ServiceError {
    ServiceError::Invalid(vec![FieldError::new(field, code, message)])
}

impl Retention<'_> {
    /// The rules in force and the categories whose rule an admin set (not the config).
    pub fn rules(&self) -> Result<(Rules, BTreeSet<Category>)> {
        let mut rules = self.settings().retention.clone();
        let mut set = BTreeSet::new();
        for (key, text) in self.store().retention_overrides()? {
            // An override that no longer parses (a newer binary's unit, say) leaves the config's.
            if let (Some(c), Ok(k)) = (Category::parse(&key), Keep::parse(&text)) {
                rules.set(c, k);
                set.insert(c);
            }
        }
        Ok((rules, set))
    }

    /// Sets `category`'s rule (`rule` such as `90d` or `forever`), or with `None` returns it to
    /// the config's. Audited as `retention.rule_changed`; the privacy notice follows. Roles: admin.
    pub async fn set_rule(
        &self,
        actor: &Actor,
        category: &str,
        rule: Option<&str>,
    ) -> Result<Keep> {
        actor.require(Permission::ManageSystem)?;
        let c = Category::parse(category.trim()).ok_or_else(|| {
            invalid(
                "category",
                "unknown_category",
                "not a retention category; `ophiontt retention show` lists them",
            )
        })?;
        let keep = match rule.map(str::trim).filter(|r| !r.is_empty()) {
            Some(r) => Some(Keep::parse(r).map_err(|why| invalid("rule", "invalid_rule", &why))?),
            None => None,
        };
        let now_in_force = self.retrying(|| self.set_rule_once(actor, c, keep)).await?;
        self.notice().refresh().await?;
        tracing::info!(category = c.key(), rule = %now_in_force.label(), "retention rule changed");
        Ok(now_in_force)
    }

    /// One attempt of [`Self::set_rule`], written only if no other rule changed since
    /// this attempt read them.
    async fn set_rule_once(&self, actor: &Actor, c: Category, keep: Option<Keep>) -> Result<Keep> {
        let (before, _) = self.rules()?;
        let read = self.store().retention_overrides()?;
        let mut overrides = read.clone();
        match keep {
            Some(k) => overrides.insert(c.key().to_owned(), k.label()),
            None => overrides.remove(c.key()),
        };
        let now_in_force = keep.unwrap_or_else(|| self.settings().retention.get(c));
        let ev = self.event(
            actor,
            "retention.rule_changed",
            None,
            json!({
                "category": c.key(),
                "from": before.get(c).label(),
                "to": now_in_force.label(),
                "source": if keep.is_some() { "admin" } else { "config" },
            }),
        );
        self.commit(&ev, |tx| tx.put_retention_overrides(&read, &overrides))
            .await?;
        Ok(now_in_force)
    }
}
