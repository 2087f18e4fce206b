//! People by name, for person pickers. Roles: admin, manager, member, auditor.

use poem_openapi::{payload::Json, Object, OpenApi};

use super::{ApiTags, HttpState};
use crate::http::auth::SignedIn;
use crate::http::problem::ApiError;

pub struct PeopleApi(pub HttpState);

#[derive(Object)]
struct PersonDto {
    id: String,
    name: String,
    disabled: bool,
}

#[derive(Object)]
struct PeopleDto {
    /// By name.
    items: Vec<PersonDto>,
}

#[OpenApi(tag = "ApiTags::Tracking")]
impl PeopleApi {
    /// The people whose time the caller may read, by name: admins and auditors everyone,
    /// managers themselves and the members and managers of the projects they manage, members
    /// themselves. Names only. Roles: admin, manager, member, auditor.
    #[oai(path = "/people", method = "get")]
    async fn people(&self, actor: SignedIn) -> Result<Json<PeopleDto>, ApiError> {
        let people = self.0.svc.users().people(&actor)?;
        Ok(Json(PeopleDto {
            items: (people.into_iter())
                .map(|p| PersonDto {
                    id: p.id.to_string(),
                    name: p.name,
                    disabled: p.disabled,
                })
                .collect(),
        }))
    }
}
