//! The detailed report (the entries behind a summary, paged) and the weekly report (people ×
//! days). Roles: admin, manager, member, auditor (each sees the time they may read).

use poem_openapi::param::Query;
use poem_openapi::{payload::Json, Object, OpenApi};

use super::entries_dto::{decode_cursor, encode_cursor, view_dto, EntryDto};
use super::reports::{date, ids, items, sums, AmountDto, SumsDto};
use super::rules::{DateText, UuidList};
use super::{ApiTags, HttpState};
use crate::http::auth::SignedIn;
use crate::http::problem::ApiError;
use crate::service::{Detailed, ServiceError, Services, SummaryQuery, Weekly};

pub struct ReportViewsApi(pub HttpState);

/// An entry of the detailed report: the entry as the entries list shows it, with its time and
/// money inside the report's range.
#[derive(Object)]
struct DetailedRowDto {
    #[oai(flatten)]
    entry: EntryDto,
    /// Seconds inside the range (cut at its first and last local midnight).
    seconds: i64,
    /// Billable time inside the range at the entry's rate; null when not billable or no rate.
    #[oai(nullable)]
    amount: Option<AmountDto>,
    /// It overlaps another entry of the same person.
    overlaps: bool,
}

/// A page of the detailed report, newest first, and the totals of every entry it covers.
#[derive(Object)]
struct DetailedDto {
    from: String,
    to: String,
    time_zone: String,
    items: Vec<DetailedRowDto>,
    /// Pass as `cursor` for the next page; null on the last.
    #[oai(nullable)]
    next_cursor: Option<String>,
    /// Every entry of the report, not only this page.
    total: SumsDto,
    /// Entries of the report that overlap another entry of the same person.
    overlapping_entries: u64,
}

/// Seconds on one date.
#[derive(Object)]
pub(super) struct DateSecondsDto {
    pub(super) date: String,
    pub(super) seconds: i64,
}

/// One person's week.
#[derive(Object)]
struct WeeklyRowDto {
    user_id: String,
    name: String,
    /// Seconds on Monday … Sunday.
    days: Vec<i64>,
    seconds: i64,
}

/// People × the days of one week, with row and column totals.
#[derive(Object)]
struct WeeklyDto {
    /// The Monday.
    from: String,
    /// The Sunday.
    to: String,
    time_zone: String,
    /// By name.
    rows: Vec<WeeklyRowDto>,
    /// Column totals: seconds of everyone shown, Monday … Sunday.
    days: Vec<DateSecondsDto>,
    /// Seconds of everyone shown over the week.
    seconds: i64,
}

/// The narrowing filters every report takes.
#[allow(clippy::too_many_arguments)]
fn filters(
    svc: &Services,
    from: Option<DateText>,
    to: Option<DateText>,
    user_id: Option<UuidList>,
    project_id: Option<UuidList>,
    client_id: Option<UuidList>,
    tag: Option<String>,
    billable: Option<bool>,
    q: Option<String>,
    ticket: Option<String>,
) -> Result<SummaryQuery, ServiceError> {
    Ok(SummaryQuery {
        from: date(svc, "from", from)?,
        to: date(svc, "to", to)?,
        group: Vec::new(),
        users: ids("user_id", user_id)?,
        projects: ids("project_id", project_id)?,
        clients: ids("client_id", client_id)?,
        tags: items(&tag).into_iter().map(str::to_owned).collect(),
        billable,
        text: q.filter(|t| !t.trim().is_empty()),
        tickets: super::reports::ticket_ids(&ticket)?,
    })
}

fn detailed_dto(
    svc: &Services,
    actor: &SignedIn,
    d: Detailed,
) -> Result<DetailedDto, ServiceError> {
    let now = svc.now_ms();
    let (entries, extra): (Vec<_>, Vec<_>) = (d.rows.into_iter())
        .map(|r| (r.entry, (r.sums, r.overlaps)))
        .unzip();
    let views = svc.entries().views(actor, entries)?;
    let items = (views.into_iter().zip(extra))
        .map(|(v, (s, overlaps))| {
            let amount = (s.amounts.iter().next()).map(|(currency, cents)| AmountDto {
                currency: currency.clone(),
                cents: *cents,
            });
            DetailedRowDto {
                entry: view_dto(now, v),
                seconds: s.seconds,
                amount,
                overlaps,
            }
        })
        .collect();
    Ok(DetailedDto {
        from: d.from.to_string(),
        to: d.to.to_string(),
        time_zone: d.time_zone,
        items,
        next_cursor: d.next.map(encode_cursor),
        total: sums(d.total),
        overlapping_entries: d.overlapping_entries as u64,
    })
}

fn weekly_dto(w: Weekly) -> WeeklyDto {
    WeeklyDto {
        from: w.from.to_string(),
        to: w.to.to_string(),
        time_zone: w.time_zone,
        rows: (w.rows.into_iter())
            .map(|r| WeeklyRowDto {
                user_id: r.user_id.to_string(),
                name: r.name,
                days: r.days,
                seconds: r.seconds,
            })
            .collect(),
        days: (w.from.iter_days().zip(w.days))
            .map(|(d, seconds)| DateSecondsDto {
                date: d.to_string(),
                seconds,
            })
            .collect(),
        seconds: w.seconds,
    }
}

#[OpenApi(tag = "ApiTags::Tracking")]
impl ReportViewsApi {
    /// The entries behind the summary of the same filters (`from`, `to`, `user_id`,
    /// `project_id`, `client_id`, `tag`, `billable`, `q`, `ticket`; default this week), newest first, paged
    /// like `GET /entries`: each with its seconds and money inside the range and whether it
    /// overlaps another entry of the same person; `total` covers every page. Who sees what and
    /// the recording of reads are the summary's. Roles: admin, manager, member, auditor.
    #[oai(path = "/reports/detailed", method = "get")]
    #[allow(clippy::too_many_arguments)]
    async fn detailed(
        &self,
        actor: SignedIn,
        from: Query<Option<DateText>>,
        to: Query<Option<DateText>>,
        user_id: Query<Option<UuidList>>,
        project_id: Query<Option<UuidList>>,
        client_id: Query<Option<UuidList>>,
        /// Tag names, comma-separated: entries carrying any of them.
        tag: Query<Option<String>>,
        billable: Query<Option<bool>>,
        /// Text the note contains.
        q: Query<Option<String>>,
        /// Ticket ids, comma-separated, any letter case: entries whose note or task title
        /// refers to any of them.
        ticket: Query<Option<String>>,
        /// Page size (default 100; other values are moved into 1–2000).
        #[oai(validator(minimum(value = "0"), maximum(value = "4294967295")))]
        limit: Query<Option<u32>>,
        /// `next_cursor` of the page before.
        cursor: Query<Option<String>>,
    ) -> Result<Json<DetailedDto>, ApiError> {
        let svc = &self.0.svc;
        let query = filters(
            svc,
            from.0,
            to.0,
            user_id.0,
            project_id.0,
            client_id.0,
            tag.0,
            billable.0,
            q.0,
            ticket.0,
        )?;
        let before = cursor.0.as_deref().map(decode_cursor).transpose()?;
        let limit = limit.0.unwrap_or(100) as usize;
        let d = svc.reports().detailed(&actor, query, before, limit).await?;
        Ok(Json(detailed_dto(svc, &actor, d)?))
    }

    /// People × the seven days (Monday first) of the week containing `week` (default this
    /// week) in the caller's time zone: seconds per person and day, with row and column
    /// totals, narrowed by the summary's filters. Who sees what and the recording of reads are
    /// the summary's. Roles: admin, manager, member, auditor.
    #[oai(path = "/reports/weekly", method = "get")]
    #[allow(clippy::too_many_arguments)]
    async fn weekly(
        &self,
        actor: SignedIn,
        /// Any date of the week.
        week: Query<Option<DateText>>,
        user_id: Query<Option<UuidList>>,
        project_id: Query<Option<UuidList>>,
        client_id: Query<Option<UuidList>>,
        /// Tag names, comma-separated: entries carrying any of them.
        tag: Query<Option<String>>,
        billable: Query<Option<bool>>,
        /// Text the note contains.
        q: Query<Option<String>>,
        /// Ticket ids, comma-separated, any letter case: entries whose note or task title
        /// refers to any of them.
        ticket: Query<Option<String>>,
    ) -> Result<Json<WeeklyDto>, ApiError> {
        let svc = &self.0.svc;
        let week = date(svc, "week", week.0)?;
        let query = filters(
            svc,
            None,
            None,
            user_id.0,
            project_id.0,
            client_id.0,
            tag.0,
            billable.0,
            q.0,
            ticket.0,
        )?;
        let w = svc.reports().weekly(&actor, week, query).await?;
        Ok(Json(weekly_dto(w)))
    }
}
