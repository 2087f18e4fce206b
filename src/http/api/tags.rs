//! Tags: the tags on entries the caller may see, and renaming one. Roles: see each endpoint.

use poem_openapi::{payload::Json, Object, OpenApi};

use super::can::TagCanDto;
use super::dto::Text;
use super::rules::TagName;
use super::{ApiTags, HttpState};
use crate::http::auth::SignedIn;
use crate::http::problem::ApiError;
use crate::service::ServiceError;

pub struct TagsApi(pub HttpState);

#[derive(Object)]
struct TagDto {
    name: String,
    entries: u64,
    /// What the caller may do with this tag.
    can: TagCanDto,
}

#[derive(Object)]
struct TagList {
    items: Vec<TagDto>,
}

/// Rename `from` to `to` on every entry; if `to` is in use already, the two tags merge.
#[derive(Object)]
struct RenameTagReq {
    from: Text,
    to: TagName,
}

#[derive(Object)]
struct RenamedDto {
    entries_changed: u64,
}

#[OpenApi(tag = "ApiTags::Tracking")]
impl TagsApi {
    /// The tags on entries the caller may see, with how many of those entries carry each:
    /// admins and auditors see every tag, a manager the tags on their own entries and on their
    /// projects' entries, a member the tags on their own entries.
    /// Roles: admin, manager, member, auditor.
    #[oai(path = "/tags", method = "get")]
    async fn list_tags(&self, actor: SignedIn) -> Result<Json<TagList>, ApiError> {
        let tags = self.0.svc.tags().list(&actor).await?;
        Ok(Json(TagList {
            items: tags
                .into_iter()
                .map(|t| {
                    Ok(TagDto {
                        can: self.0.svc.tags().permissions(&actor, &t)?.into(),
                        name: t.name,
                        entries: t.count,
                    })
                })
                .collect::<Result<_, ServiceError>>()?,
        }))
    }

    /// Renames a tag on every entry the caller may change (a manager: their own and those on
    /// projects they manage; never a restricted person's), or merges it into an existing one.
    /// `tag.not_found` when no such entry carries it. Roles: admin, manager.
    #[oai(path = "/tags/rename", method = "post")]
    async fn rename_tag(
        &self,
        actor: SignedIn,
        body: Json<RenameTagReq>,
    ) -> Result<Json<RenamedDto>, ApiError> {
        let n = self
            .0
            .svc
            .tags()
            .rename(&actor, &body.0.from.0, &body.0.to.0)
            .await?;
        Ok(Json(RenamedDto {
            entries_changed: n as u64,
        }))
    }
}
