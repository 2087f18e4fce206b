//! The per-area traits: what the service layer may ask of storage, one narrow trait per area
//! for reads (`…Store`, on [`Store`](super::Store)) and one for writes inside a transaction
//! (`…Tx`, on [`Tx`](super::Tx)). A use case imports `store::prelude::*`; a second engine
//! implements these traits (docs/architecture.md, "The storage engine seam").

pub use super::api_tokens::ApiTokensStore;
pub use super::api_tokens::ApiTokensTx;
pub use super::audit::AuditStore;
pub use super::audit::AuditTx;
pub use super::clients::ClientsStore;
pub use super::clients::ClientsTx;
pub use super::done_requests::DoneRequestsStore;
pub use super::done_requests::DoneRequestsTx;
pub use super::entries::EntriesStore;
pub use super::entries::EntriesTx;
pub use super::holds::HoldsStore;
pub use super::holds::HoldsTx;
pub use super::imports::ImportsStore;
pub use super::imports::ImportsTx;
pub use super::incidents::IncidentsStore;
pub use super::incidents::IncidentsTx;
pub use super::jobs::JobsStore;
pub use super::notice::NoticeStore;
pub use super::notice::NoticeTx;
pub use super::outbox::OutboxStore;
pub use super::outbox::OutboxTx;
pub use super::privacy::PrivacyStore;
pub use super::privacy::PrivacyTx;
pub use super::projects::ProjectsStore;
pub use super::projects::ProjectsTx;
pub use super::retention::RetentionStore;
pub use super::retention::RetentionTx;
pub use super::security::SecurityStore;
pub use super::security::SecurityTx;
pub use super::sessions::SessionsStore;
pub use super::sessions::SessionsTx;
pub use super::tags::TagsStore;
pub use super::tasks::TasksStore;
pub use super::tasks::TasksTx;
pub use super::tokens::TokensStore;
pub use super::tokens::TokensTx;
pub use super::users::UsersStore;
pub use super::users::UsersTx;
pub use super::weeks::WeeksStore;
pub use super::weeks::WeeksTx;
