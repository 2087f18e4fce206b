//! Privacy operations of the admin CLI (`ophiontt privacy …`): the register and the tools,
//! run against the same service calls as the web UI. Results travel as JSON.

use base64::Engine;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use crate::domain::codes;
use crate::domain::{PrivacyRequestId, UserId};
use crate::service::privacy::{Correction, NewRequest};
use crate::service::{Actor, ServiceError, Services};

/// A privacy operation. `user` is an email or id; `request` a register entry's id.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "privacy", rename_all = "snake_case")]
pub enum PrivacyOp {
    List {
        open_only: bool,
    },
    Add {
        new: NewRequest,
    },
    Show {
        request: String,
    },
    Extend {
        request: String,
        reason: String,
    },
    Acknowledge {
        request: String,
    },
    Close {
        request: String,
        status: String,
        note: String,
    },
    Export {
        user: String,
        request: Option<String>,
    },
    Correct {
        user: String,
        correction: Correction,
        request: Option<String>,
    },
    Erase {
        user: String,
        request: Option<String>,
    },
    Restrict {
        user: String,
        request: Option<String>,
    },
    Lift {
        user: String,
        request: Option<String>,
    },
    Object {
        user: String,
        purpose: String,
        request: Option<String>,
    },
    Scan {
        user: Option<String>,
        texts: Vec<String>,
    },
}

impl PrivacyOp {
    pub fn name(&self) -> &'static str {
        match self {
            PrivacyOp::List { .. } => "privacy_list",
            PrivacyOp::Add { .. } => "privacy_add",
            PrivacyOp::Show { .. } => "privacy_show",
            PrivacyOp::Extend { .. } => "privacy_extend",
            PrivacyOp::Acknowledge { .. } => "privacy_acknowledge",
            PrivacyOp::Close { .. } => "privacy_close",
            PrivacyOp::Export { .. } => "privacy_export",
            PrivacyOp::Correct { .. } => "privacy_correct",
            PrivacyOp::Erase { .. } => "privacy_erase",
            PrivacyOp::Restrict { .. } => "privacy_restrict",
            PrivacyOp::Lift { .. } => "privacy_lift",
            PrivacyOp::Object { .. } => "privacy_object",
            PrivacyOp::Scan { .. } => "privacy_scan",
        }
    }
}

fn req_id(s: &str) -> Result<PrivacyRequestId, ServiceError> {
    s.trim().parse().map_err(|_| ServiceError::NotFound {
        kind: "privacy request",
        code: codes::PRIVACY_REQUEST_NOT_FOUND,
    })
}

fn opt_req(s: Option<String>) -> Result<Option<PrivacyRequestId>, ServiceError> {
    s.as_deref().map(req_id).transpose()
}

fn user(svc: &Services, actor: &Actor, s: &str) -> Result<UserId, ServiceError> {
    Ok(svc.users().find(actor, s)?.id)
}

fn view(v: crate::service::privacy::RequestView) -> Value {
    let mut out = json!(v.request);
    out["urgency"] = json!(v.urgency);
    out
}

/// Runs `op` as `actor`; the result as JSON (an export's ZIP as `zip_base64`).
pub(super) async fn dispatch(
    svc: &Services,
    actor: &Actor,
    op: PrivacyOp,
) -> Result<Value, ServiceError> {
    Ok(match op {
        PrivacyOp::List { open_only } => {
            let items = svc.privacy().list(actor, open_only).await?;
            json!({ "items": items.into_iter().map(view).collect::<Vec<_>>(), "today": svc.privacy().today().to_string() })
        }
        PrivacyOp::Add { new } => view(svc.privacy().add(actor, new).await?),
        PrivacyOp::Show { request } => view(svc.privacy().show(actor, req_id(&request)?).await?),
        PrivacyOp::Extend { request, reason } => view(
            svc.privacy()
                .extend(actor, req_id(&request)?, &reason)
                .await?,
        ),
        PrivacyOp::Acknowledge { request } => {
            view(svc.privacy().acknowledge(actor, req_id(&request)?).await?)
        }
        PrivacyOp::Close {
            request,
            status,
            note,
        } => view(
            svc.privacy()
                .close(actor, req_id(&request)?, &status, &note)
                .await?,
        ),
        PrivacyOp::Export { user: u, request } => {
            let id = user(svc, actor, &u)?;
            let bytes = svc
                .privacy()
                .export_zip(actor, id, opt_req(request)?)
                .await?;
            json!({ "user_id": id, "zip_base64": base64::engine::general_purpose::STANDARD.encode(bytes) })
        }
        PrivacyOp::Correct {
            user: u,
            correction,
            request,
        } => {
            let id = user(svc, actor, &u)?;
            json!(
                svc.privacy()
                    .correct(actor, id, correction, opt_req(request)?)
                    .await?
            )
        }
        PrivacyOp::Erase { user: u, request } => {
            let id = user(svc, actor, &u)?;
            json!(svc.privacy().erase(actor, id, opt_req(request)?).await?)
        }
        PrivacyOp::Restrict { user: u, request } => {
            let id = user(svc, actor, &u)?;
            json!(svc.privacy().restrict(actor, id, opt_req(request)?).await?)
        }
        PrivacyOp::Lift { user: u, request } => {
            let id = user(svc, actor, &u)?;
            json!(svc.privacy().lift(actor, id, opt_req(request)?).await?)
        }
        PrivacyOp::Object {
            user: u,
            purpose,
            request,
        } => {
            let id = user(svc, actor, &u)?;
            json!(
                svc.privacy()
                    .object(actor, id, &purpose, opt_req(request)?)
                    .await?
            )
        }
        PrivacyOp::Scan { user: u, texts } => {
            let id = u.as_deref().map(|u| user(svc, actor, u)).transpose()?;
            json!(svc.privacy().scan(actor, id, &texts).await?)
        }
    })
}
