//! The breach register (`incidents`: incident id → incident, ids time-ordered). Backed up: the
//! register is the documentation Art. 33(5) asks to keep.

use super::stored::StoredIncident;
use super::{expect, get, scan, tx_get, Abort, Store, StoreError, TreeId, Tx};
use crate::domain::incident::Incident;
use crate::domain::IncidentId;

/// What the service layer reads of this area outside a transaction (see `store::prelude`).
pub trait IncidentsStore {
    fn incident(&self, id: IncidentId) -> Result<Option<Incident>, StoreError>;

    /// Every incident, oldest first.
    fn incidents(&self) -> Result<Vec<Incident>, StoreError>;
}

/// What a write transaction does in this area.
pub trait IncidentsTx {
    fn incident(&self, id: IncidentId) -> Result<Option<Incident>, Abort>;

    /// Writes `after` over `before` (`None`: a new incident); aborts with `Stale` if the stored
    /// incident is no longer `before`.
    fn put_incident(&self, before: Option<&Incident>, after: &Incident) -> Result<(), Abort>;
}

impl IncidentsStore for Store {
    fn incident(&self, id: IncidentId) -> Result<Option<Incident>, StoreError> {
        Ok(get::<StoredIncident>(
            self.tree(TreeId::Incidents),
            TreeId::Incidents,
            id.as_bytes(),
        )?
        .map(Incident::from))
    }

    fn incidents(&self) -> Result<Vec<Incident>, StoreError> {
        scan::<StoredIncident, Incident>(self.tree(TreeId::Incidents), TreeId::Incidents)
    }
}

impl IncidentsTx for Tx<'_> {
    fn incident(&self, id: IncidentId) -> Result<Option<Incident>, Abort> {
        Ok(
            tx_get::<StoredIncident>(self.t(TreeId::Incidents), TreeId::Incidents, id.as_bytes())?
                .map(Incident::from),
        )
    }

    fn put_incident(&self, before: Option<&Incident>, after: &Incident) -> Result<(), Abort> {
        let tree = self.t(TreeId::Incidents);
        let before = before.map(StoredIncident::from);
        expect(
            tree,
            TreeId::Incidents,
            after.id.as_bytes(),
            before.as_ref(),
        )?;
        tree.insert(
            &after.id.as_bytes()[..],
            super::codec::encode(&StoredIncident::from(after)),
        )?;
        Ok(())
    }
}
