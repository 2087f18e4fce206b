//! The client portal (`/portal…`): an account with the `client` role reads its client's
//! projects, tasks, budgets and hours, and downloads the hours as CSV. Rows name projects, tasks
//! and people by name only (no ids, no emails, no notes); amounts only where the instance shows
//! rates to clients. Roles: client, for every endpoint here.

use poem_openapi::param::Query;
use poem_openapi::payload::{Binary, Json};
use poem_openapi::{ApiResponse, Object, OpenApi};

use super::project_billing::{budget_dto, BudgetDto};
use super::reports::{date, groups};
use super::rules::{DateText, GroupList};
use super::tasks::StatusDto;
use super::{ApiTags, HttpState};
use crate::domain::billing::Use;
use crate::domain::report::{Row, Sums};
use crate::http::auth::SignedIn;
use crate::http::problem::ApiError;
use crate::service::portal::{Hours, Overview};
use crate::service::{BudgetStatus, ServiceError};

pub struct PortalApi(pub HttpState);

#[derive(Object)]
struct PortalClientDto {
    id: String,
    name: String,
}

#[derive(Object)]
struct PortalUseDto {
    used: i64,
    limit: i64,
    percent: i64,
    alert: bool,
    over: bool,
}

fn use_dto(u: Use) -> PortalUseDto {
    PortalUseDto {
        used: u.used,
        limit: u.limit,
        percent: u.percent,
        alert: u.alert,
        over: u.over,
    }
}

#[derive(Object)]
struct PortalTaskDto {
    title: String,
    status: StatusDto,
    #[oai(nullable)]
    estimate_secs: Option<i64>,
    tracked_seconds: i64,
    #[oai(nullable)]
    usage: Option<PortalUseDto>,
}

#[derive(Object)]
struct PortalProjectDto {
    name: String,
    color: String,
    archived: bool,
    tracked_seconds: i64,
    /// As billed (rounded).
    rounded_seconds: i64,
    /// Only where the instance shows rates to clients.
    #[oai(skip_serializing_if_is_none)]
    amount: Option<PortalAmountDto>,
    /// An hours budget always; a money budget only where rates are shown.
    #[oai(nullable)]
    budget: Option<BudgetDto>,
    #[oai(nullable)]
    usage: Option<PortalUseDto>,
    /// Tasks with an estimate or with time, most time first.
    tasks: Vec<PortalTaskDto>,
}

#[derive(Object)]
struct PortalAmountDto {
    currency: String,
    cents: i64,
}

/// The portal's first page.
#[derive(Object)]
struct PortalOverviewDto {
    client: PortalClientDto,
    /// Whether rates and amounts are shown.
    show_rates: bool,
    projects: Vec<PortalProjectDto>,
}

fn project_dto(s: BudgetStatus, show_rates: bool) -> PortalProjectDto {
    PortalProjectDto {
        name: s.project.name.clone(),
        color: s.project.color.clone(),
        archived: s.project.archived,
        tracked_seconds: s.tracked_seconds,
        rounded_seconds: s.rounded_seconds,
        amount: show_rates.then(|| PortalAmountDto {
            currency: s.project.currency.clone(),
            cents: s.amount_cents,
        }),
        budget: s.project.budget.as_ref().map(budget_dto),
        usage: s.usage.map(use_dto),
        tasks: (s.tasks.into_iter())
            .filter(|t| !t.task.archived || t.tracked_seconds > 0)
            .map(|t| PortalTaskDto {
                title: t.task.title,
                status: t.task.status.into(),
                estimate_secs: t.task.estimate_secs,
                tracked_seconds: t.tracked_seconds,
                usage: t.usage.map(use_dto),
            })
            .collect(),
    }
}

#[derive(Object)]
struct PortalSumsDto {
    seconds: i64,
    rounded_seconds: i64,
    /// Only where rates are shown; per currency, never mixed.
    amounts: Vec<PortalAmountDto>,
}

fn sums(s: Sums) -> PortalSumsDto {
    PortalSumsDto {
        seconds: s.seconds,
        rounded_seconds: s.rounded_seconds,
        amounts: (s.amounts.into_iter())
            .map(|(currency, cents)| PortalAmountDto { currency, cents })
            .collect(),
    }
}

#[derive(Object)]
struct PortalRowDto {
    /// `project`, `task`, `user`, `day`, `week` or `month`.
    kind: String,
    /// A name, a person's display name, a date, a Monday or `YYYY-MM`.
    label: String,
    #[oai(flatten)]
    sums: PortalSumsDto,
    rows: Vec<PortalRowDto>,
}

#[derive(Object)]
struct PortalDayDto {
    date: String,
    seconds: i64,
}

#[derive(Object)]
struct PortalHoursDto {
    client: PortalClientDto,
    from: String,
    to: String,
    time_zone: String,
    group: Vec<String>,
    show_rates: bool,
    total: PortalSumsDto,
    rows: Vec<PortalRowDto>,
    days: Vec<PortalDayDto>,
}

fn rows(rs: Vec<Row>, h: &Hours) -> Vec<PortalRowDto> {
    (rs.into_iter())
        .map(|r| PortalRowDto {
            kind: r.key.dim.name().to_owned(),
            label: (h.labels.get(&(r.key.dim, r.key.id.clone())))
                .cloned()
                .unwrap_or_default(),
            sums: sums(r.sums),
            rows: rows(r.rows, h),
        })
        .collect()
}

fn hours_dto(mut h: Hours) -> PortalHoursDto {
    let report = std::mem::replace(
        &mut h.report,
        crate::domain::report::Report {
            total: Sums::default(),
            rows: Vec::new(),
            days: Vec::new(),
        },
    );
    PortalHoursDto {
        client: PortalClientDto {
            id: h.client.id.to_string(),
            name: h.client.name.clone(),
        },
        from: h.from.to_string(),
        to: h.to.to_string(),
        time_zone: h.time_zone.clone(),
        group: h.group.iter().map(|d| d.name().to_owned()).collect(),
        show_rates: h.show_rates,
        total: sums(report.total),
        rows: rows(report.rows, &h),
        days: (report.days.into_iter())
            .map(|(d, seconds)| PortalDayDto {
                date: d.to_string(),
                seconds,
            })
            .collect(),
    }
}

#[derive(ApiResponse)]
enum Pdf {
    /// The timesheet as a PDF: each entry's day, times, person, project and task, weekly and
    /// total hours (amounts only where rates are shown).
    #[oai(status = 200, content_type = "application/pdf")]
    Ok(
        Binary<Vec<u8>>,
        #[oai(header = "Content-Disposition")] String,
        #[oai(header = "Cache-Control")] String,
    ),
}

#[derive(ApiResponse)]
enum Csv {
    /// The hours as CSV: one line per row (the second grouping's rows under the first), UTF-8.
    #[oai(status = 200, content_type = "text/csv; charset=utf-8")]
    Ok(
        Binary<Vec<u8>>,
        #[oai(header = "Content-Disposition")] String,
        #[oai(header = "Cache-Control")] String,
    ),
}

/// `hours` as CSV: the groupings' labels, hours (decimal), billed hours and, with rates shown,
/// amount and currency.
fn csv_of(h: &PortalHoursDto) -> Result<Vec<u8>, ServiceError> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut head: Vec<String> = h.group.clone();
    head.extend(["hours".into(), "billed_hours".into()]);
    if h.show_rates {
        head.extend(["amount".into(), "currency".into()]);
    }
    let fail = |e: csv::Error| ServiceError::Internal(e.into());
    w.write_record(&head).map_err(fail)?;
    let hours = |s: i64| format!("{:.2}", s as f64 / 3600.0);
    let mut line = |labels: &[&str], s: &PortalSumsDto| -> Result<(), ServiceError> {
        let mut rec: Vec<String> = labels.iter().map(|l| (*l).to_owned()).collect();
        rec.resize(h.group.len(), String::new());
        rec.extend([hours(s.seconds), hours(s.rounded_seconds)]);
        if h.show_rates {
            let money = s.amounts.first();
            rec.push(money.map_or(String::new(), |a| format!("{:.2}", a.cents as f64 / 100.0)));
            rec.push(money.map_or(String::new(), |a| a.currency.clone()));
        }
        w.write_record(&rec).map_err(fail)
    };
    for r in &h.rows {
        if r.rows.is_empty() {
            line(&[&r.label], &r.sums)?;
        }
        for inner in &r.rows {
            line(&[&r.label, &inner.label], &inner.sums)?;
        }
    }
    line(&["Total"], &h.total)?;
    w.into_inner()
        .map_err(|e| ServiceError::Internal(anyhow::anyhow!("csv: {e}")))
}

#[OpenApi(tag = "ApiTags::Tracking")]
impl PortalApi {
    /// The client, its projects (archived ones too) with their tasks, budgets and all of
    /// their time. Roles: client.
    #[oai(path = "/portal", method = "get")]
    async fn overview(&self, actor: SignedIn) -> Result<Json<PortalOverviewDto>, ApiError> {
        let o: Overview = self.0.svc.portal().overview(&actor).await?;
        Ok(Json(PortalOverviewDto {
            client: PortalClientDto {
                id: o.client.id.to_string(),
                name: o.client.name,
            },
            show_rates: o.show_rates,
            projects: (o.projects.into_iter())
                .map(|s| project_dto(s, o.show_rates))
                .collect(),
        }))
    }

    /// Hours on the client's projects over the local dates `from..=to` (default this week; at
    /// most 366 days), grouped by up to two of project, task, user, day, week, month (default
    /// `project`). Roles: client.
    #[oai(path = "/portal/hours", method = "get")]
    async fn hours(
        &self,
        actor: SignedIn,
        from: Query<Option<DateText>>,
        to: Query<Option<DateText>>,
        group: Query<Option<GroupList>>,
    ) -> Result<Json<PortalHoursDto>, ApiError> {
        let svc = &self.0.svc;
        let (from, to) = (date(svc, "from", from.0)?, date(svc, "to", to.0)?);
        let h = svc
            .portal()
            .hours(&actor, from, to, &groups(group.0)?)
            .await?;
        Ok(Json(hours_dto(h)))
    }

    /// The same hours as a CSV download. Roles: client.
    #[oai(path = "/portal/hours.csv", method = "get")]
    async fn hours_csv(
        &self,
        actor: SignedIn,
        from: Query<Option<DateText>>,
        to: Query<Option<DateText>>,
        group: Query<Option<GroupList>>,
    ) -> Result<Csv, ApiError> {
        let svc = &self.0.svc;
        let (from, to) = (date(svc, "from", from.0)?, date(svc, "to", to.0)?);
        let h = hours_dto(
            svc.portal()
                .hours(&actor, from, to, &groups(group.0)?)
                .await?,
        );
        let name = format!("hours-{}-{}.csv", h.from, h.to);
        Ok(Csv::Ok(
            Binary(csv_of(&h)?),
            format!("attachment; filename=\"{name}\""),
            "no-store".into(),
        ))
    }

    /// The entries behind the hours of `from..=to` (the caller's zone; default this week) as a
    /// PDF timesheet, person by person, with weekly and total hours; no notes, no e-mail
    /// addresses, amounts only where the instance shows rates; at most 10,000 entries. Roles:
    /// client.
    #[oai(path = "/portal/hours.pdf", method = "get")]
    async fn hours_pdf(
        &self,
        actor: SignedIn,
        from: Query<Option<DateText>>,
        to: Query<Option<DateText>>,
    ) -> Result<Pdf, ApiError> {
        let svc = &self.0.svc;
        let (from, to) = (date(svc, "from", from.0)?, date(svc, "to", to.0)?);
        let (name, bytes) = svc.portal().timesheet_pdf(&actor, from, to).await?;
        Ok(Pdf::Ok(
            Binary(bytes),
            format!("attachment; filename=\"{name}\""),
            "no-store".into(),
        ))
    }
}
