//! The privacy notice's stamp in `meta`: the hash of the notice's inputs and when that content
//! first appeared, so its "last updated" date changes only when its content does.

use serde::{Deserialize, Serialize};

use super::{codec, trees::meta, Abort, Store, StoreError, TreeId, Tx};

/// The content hash the notice had, and since when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoticeStamp {
    pub hash: String,
    pub since_ms: i64,
}

/// What the service layer reads of this area outside a transaction (see `store::prelude`).
pub trait NoticeStore {
    fn notice_stamp(&self) -> Result<Option<NoticeStamp>, StoreError>;
}

/// What a write transaction does in this area; every replace or removal checks the record as read.
pub trait NoticeTx {
    fn put_notice_stamp(&self, stamp: &NoticeStamp) -> Result<(), Abort>;
}

impl NoticeStore for Store {
    fn notice_stamp(&self) -> Result<Option<NoticeStamp>, StoreError> {
        super::get(self.tree(TreeId::Meta), TreeId::Meta, meta::PRIVACY_NOTICE)
    }
}

impl NoticeTx for Tx<'_> {
    fn put_notice_stamp(&self, stamp: &NoticeStamp) -> Result<(), Abort> {
        self.t(TreeId::Meta)
            .insert(meta::PRIVACY_NOTICE, codec::encode(stamp))?;
        Ok(())
    }
}
