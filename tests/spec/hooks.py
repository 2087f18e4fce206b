"""Schemathesis hooks for tests/spec/drive.py (loaded through SCHEMATHESIS_HOOKS=hooks).

Two jobs:
- Every other generated case of an operation with an `{id}`-like path parameter gets the id of a
  seeded record instead of a random string, so that responses for real records (tasks, holds,
  privacy requests…) are checked against the spec too, not only 404s.
- The session: the `session` security scheme of the spec (the cookie) is filled with the
  admin's session, except for logout, which gets a second session of its own. It is set as the
  scheme's cookie, not as a raw header, so schemathesis can take it away when it checks that an
  operation refuses a request without it (ST401). Logging that one out (once; later tries answer 401) leaves the
  admin's session, which every other operation uses, intact. Destructive calls on people act on
  seeded users, never on the admin: erasure on a user kept for it, the rest (disable, restrict,
  correct…) on a member.
"""

import itertools
import json
import os
import threading
from pathlib import Path

import schemathesis

STATE = json.loads(Path(os.environ["OPHIONTT_SPEC_STATE"]).read_text())
IDS = STATE["ids"]
_counters: dict = {}
_lock = threading.Lock()


def _real_path_parameters(method: str, path: str) -> dict:
    """The seeded values for `method path`'s parameters (empty when none apply)."""
    rules = [
        ("/privacy/users/{id}/erase", None, {"id": IDS["erasable"]}),
        ("/privacy/users/{id}", None, {"id": IDS["user"]}),
        ("/privacy/requests/{id}", None, {"id": IDS["request"]}),
        ("/incidents/{id}", None, {"id": IDS["incident"]}),
        ("/users/{id}", None, {"id": IDS["user"]}),
        ("/clients/{id}", None, {"id": IDS["client"]}),
        ("/projects/{id}", None, {"id": IDS["project"]}),
        ("/tasks/{id}", None, {"id": IDS["task"]}),
        ("/entries/{id}", "DELETE", {"id": IDS["deletable_entry"]}),
        ("/entries/{id}", None, {"id": IDS["entry"]}),
        ("/holds/{id}", None, {"id": IDS["hold"]}),
        ("/jobs/{name}", None, {"name": IDS["job"]}),
        ("/retention/rules/{category}", None, {"category": IDS["category"]}),
    ]
    for prefix, only, values in rules:
        if path.startswith(prefix) and (only is None or only == method):
            return values
    return {}


@schemathesis.hook
def map_case(context, case):
    op = case.operation
    params = case.path_parameters or {}
    if (
        op.path.startswith(("/users/{id}", "/privacy/users/{id}"))
        and op.method.upper() != "GET"
        and params.get("id") == STATE["admin_id"]
    ):
        # A stateful sequence can reach the admin's own id through a link: demoting,
        # disabling, restricting or correcting the identity every request uses would turn the
        # rest of the run into 403s. Such a call acts on a seeded user instead.
        case.path_parameters = {**params, **_real_path_parameters(op.method.upper(), op.path)}
        return case
    if case.meta is not None and case.meta.phase.name == "stateful":
        # Stateful sequences carry the ids of what they just made; keep those.
        return case
    real = _real_path_parameters(op.method.upper(), op.path)
    if real and case.path_parameters:
        with _lock:
            n = _counters.setdefault(op.label, itertools.count())
            use = next(n) % 2 == 0
        if use:
            case.path_parameters = {**case.path_parameters, **real}
    return case


def _value(cookie: str) -> tuple[str, str]:
    name, _, value = cookie.partition("=")
    return name, value


@schemathesis.auth(refresh_interval=None)
class Session:
    """The session cookie, as the spec's `session` security scheme (no caching: logout differs)."""

    def get(self, case, context):
        op = case.operation
        logout = op.method.upper() == "DELETE" and op.path == "/session"
        return _value(STATE["logout_cookie"] if logout else STATE["cookie"])

    def set(self, case, data, context):
        name, value = data
        case.cookies = {**(case.cookies or {}), name: value}


# Rules a JSON Schema cannot state, and which the server therefore answers with 422 even for a
# request the spec calls valid. Each is a (field, code) of `errors[]`; "*" is any field. Only
# these are forgiven, and only on the "schema-valid request rejected" check: everything the
# schema can say (lengths, patterns, formats, closed sets, required fields) it must say.
SEMANTIC = {
    # Windows relative to now (tracking.max_future_days, tracking.max_entry_hours).
    ("*", "too_early"): "before 1970-01-01",
    ("*", "too_late"): "after now + max_future_days",
    ("*", "in_past"): "a hold's end must be in the future",
    ("start", "in_future"): "a running timer cannot start after now",
    ("at", "too_old"): "a device's `at` is at most 7 days back",
    ("at", "future"): "a device's `at` is at most a minute ahead",
    # Rules across fields.
    ("end", "end_before_start"): "end after start",
    ("end", "timer_running"): "a running entry gets its end from stopping the timer",
    ("end", "too_long"): "end at most max_entry_hours after start",
    ("start", "too_long"): "a timer at most max_entry_hours old",
    ("to", "before_from"): "a range that ends before it starts",
    ("to", "too_long"): "a report covers at most 366 days",
    ("to", "range_too_long"): "an export covers at most 100 years",
    ("format", "too_many_rows"): "a PDF holds at most 10,000 entries, an XLSX sheet 1,048,575",
    ("to", "too_many_rows"): "the portal's PDF timesheet holds at most 10,000 entries",
    ("time_zone", "invalid"): "an IANA time zone name (the database is the server's)",
    ("file", "unreadable"): "an imported file is the named tool's export",
    ("*", "invalid_row"): "every row of an imported file can be imported",
    ("group", "repeated"): "a report is grouped by two different things",
    ("budget", "invalid"): "a budget gives exactly one of seconds and cents",
    ("client_id", "not_client_role"): "only an account with the client role is linked to a client",
    ("rates", "repeated"): "two rate changes for the same thing from the same day",
    ("rates", "not_member"): "a member's rate is for someone on the project",
    ("rates", "not_a_task"): "a task's rate is for one of the project's tasks",
    ("user_id", "required"): "a member's rate names the member",
    ("task_id", "required"): "a task's rate names the task",
    ("target", "required"): "a hold on a user, project or client names it",
    ("target", "not_found"): "a hold's target is looked up by id, email or name",
    ("target", "unexpected"): "a hold on the instance names no target",
    ("subject", "required"): "a privacy request names its subject or their account",
    ("note", "required"): "a refusal gives its reason",
    ("text", "required"): "a scan needs a user or a text",
    ("project_id", "required"): "a timer starts on project_id or on a typed line in text",
    ("project_id", "unexpected"): "a timer's text names its project, not project_id beside it",
    ("task_id", "unexpected"): "a timer's text leaves out task_id",
    ("note", "unexpected"): "a timer's text holds its note",
    ("tags", "unexpected"): "a timer's text holds its tags",
    ("billable", "unexpected"): "a timer's text holds its billable flag",
    ("name", "no_change"): "a correction changes at least one field",
    ("reason", "already_extended"): "a request is extended once",
    ("tags", "too_long"): "at most 20 tags, counted after blank ones and case-insensitive "
    "duplicates are dropped (each tag's own length is in the schema's pattern)",
    ("expires_in_days", "out_of_range"): "a token expires at most auth.token_max_days ahead",
    ("expires_at", "out_of_range"): "a token expires at most auth.token_max_days ahead",
    ("expires_at", "in_the_past"): "a token's expiry is in the future",
    ("expires_at", "conflict"): "a token's expiry is given in days or as an instant, not both",
    ("scopes", "not_allowed"): "the admin scope is for admins and auditors",
    ("url", "host_not_allowed"): "a webhook's host is one webhooks.allowed_hosts names",
    ("discovered_at", "in_future"): "a breach is discovered by now",
    ("occurred_from", "after_discovery"): "a breach begins before it is discovered",
    ("occurred_to", "end_before_start"): "a breach's window ends after it starts",
    ("notified_at", "in_future"): "the authority's notification is recorded once made",
    ("notified_at", "before_discovery"): "the authority is notified after the breach is discovered",
    ("delay_reason", "required"): "a notification after 72 hours gives the reasons for the delay",
    # Values only the server can know.
    ("cursor", "invalid"): "cursors are opaque: only those the API handed out are valid",
    ("current_password", "wrong_password"): "a credential",
    ("user", "not_found"): "a person named by email or id",
    ("user", "unknown_user"): "a person named by email or id",
    ("user_ids", "unknown_user"): "the people affected by a breach have accounts",
    ("request_id", "not_found"): "a register entry",
    ("client_id", "unknown"): "a client account is linked to a client that exists",
}
# The quick-add line is a small language (docs/user-guide.md), not a pattern.
SEMANTIC_PREFIXES = ("quick.",)
# Problem codes that answer a credential the schema cannot list (like schemathesis's own
# exemption for token endpoints): a setup or reset token that is unknown, used or expired.
CREDENTIAL_CODES = {"token.invalid"}
# A generated Idempotency-Key that an earlier generated request used: the server rightly refuses
# one key for two different requests, which no schema can say.
STATE_CODES = {"request.key_reused"}


def _forgiven(response) -> bool:
    try:
        body = json.loads(response.content)
    except (ValueError, TypeError):
        return False
    if body.get("code") in CREDENTIAL_CODES | STATE_CODES:
        return True
    errors = body.get("errors") or []
    if response.status_code != 422 or not errors:
        return False
    return all(
        (e.get("field"), e.get("code")) in SEMANTIC
        or ("*", e.get("code")) in SEMANTIC
        or str(e.get("code", "")).startswith(SEMANTIC_PREFIXES)
        for e in errors
    )


# The one kind of schema-violating request the server accepts on purpose: query parameters the
# operation does not have are ignored (docs/api.md, "Shapes"), as links made by older or newer
# clients keep working. Schemathesis counts them as an `additionalProperties` violation of the
# query; everything else a negative request breaks must still be refused.
UNKNOWN_QUERY = "Invalid component: in query - violates `additionalProperties`"


def _unknown_query_only(failure) -> bool:
    message = getattr(failure, "message", "") or ""
    return type(failure).__name__ == "AcceptedNegativeData" and message.rstrip().endswith(UNKNOWN_QUERY)


@schemathesis.hook
def filter_failure(context, failure, case, response):
    """Keeps every failure but a positive request refused for a reason in SEMANTIC, and a
    request whose only fault is a query parameter the operation does not have."""
    rejected = type(failure).__name__ == "RejectedPositiveData"
    return not ((rejected and _forgiven(response)) or _unknown_query_only(failure))
