//! Reports: time summed over a range of local dates, grouped. Roles: admin, manager, member,
//! auditor (each sees the time they may read).

use chrono::NaiveDate;
use poem_openapi::param::Query;
use poem_openapi::{payload::Json, Object, OpenApi};

use super::rules::{DateText, GroupList, UuidList};
use super::{ApiTags, HttpState};
use crate::domain::report::{Dim, Row, Sums};
use crate::http::auth::SignedIn;
use crate::http::problem::{invalid_field, ApiError};
use crate::service::{RowLabel, ServiceError, Services, Summary, SummaryQuery};

pub struct ReportsApi(pub HttpState);

#[derive(Object)]
pub(super) struct AmountDto {
    /// ISO 4217 code.
    pub(super) currency: String,
    /// Minor units (cents).
    pub(super) cents: i64,
}

#[derive(Object)]
pub(super) struct SumsDto {
    /// Seconds inside the range.
    seconds: i64,
    billable_seconds: i64,
    /// The seconds as billed: rounded where a project's rounding (or the instance's) says so.
    rounded_seconds: i64,
    /// Billable time, as billed, at the rate in force for each entry, per currency (never
    /// mixed).
    amounts: Vec<AmountDto>,
    /// Entries with time in the row.
    entries: u64,
}

#[derive(Object)]
struct KeyDto {
    /// `client`, `project`, `task`, `user`, `tag`, `day`, `week` or `month`.
    kind: String,
    /// What the row stands for: an id, a tag (lower-cased), a date, the Monday of a week or
    /// `YYYY-MM`; `null` for time with no client, task or tag.
    #[oai(nullable)]
    id: Option<String>,
    label: String,
    /// A project's colour.
    #[oai(nullable)]
    color: Option<String>,
}

#[derive(Object)]
struct RowDto {
    key: KeyDto,
    #[oai(flatten)]
    sums: SumsDto,
    /// Rows of the second grouping.
    rows: Vec<RowDto>,
}

#[derive(Object)]
struct DayDto {
    date: String,
    seconds: i64,
}

/// A summary: totals, rows by the first grouping (with the second inside), and seconds per day.
#[derive(Object)]
struct SummaryDto {
    from: String,
    to: String,
    time_zone: String,
    group: Vec<String>,
    total: SumsDto,
    rows: Vec<RowDto>,
    /// Every day of the range, in order.
    days: Vec<DayDto>,
    /// Projects in the report that have a budget: all of their time against it (not only
    /// this range's), with their tasks' estimates.
    budgets: Vec<super::project_billing::BudgetStatusDto>,
    /// Entries with time in the range that overlap another entry of the same person (the
    /// detailed report of the same filters flags them).
    overlapping_entries: u64,
}

pub(super) fn sums(s: Sums) -> SumsDto {
    SumsDto {
        seconds: s.seconds,
        billable_seconds: s.billable_seconds,
        rounded_seconds: s.rounded_seconds,
        amounts: (s.amounts.into_iter())
            .map(|(currency, cents)| AmountDto { currency, cents })
            .collect(),
        entries: s.entries as u64,
    }
}

fn rows(rs: Vec<Row>, summary: &Summary) -> Vec<RowDto> {
    (rs.into_iter())
        .map(|r| {
            let label = (summary.labels.get(&(r.key.dim, r.key.id.clone())))
                .cloned()
                .unwrap_or_else(RowLabel::default);
            RowDto {
                key: KeyDto {
                    kind: r.key.dim.name().to_owned(),
                    id: r.key.id,
                    label: label.label,
                    color: label.color,
                },
                sums: sums(r.sums),
                rows: rows(r.rows, summary),
            }
        })
        .collect()
}

fn dto(mut s: Summary) -> SummaryDto {
    let report = std::mem::replace(
        &mut s.report,
        crate::domain::report::Report {
            total: Sums::default(),
            rows: Vec::new(),
            days: Vec::new(),
        },
    );
    SummaryDto {
        from: s.from.to_string(),
        to: s.to.to_string(),
        time_zone: s.time_zone.clone(),
        group: s.group.iter().map(|d| d.name().to_owned()).collect(),
        total: sums(report.total),
        rows: rows(report.rows, &s),
        days: (report.days.into_iter())
            .map(|(d, seconds)| DayDto {
                date: d.to_string(),
                seconds,
            })
            .collect(),
        budgets: std::mem::take(&mut s.budgets)
            .into_iter()
            .map(super::project_billing::status_dto)
            .collect(),
        overlapping_entries: s.overlapping_entries as u64,
    }
}

/// The comma-separated items of `raw` (blanks dropped).
pub(super) fn items(raw: &Option<String>) -> Vec<&str> {
    (raw.as_deref().unwrap_or("").split(','))
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect()
}

/// Ticket ids, comma-separated: at most 50, each at most 200 bytes.
pub(super) fn ticket_ids(raw: &Option<String>) -> Result<Vec<String>, ServiceError> {
    let list = items(raw);
    if list.len() > 50 || list.iter().any(|t| t.len() > 200) {
        return Err(invalid_field(
            "ticket",
            "invalid",
            "at most 50 ticket ids of at most 200 bytes each",
        ));
    }
    Ok(list.into_iter().map(str::to_owned).collect())
}

pub(super) fn ids<T: std::str::FromStr>(
    field: &str,
    raw: Option<UuidList>,
) -> Result<Vec<T>, ServiceError> {
    (items(&raw.map(|l| l.0).clone()).into_iter())
        .map(|v| {
            v.parse()
                .map_err(|_| invalid_field(field, "invalid", "not an id from this API"))
        })
        .collect()
}

pub(super) fn groups(raw: Option<GroupList>) -> Result<Vec<Dim>, ServiceError> {
    let Some(raw) = raw else {
        return Ok(vec![Dim::Project]);
    };
    let text = Some(raw.0);
    let dims: Vec<Dim> = (items(&text).into_iter())
        .map(|g| {
            Dim::parse(g).ok_or_else(|| {
                invalid_field("group", "invalid", &format!("`{g}` is not a grouping"))
            })
        })
        .collect::<Result<_, _>>()?;
    if dims.len() == 2 && dims[0] == dims[1] {
        return Err(invalid_field(
            "group",
            "repeated",
            "group by two different things",
        ));
    }
    Ok(dims)
}

/// An optional date by the range rule, as the timesheet reads its own.
pub(super) fn date(
    svc: &Services,
    field: &str,
    d: Option<DateText>,
) -> Result<Option<NaiveDate>, ServiceError> {
    d.map(|d| super::timesheet::date(svc, field, &d.0))
        .transpose()
}

#[OpenApi(tag = "ApiTags::Tracking")]
impl ReportsApi {
    /// Time summed over the local dates `from..=to` (the caller's time zone; default this
    /// week; at most 366 days), grouped by up to two of client, project, task, user, tag, ticket,
    /// day, week, month (default `project`). An entry counts with its seconds inside the range, cut
    /// at local midnights; billable time earns at the entry's rate, per currency. Members see
    /// their own time, managers also everyone's on the projects they manage, admins and
    /// auditors everyone's; a report showing other people's time is recorded as a read of it.
    /// Roles: admin, manager, member, auditor.
    #[oai(path = "/reports/summary", method = "get")]
    #[allow(clippy::too_many_arguments)]
    async fn summary(
        &self,
        actor: SignedIn,
        from: Query<Option<DateText>>,
        to: Query<Option<DateText>>,
        group: Query<Option<GroupList>>,
        user_id: Query<Option<UuidList>>,
        project_id: Query<Option<UuidList>>,
        client_id: Query<Option<UuidList>>,
        /// Tag names, comma-separated: entries carrying any of them.
        tag: Query<Option<String>>,
        billable: Query<Option<bool>>,
        /// Text the note contains.
        q: Query<Option<String>>,
        /// Ticket ids (`tickets.patterns`), comma-separated, any letter case: entries whose note
        /// or task title refers to any of them.
        ticket: Query<Option<String>>,
    ) -> Result<Json<SummaryDto>, ApiError> {
        let svc = &self.0.svc;
        let query = SummaryQuery {
            from: date(svc, "from", from.0)?,
            to: date(svc, "to", to.0)?,
            group: groups(group.0)?,
            users: ids("user_id", user_id.0)?,
            projects: ids("project_id", project_id.0)?,
            clients: ids("client_id", client_id.0)?,
            tags: items(&tag.0).into_iter().map(str::to_owned).collect(),
            billable: billable.0,
            text: q.0.filter(|t| !t.trim().is_empty()),
            tickets: ticket_ids(&ticket.0)?,
        };
        Ok(Json(dto(svc.reports().summary(&actor, query).await?)))
    }
}
