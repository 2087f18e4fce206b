//! Imports of time entries from other trackers' exports and our own JSON (`crate::import`):
//! the file is the request body. Roles: admin.

use poem_openapi::param::Query;
use poem_openapi::payload::{Binary, Json};
use poem_openapi::{ApiRequest, Object, OpenApi};

use super::enums::ImportSource;
use super::rules::OneOf;
use super::{ApiTags, HttpState};
use crate::domain::FieldError;
use crate::http::auth::SignedIn;
use crate::http::problem::{invalid_field, ApiError};
use crate::import::Source;
use crate::service::imports::{ImportReport, ImportRequest};
use crate::service::ServiceError;

pub struct ImportsApi(pub HttpState);

/// The exported file, as the tool wrote it.
#[derive(ApiRequest)]
enum File {
    /// Toggl, Clockify, Kimai or solidtime CSV.
    #[oai(content_type = "text/csv")]
    Csv(Binary<Vec<u8>>),
    /// An OphionTT JSON export.
    #[oai(content_type = "application/json")]
    Json(Binary<Vec<u8>>),
    /// Either, untyped.
    #[oai(content_type = "application/octet-stream")]
    Bytes(Binary<Vec<u8>>),
}

#[derive(Object)]
struct NewProjectDto {
    name: String,
    #[oai(nullable)]
    client: Option<String>,
}

#[derive(Object)]
struct RowErrorDto {
    /// The line of the file where the row starts (the header is line 1).
    line: u64,
    message: String,
}

/// What an import did, or a dry run would do.
#[derive(Object)]
struct ImportReportDto {
    import_id: String,
    source: String,
    dry_run: bool,
    /// Whether anything was written.
    written: bool,
    file_sha256: String,
    /// The zone times without an offset were read in.
    time_zone: String,
    /// Rows in the file.
    rows: u64,
    /// People to create (disabled): `Name <e-mail>`.
    new_users: Vec<String>,
    /// People the file names who have an account.
    matched_users: Vec<String>,
    new_clients: Vec<String>,
    new_projects: Vec<NewProjectDto>,
    /// `Project: Person` for each person added to an existing project.
    new_memberships: Vec<String>,
    /// `Project › Task`.
    new_tasks: Vec<String>,
    new_tags: Vec<String>,
    /// Entries created (or, in a dry run, to create).
    entries: u64,
    /// The first and last day (in `time_zone`) the new entries start on; null when none.
    #[oai(nullable)]
    first_day: Option<String>,
    #[oai(nullable)]
    last_day: Option<String>,
    /// Rows imported before, skipped.
    already_imported: u64,
    /// Every row that cannot be imported.
    errors: Vec<RowErrorDto>,
}

fn dto(r: ImportReport) -> ImportReportDto {
    ImportReportDto {
        import_id: r.import_id,
        source: r.source,
        dry_run: r.dry_run,
        written: r.written,
        file_sha256: r.file_sha256,
        time_zone: r.time_zone,
        rows: r.rows as u64,
        new_users: r.new_users,
        matched_users: r.matched_users,
        new_clients: r.new_clients,
        new_projects: (r.new_projects.into_iter())
            .map(|p| NewProjectDto {
                name: p.name,
                client: p.client,
            })
            .collect(),
        new_memberships: r.new_memberships,
        new_tasks: r.new_tasks,
        new_tags: r.new_tags,
        entries: r.entries as u64,
        first_day: r.first_day.map(|d| d.to_string()),
        last_day: r.last_day.map(|d| d.to_string()),
        already_imported: r.already_imported as u64,
        errors: (r.errors.into_iter())
            .map(|e| RowErrorDto {
                line: e.line as u64,
                message: e.message,
            })
            .collect(),
    }
}

#[OpenApi(tag = "ApiTags::System")]
impl ImportsApi {
    /// Imports the file in the body (at most 64 MiB): `source` says whose export it is
    /// (`toggl`, `clockify`, `kimai`, `solidtime` or `ophiontt`). With `dry_run=true`, answers
    /// what it would create and every row it cannot take, and writes nothing. Otherwise the
    /// file is imported only if every row can be (else `422 validation.failed` with one error
    /// per row, field `line N`, and nothing written); rows imported before are skipped, so the
    /// same file imported twice creates nothing twice. `time_zone` (default: the caller's) is
    /// the zone of times the file writes without an offset; `user` (e-mail or id) makes every
    /// row that person's. Roles: admin.
    #[oai(path = "/imports", method = "post")]
    async fn import(
        &self,
        actor: SignedIn,
        source: Query<OneOf<ImportSource>>,
        dry_run: Query<Option<bool>>,
        time_zone: Query<Option<String>>,
        user: Query<Option<String>>,
        file: File,
    ) -> Result<Json<ImportReportDto>, ApiError> {
        let svc = &self.0.svc;
        let names: Vec<&str> = Source::ALL.iter().map(|s| s.name()).collect();
        let source = Source::parse(&source.0).ok_or_else(|| {
            invalid_field("source", "invalid", &format!("one of {}", names.join(", ")))
        })?;
        let time_zone = match time_zone.0.as_deref().filter(|z| !z.is_empty()) {
            Some(z) => Some(z.parse::<chrono_tz::Tz>().map_err(|_| {
                invalid_field("time_zone", "invalid", "not an IANA time zone name")
            })?),
            None => None,
        };
        let (File::Csv(Binary(bytes)) | File::Json(Binary(bytes)) | File::Bytes(Binary(bytes))) =
            file;
        let req = ImportRequest {
            source,
            bytes,
            time_zone,
            user: user.0.filter(|u| !u.trim().is_empty()),
        };
        let report = if dry_run.0.unwrap_or(false) {
            svc.imports().dry_run(&actor, req).await?
        } else {
            svc.imports().run(&actor, req, &|_, _| {}).await?
        };
        if !report.dry_run && !report.written {
            let rows = (report.errors.iter())
                .map(|e| {
                    FieldError::new(
                        &format!("line {}", e.line),
                        "invalid_row",
                        e.message.clone(),
                    )
                })
                .collect();
            return Err(ServiceError::Invalid(rows).into());
        }
        Ok(Json(dto(report)))
    }
}
