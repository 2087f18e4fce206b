//! Clients: list, create, change and archive. Roles: see each endpoint.

use poem_openapi::param::{Path, Query};
use poem_openapi::{payload::Json, ApiResponse, Object, OpenApi};

use super::can::ClientCanDto;
use super::rules::{no_null, Limited, Name, Required};
use super::{ApiTags, HttpState};
use crate::domain::codes;
use crate::domain::tracking::Client;
use crate::http::auth::SignedIn;
use crate::http::problem::ApiError;
use crate::service::{rfc3339, Actor, ClientInput, ServiceError, Services};

pub struct ClientsApi(pub HttpState);

#[derive(Object)]
struct ClientDto {
    id: String,
    name: String,
    notes: String,
    archived: bool,
    created_at: String,
    /// What the caller may do with this client.
    can: ClientCanDto,
}

fn client_dto(svc: &Services, actor: &Actor, c: Client) -> Result<ClientDto, ServiceError> {
    Ok(ClientDto {
        can: svc.clients().permissions(actor, &c)?.into(),
        id: c.id.to_string(),
        name: c.name,
        notes: c.notes,
        archived: c.archived,
        created_at: rfc3339(c.created_at_ms),
    })
}

#[derive(Object)]
struct ClientList {
    items: Vec<ClientDto>,
}

#[derive(Object)]
struct ClientReq {
    #[oai(deserialize_with = "no_null")]
    name: Option<Name>,
    #[oai(deserialize_with = "no_null")]
    notes: Option<Limited<2000>>,
    #[oai(deserialize_with = "no_null")]
    archived: Option<bool>,
}

/// A new client.
#[derive(Object)]
struct NewClientReq {
    name: Required<Name>,
    #[oai(deserialize_with = "no_null")]
    notes: Option<Limited<2000>>,
    #[oai(deserialize_with = "no_null")]
    archived: Option<bool>,
}

impl From<NewClientReq> for ClientReq {
    fn from(b: NewClientReq) -> Self {
        Self {
            name: b.name.0,
            notes: b.notes,
            archived: b.archived,
        }
    }
}

/// Fields left out stay unchanged (or take their default when creating); `null` clears
/// `client_id` and `rate_cents`.
#[derive(ApiResponse)]
enum ClientCreated {
    #[oai(status = 201)]
    Created(Json<ClientDto>),
}

fn client_input(b: ClientReq) -> ClientInput {
    ClientInput {
        name: b.name.map(|t| t.0),
        notes: b.notes.map(|t| t.0),
        archived: b.archived,
    }
}

fn not_found(kind: &'static str, code: &'static str) -> ServiceError {
    ServiceError::NotFound { kind, code }
}

#[OpenApi(tag = "ApiTags::Tracking")]
impl ClientsApi {
    /// Clients by name. Roles: admin, manager, member, auditor.
    #[oai(path = "/clients", method = "get")]
    async fn list_clients(
        &self,
        actor: SignedIn,
        archived: Query<Option<bool>>,
    ) -> Result<Json<ClientList>, ApiError> {
        let items = self
            .0
            .svc
            .clients()
            .list(&actor, archived.0.unwrap_or(false))?;
        Ok(Json(ClientList {
            items: items
                .into_iter()
                .map(|c| client_dto(&self.0.svc, &actor, c))
                .collect::<Result<_, _>>()?,
        }))
    }

    /// Roles: admin, manager.
    #[oai(path = "/clients", method = "post")]
    async fn create_client(
        &self,
        actor: SignedIn,
        body: Json<NewClientReq>,
    ) -> Result<ClientCreated, ApiError> {
        let c = self
            .0
            .svc
            .clients()
            .create(&actor, client_input(body.0.into()))
            .await?;
        Ok(ClientCreated::Created(Json(client_dto(
            &self.0.svc,
            &actor,
            c,
        )?)))
    }

    /// Roles: admin; a manager who manages every project of the client (any manager while it
    /// has none).
    #[oai(path = "/clients/:id", method = "patch")]
    async fn update_client(
        &self,
        actor: SignedIn,
        id: Path<String>,
        body: Json<ClientReq>,
    ) -> Result<Json<ClientDto>, ApiError> {
        let id =
            id.0.parse()
                .map_err(|_| not_found("client", codes::CLIENT_NOT_FOUND))?;
        let c = self
            .0
            .svc
            .clients()
            .update(&actor, id, client_input(body.0))
            .await?;
        Ok(Json(client_dto(&self.0.svc, &actor, c)?))
    }
}
