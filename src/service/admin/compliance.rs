//! Admin operations for retention and legal holds (`ophiontt retention …`, `ophiontt hold …`).

use serde::{Deserialize, Serialize};

use crate::domain::hold::Hold;
use crate::service::{Actor, HoldInput, RetentionReport, ServiceError, Services};

/// A retention or hold operation.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "what", rename_all = "snake_case")]
pub enum ComplianceOp {
    RetentionShow,
    RetentionRun {
        dry_run: bool,
    },
    /// `rule: None` returns the category to the config's rule.
    RetentionSet {
        category: String,
        rule: Option<String>,
    },
    HoldAdd {
        kind: String,
        target: Option<String>,
        reason: String,
        until_ms: Option<i64>,
    },
    HoldList,
    HoldRelease {
        id: String,
        why: String,
    },
}

/// A hold with what it covers in words and whether it is still in force.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct HoldView {
    pub hold: Hold,
    pub covers: String,
    pub status: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "what", rename_all = "snake_case")]
pub enum ComplianceOutcome {
    Retention { report: RetentionReport },
    Holds { holds: Vec<HoldView> },
    Hold { hold: HoldView },
}

fn view(svc: &Services, hold: Hold) -> Result<HoldView, ServiceError> {
    Ok(HoldView {
        covers: svc.holds().describe_scope(&hold.scope)?,
        status: hold.status(svc.now_ms()).to_owned(),
        hold,
    })
}

pub(super) async fn dispatch(
    svc: &Services,
    actor: &Actor,
    op: ComplianceOp,
) -> Result<ComplianceOutcome, ServiceError> {
    Ok(match op {
        ComplianceOp::RetentionShow => ComplianceOutcome::Retention {
            report: svc.retention().show(actor).await?,
        },
        ComplianceOp::RetentionRun { dry_run } => ComplianceOutcome::Retention {
            report: svc.retention().run(actor, dry_run).await?,
        },
        ComplianceOp::RetentionSet { category, rule } => {
            svc.retention()
                .set_rule(actor, &category, rule.as_deref())
                .await?;
            ComplianceOutcome::Retention {
                report: svc.retention().show(actor).await?,
            }
        }
        ComplianceOp::HoldAdd {
            kind,
            target,
            reason,
            until_ms,
        } => {
            let hold = svc
                .holds()
                .place(
                    actor,
                    HoldInput {
                        kind,
                        target,
                        reason,
                        ends_at_ms: until_ms,
                    },
                )
                .await?;
            ComplianceOutcome::Hold {
                hold: view(svc, hold)?,
            }
        }
        ComplianceOp::HoldList => ComplianceOutcome::Holds {
            holds: svc
                .holds()
                .list(actor)?
                .into_iter()
                .map(|h| view(svc, h))
                .collect::<Result<_, _>>()?,
        },
        ComplianceOp::HoldRelease { id, why } => {
            let id = svc.holds().find(actor, &id)?;
            let hold = svc.holds().release(actor, id, &why).await?;
            ComplianceOutcome::Hold {
                hold: view(svc, hold)?,
            }
        }
    })
}
