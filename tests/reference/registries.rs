//! docs/reference/audit.md (audit actions and security-event kinds) and
//! docs/reference/problem-codes.md, from their registries in the code.

use std::fmt::Write;

use ophiontt::domain::audit::ACTIONS;
use ophiontt::domain::codes;
use ophiontt::domain::security::SecurityKind;

use super::table_cell;

pub fn audit() -> String {
    let mut out = String::new();
    out.push_str("# Audit actions and security events\n\n");
    out.push_str(super::GENERATED);
    let _ = writeln!(
        out,
        "\n## Audit actions\n\nThe {} actions a record of the audit chain can carry \
         (`GET /api/v1/audit/actions` returns the same list; the Audit log page filters by \
         them). Each record also holds its sequence number, time, actor (`user:<id>`, \
         `cli:<OS user>`, `system` or `anonymous`), client IP, target and a JSON body; see the \
         admin guide, \"The audit log\".\n",
        ACTIONS.len()
    );
    let mut area = "";
    for a in ACTIONS {
        let this = a.split_once('.').map(|(x, _)| x).unwrap_or(a);
        if this != area {
            area = this;
            let _ = write!(out, "\n- **{area}**: ");
        } else {
            out.push_str(", ");
        }
        let _ = write!(out, "`{a}`");
    }
    let _ = writeln!(
        out,
        "\n\n## Security events\n\nThe {} kinds of the security log (`GET \
         /api/v1/security-events`, the Security events page), kept apart from the audit chain \
         so that failed sign-ins and the like can be read and purged on their own terms.\n\n\
         | Kind | What it records |\n|---|---|",
        SecurityKind::ALL.len()
    );
    for k in SecurityKind::ALL {
        let _ = writeln!(out, "| `{}` | {} |", k.as_str(), table_cell(k.describe()));
    }
    out
}

pub fn problem_codes() -> String {
    let mut out = String::new();
    out.push_str("# Problem codes\n\n");
    out.push_str(super::GENERATED);
    let _ = writeln!(
        out,
        "\nEvery `code` an error answer (`application/problem+json`) can carry: {} in all, with \
         the `title` that comes with it. A code is API: never renamed or reused. \
         [docs/api.md](../api.md#errors) gives each one's HTTP status and when it happens.\n\n\
         | Code | Title |\n|---|---|",
        codes::ALL.len()
    );
    let mut all: Vec<&(&str, &str)> = codes::ALL.iter().collect();
    all.sort_by_key(|(c, _)| *c);
    for (code, title) in all {
        let _ = writeln!(out, "| `{code}` | {} |", table_cell(title));
    }
    out
}
