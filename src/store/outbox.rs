//! The outbox (`outbox`: id → message, ids time-ordered) and the registered webhooks
//! (`webhooks`: id → hook). The outbox is not backed up: a restored store would send again what
//! was sent before the backup. Webhooks are. The dispatcher's cursor lives in `meta`.

use super::trees::meta;
use super::{codec, get, tx_get, Abort, Store, StoreError, TreeId, Tx};
use crate::domain::outbox::{OutboxItem, OutboxState};
use crate::domain::webhook::Webhook;
use crate::domain::UserId;

/// What the service layer reads of this area outside a transaction (see `store::prelude`).
pub trait OutboxStore {
    fn outbox_item(&self, id: uuid::Uuid) -> Result<Option<OutboxItem>, StoreError>;

    /// Pending messages due at `now_ms`, oldest first, at most `limit`.
    fn outbox_due(&self, now_ms: i64, limit: usize) -> Result<Vec<OutboxItem>, StoreError>;

    /// Messages newest first, filtered by `keep`, at most `limit`.
    fn outbox_newest(
        &self,
        keep: impl Fn(&OutboxItem) -> bool,
        limit: usize,
    ) -> Result<Vec<OutboxItem>, StoreError>;

    /// Ids of the messages that carry `user`'s data.
    fn outbox_of(&self, user: UserId) -> Result<Vec<uuid::Uuid>, StoreError>;

    fn webhook(&self, id: uuid::Uuid) -> Result<Option<Webhook>, StoreError>;

    /// Every webhook, oldest first.
    fn webhooks(&self) -> Result<Vec<Webhook>, StoreError>;

    /// The last audit record the webhook dispatcher has turned into deliveries.
    fn webhook_cursor(&self) -> Result<Option<u64>, StoreError>;
}

/// What a write transaction does in this area.
pub trait OutboxTx {
    fn outbox_item(&self, id: uuid::Uuid) -> Result<Option<OutboxItem>, Abort>;

    /// Queues a new message.
    fn put_outbox(&self, item: &OutboxItem) -> Result<(), Abort>;

    /// Replaces `before` with `after`; `Stale` if it changed or went since it was read.
    fn update_outbox(&self, before: &OutboxItem, after: &OutboxItem) -> Result<(), Abort>;

    fn delete_outbox(&self, id: uuid::Uuid) -> Result<(), Abort>;

    fn webhook(&self, id: uuid::Uuid) -> Result<Option<Webhook>, Abort>;

    /// Stores a hook (`before`: as read, or none for a new one); `Stale` if it changed since.
    fn put_webhook(&self, before: Option<&Webhook>, after: &Webhook) -> Result<(), Abort>;

    fn delete_webhook(&self, id: uuid::Uuid) -> Result<(), Abort>;

    /// Moves the dispatcher's cursor from `before` (as read) to `after`; `Stale` if another
    /// dispatcher moved it meanwhile.
    fn move_webhook_cursor(&self, before: Option<u64>, after: u64) -> Result<(), Abort>;
}

fn decode(k: &[u8], v: &[u8]) -> Result<OutboxItem, StoreError> {
    codec::decode(TreeId::Outbox, k, v)
}

impl OutboxStore for Store {
    fn outbox_item(&self, id: uuid::Uuid) -> Result<Option<OutboxItem>, StoreError> {
        get(self.tree(TreeId::Outbox), TreeId::Outbox, id.as_bytes())
    }

    fn outbox_due(&self, now_ms: i64, limit: usize) -> Result<Vec<OutboxItem>, StoreError> {
        let mut out = Vec::new();
        for item in self.tree(TreeId::Outbox).iter() {
            let (k, v) = item?;
            let it = decode(&k, &v)?;
            if it.state == OutboxState::Pending && it.next_at_ms <= now_ms {
                out.push(it);
                if out.len() == limit {
                    break;
                }
            }
        }
        Ok(out)
    }

    fn outbox_newest(
        &self,
        keep: impl Fn(&OutboxItem) -> bool,
        limit: usize,
    ) -> Result<Vec<OutboxItem>, StoreError> {
        let mut out = Vec::new();
        for item in self.tree(TreeId::Outbox).iter().rev() {
            let (k, v) = item?;
            let it = decode(&k, &v)?;
            if keep(&it) {
                out.push(it);
                if out.len() == limit {
                    break;
                }
            }
        }
        Ok(out)
    }

    fn outbox_of(&self, user: UserId) -> Result<Vec<uuid::Uuid>, StoreError> {
        let mut out = Vec::new();
        for item in self.tree(TreeId::Outbox).iter() {
            let (k, v) = item?;
            let it = decode(&k, &v)?;
            if it.subject == Some(user) {
                out.push(it.id);
            }
        }
        Ok(out)
    }

    fn webhook(&self, id: uuid::Uuid) -> Result<Option<Webhook>, StoreError> {
        get(self.tree(TreeId::Webhooks), TreeId::Webhooks, id.as_bytes())
    }

    fn webhook_cursor(&self) -> Result<Option<u64>, StoreError> {
        get(self.tree(TreeId::Meta), TreeId::Meta, meta::WEBHOOK_CURSOR)
    }

    fn webhooks(&self) -> Result<Vec<Webhook>, StoreError> {
        self.tree(TreeId::Webhooks)
            .iter()
            .map(|item| {
                let (k, v) = item?;
                codec::decode(TreeId::Webhooks, &k, &v)
            })
            .collect()
    }
}

impl OutboxTx for Tx<'_> {
    fn outbox_item(&self, id: uuid::Uuid) -> Result<Option<OutboxItem>, Abort> {
        tx_get(self.t(TreeId::Outbox), TreeId::Outbox, id.as_bytes())
    }

    fn put_outbox(&self, item: &OutboxItem) -> Result<(), Abort> {
        self.t(TreeId::Outbox)
            .insert(&item.id.as_bytes()[..], codec::encode(item))?;
        Ok(())
    }

    fn update_outbox(&self, before: &OutboxItem, after: &OutboxItem) -> Result<(), Abort> {
        if OutboxTx::outbox_item(self, before.id)?.as_ref() != Some(before) {
            return Err(super::stale(TreeId::Outbox));
        }
        self.put_outbox(after)
    }

    fn delete_outbox(&self, id: uuid::Uuid) -> Result<(), Abort> {
        self.t(TreeId::Outbox).remove(&id.as_bytes()[..])?;
        Ok(())
    }

    fn webhook(&self, id: uuid::Uuid) -> Result<Option<Webhook>, Abort> {
        tx_get(self.t(TreeId::Webhooks), TreeId::Webhooks, id.as_bytes())
    }

    fn put_webhook(&self, before: Option<&Webhook>, after: &Webhook) -> Result<(), Abort> {
        if OutboxTx::webhook(self, after.id)?.as_ref() != before {
            return Err(super::stale(TreeId::Webhooks));
        }
        self.t(TreeId::Webhooks)
            .insert(&after.id.as_bytes()[..], codec::encode(after))?;
        Ok(())
    }

    fn delete_webhook(&self, id: uuid::Uuid) -> Result<(), Abort> {
        self.t(TreeId::Webhooks).remove(&id.as_bytes()[..])?;
        Ok(())
    }

    fn move_webhook_cursor(&self, before: Option<u64>, after: u64) -> Result<(), Abort> {
        let now: Option<u64> = tx_get(self.t(TreeId::Meta), TreeId::Meta, meta::WEBHOOK_CURSOR)?;
        if now != before {
            return Err(super::stale(TreeId::Meta));
        }
        self.t(TreeId::Meta)
            .insert(meta::WEBHOOK_CURSOR, codec::encode(&after))?;
        Ok(())
    }
}
