//! Clients: the `clients` tree. Small (hundreds of records), so listing scans it.

use super::stored::StoredClient;
use super::{codec, expect, get, keys, scan, Abort, Store, StoreError, TreeId, Tx};
use crate::domain::tracking::Client;
use crate::domain::ClientId;

/// What the service layer reads of this area outside a transaction (see `store::prelude`).
pub trait ClientsStore {
    fn client(&self, id: ClientId) -> Result<Option<Client>, StoreError>;

    fn clients(&self) -> Result<Vec<Client>, StoreError>;
}

/// What a write transaction does in this area; every replace or removal checks the record as read.
pub trait ClientsTx {
    /// Writes `c` over `before` (`None`: a new client); aborts with `Stale` if the stored client
    /// is no longer `before`.
    fn put_client(&self, before: Option<&Client>, c: &Client) -> Result<(), Abort>;
}

impl ClientsStore for Store {
    fn client(&self, id: ClientId) -> Result<Option<Client>, StoreError> {
        Ok(get::<StoredClient>(
            self.tree(TreeId::Clients),
            TreeId::Clients,
            &keys::client(id),
        )?
        .map(Client::from))
    }

    fn clients(&self) -> Result<Vec<Client>, StoreError> {
        scan::<StoredClient, _>(self.tree(TreeId::Clients), TreeId::Clients)
    }
}

impl ClientsTx for Tx<'_> {
    fn put_client(&self, before: Option<&Client>, c: &Client) -> Result<(), Abort> {
        let key = keys::client(c.id);
        let before = before.map(StoredClient::from);
        expect(
            self.t(TreeId::Clients),
            TreeId::Clients,
            &key,
            before.as_ref(),
        )?;
        self.t(TreeId::Clients)
            .insert(&key, codec::encode(&StoredClient::from(c)))?;
        Ok(())
    }
}
