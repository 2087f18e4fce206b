//! The admin commands that move data in and out: `ophiontt export` (with the names the command
//! line gives for people, projects and clients) and `ophiontt import`.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use super::Outcome;
use crate::domain::{DomainError, Permission};
use crate::export::{CsvOptions, Format};
use crate::service::{Actor, ExportQuery, ServiceError, Services};
use crate::store::prelude::*;

/// An export as the command line asks for it: names or ids, written into `out` (absolute) by
/// whoever holds the store.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ExportSpec {
    pub format: String,
    pub from: Option<chrono::NaiveDate>,
    pub to: Option<chrono::NaiveDate>,
    /// E-mail addresses or ids.
    pub users: Vec<String>,
    /// Names or ids.
    pub projects: Vec<String>,
    /// Names or ids.
    pub clients: Vec<String>,
    pub tags: Vec<String>,
    pub billable: Option<bool>,
    pub text: Option<String>,
    /// An IANA zone; UTC when not given.
    pub time_zone: Option<String>,
    pub bom: bool,
    pub semicolon: bool,
    pub out: PathBuf,
}

fn bad(field: &str, message: String) -> ServiceError {
    DomainError::field(field, "invalid", message).into()
}

pub(super) async fn export(
    svc: &Services,
    actor: &Actor,
    spec: ExportSpec,
) -> Result<Outcome, ServiceError> {
    actor.require(Permission::ReadAllTime)?;
    let format = Format::parse(&spec.format).ok_or_else(|| {
        bad(
            "format",
            format!(
                "{:?} is not a format: csv, json, xlsx, ics or pdf",
                spec.format
            ),
        )
    })?;
    let time_zone = match &spec.time_zone {
        Some(z) => Some(
            z.parse::<chrono_tz::Tz>()
                .map_err(|_| bad("time_zone", format!("{z:?} is not an IANA time zone")))?,
        ),
        None => Some(chrono_tz::UTC),
    };
    let store = svc.store();
    let mut users = Vec::new();
    for u in &spec.users {
        users.push(svc.users().find(actor, u)?.id);
    }
    let projects_all = store.projects()?;
    let mut projects = Vec::new();
    for p in &spec.projects {
        let found = (projects_all.iter())
            .find(|x| x.id.to_string() == *p || x.name.eq_ignore_ascii_case(p))
            .ok_or_else(|| bad("project", format!("no project is named {p:?}")))?;
        projects.push(found.id);
    }
    let clients_all = store.clients()?;
    let mut clients = Vec::new();
    for c in &spec.clients {
        let found = (clients_all.iter())
            .find(|x| x.id.to_string() == *c || x.name.eq_ignore_ascii_case(c))
            .ok_or_else(|| bad("client", format!("no client is named {c:?}")))?;
        clients.push(found.id);
    }
    let q = ExportQuery {
        csv: CsvOptions {
            bom: spec.bom,
            semicolon: spec.semicolon,
        },
        from: spec.from,
        to: spec.to,
        users,
        projects,
        clients,
        tags: spec.tags,
        billable: spec.billable,
        text: spec.text,
        time_zone,
        ..ExportQuery::new(format)
    };
    let (info, written) = svc.exports().to_file(actor, q, &spec.out).await?;
    let bytes = std::fs::metadata(&spec.out).map(|m| m.len()).unwrap_or(0);
    Ok(Outcome::Exported {
        path: spec.out,
        entries: written.entries as u64,
        bytes,
        from: info.from,
        to: info.to,
        time_zone: info.time_zone,
    })
}

/// An import as the command line asks for it: the file copied into the data folder (`file`,
/// absolute; the server may not read the caller's folders) and removed once read.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ImportSpec {
    pub source: String,
    pub file: PathBuf,
    pub time_zone: Option<String>,
    /// E-mail or id: every row belongs to this person.
    pub user: Option<String>,
    pub dry_run: bool,
}

pub(super) async fn import(
    svc: &Services,
    actor: &Actor,
    spec: ImportSpec,
    progress: &(dyn Fn(u64, u64) + Send + Sync),
) -> Result<Outcome, ServiceError> {
    use crate::import::Source;
    use crate::service::imports::ImportRequest;
    let names: Vec<&str> = Source::ALL.iter().map(|s| s.name()).collect();
    let source = Source::parse(&spec.source).ok_or_else(|| {
        bad(
            "from",
            format!("{:?} is not a source: {}", spec.source, names.join(", ")),
        )
    })?;
    let time_zone = match &spec.time_zone {
        Some(z) => Some(
            z.parse::<chrono_tz::Tz>()
                .map_err(|_| bad("time_zone", format!("{z:?} is not an IANA time zone")))?,
        ),
        None => None,
    };
    let bytes = tokio::fs::read(&spec.file)
        .await
        .map_err(|e| bad("file", format!("cannot read {}: {e}", spec.file.display())))?;
    let req = ImportRequest {
        source,
        bytes,
        time_zone,
        user: spec.user,
    };
    let report = if spec.dry_run {
        svc.imports().dry_run(actor, req).await?
    } else {
        svc.imports().run(actor, req, progress).await?
    };
    Ok(Outcome::Imported {
        report: Box::new(report),
    })
}
