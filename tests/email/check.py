"""End-to-end check of e-mail: the real server sends through a real SMTP server on loopback.

Starts aiosmtpd on a random loopback port (plain, SMTP AUTH required, with `auth_require_tls`
off as `email.security = "none"` is allowed only on loopback) and `$OPHIONTT_BIN serve`
configured to use it through `OPHIONTT_EMAIL_*` (the password in a password file), then:

- creates a user: the invitation arrives (From, To, Subject, Message-ID, Date, UTF-8 text,
  lines wrapped) and its set-password link works; an admin-issued reset link arrives and works;
- with week approval on, a rejected week arrives with its comment; the person turns week
  decisions off (PATCH /api/v1/me) and the next rejection sends nothing;
- a breach notification (the incident register) arrives once, greeting the person by name;
- a recipient the SMTP server refuses for good (550) is marked failed at once;
- with the SMTP server down, a test e-mail is retried (webhooks.retry_base = 1s), and the
  delivery log (when the server has it, GET /api/v1/outbox) shows the error; once the SMTP
  server is up again the message arrives;
- a wrong SMTP password is refused by the SMTP server, the message is not lost;
- sign-in links (auth.sign_in_links, tests/email/signin.py): the link arrives and signs in
  only the browser that asked, once; a newer one retires the older; two uses at once give one
  session; an unknown address gets the same answer and no mail; the security log has it all.

Every wait is at most 20 s. Prints one line per check and ends with

    email result: <N> passed; <M> failed

exiting 1 when anything failed. Run through tests/email/run.sh (the virtualenv with aiosmtpd).
"""

import datetime as dt
import email
import email.policy
import http.cookiejar
import json
import logging
import os
import queue
import re
import signal
import socket
import sys
import tempfile
import time
import urllib.error
import urllib.request
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "pylib"))
import harness  # noqa: E402
from signin import check_sign_in_links  # noqa: E402

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

# aiosmtpd warns that AUTH without TLS is unsafe: here it is on loopback, on purpose.
warnings.filterwarnings("ignore", module="aiosmtpd")
warnings.filterwarnings("ignore", category=DeprecationWarning)
logging.getLogger("mail.log").setLevel(logging.ERROR)

ROOT = Path(__file__).resolve().parent.parent.parent
BIN = os.environ.get("OPHIONTT_BIN") or str(ROOT / "target" / "debug" / "ophiontt")
BUDGET = 110.0
DEADLINE = time.monotonic() + BUDGET
SMTP_USER = "ophiontt"
SMTP_PASSWORD = "smtp pässword 42"
FROM = "OphionTT Test <tt@example.test>"
ADA = {"name": "Ada Admin", "email": "ada@example.test", "password": "correct horse battery"}
ZOE = {"name": "Zoë Müller", "email": "zoe@example.test", "password": "zoë's own passphrase"}


def left(cap: float = 20.0) -> float:
    rest = DEADLINE - time.monotonic()
    if rest <= 0:
        raise TimeoutError("the check ran out of time")
    return min(cap, rest)


class Checks:
    def __init__(self):
        self.passed = 0
        self.failed = 0

    def ok(self, name: str, cond, detail: str = "") -> bool:
        if cond:
            self.passed += 1
            print(f"ok   {name}", flush=True)
        else:
            self.failed += 1
            print(f"FAIL {name}" + (f": {detail}" if detail else ""), flush=True)
        return bool(cond)

    def equal(self, name: str, got, want) -> bool:
        return self.ok(name, got == want, f"got {got!r:.300}, want {want!r:.300}")

    def section(self, name: str, fn, *args):
        try:
            return fn(*args)
        except Exception as e:  # noqa: BLE001 - reported, and the run goes on
            self.ok(f"{name}: ran to the end", False, f"{type(e).__name__}: {e}")
            return None


# ---------------------------------------------------------------------------------------------
# The SMTP server


class Inbox:
    """What the SMTP server accepted, and the SMTP side of aiosmtpd."""

    def __init__(self):
        self.mail: "queue.Queue[email.message.EmailMessage]" = queue.Queue()
        self.auth_failures = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.startswith("bounce@"):
            return "550 5.1.1 <%s>: no such mailbox here" % address
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        msg = email.message_from_bytes(envelope.original_content or envelope.content,
                                       policy=email.policy.default)
        msg["X-Envelope-To"] = ", ".join(envelope.rcpt_tos)
        self.mail.put(msg)
        return "250 Message accepted for delivery"

    def authenticate(self, server, session, envelope, mechanism, auth_data):
        if isinstance(auth_data, LoginPassword) and auth_data.login.decode() == SMTP_USER \
                and auth_data.password.decode() == SMTP_PASSWORD:
            return AuthResult(success=True)
        self.auth_failures += 1
        return AuthResult(success=False, handled=False)

    def next_to(self, to: str, cap: float = 20.0):
        """The next message to `to` within `cap` seconds, or None."""
        until = time.monotonic() + left(cap)
        while time.monotonic() < until:
            try:
                msg = self.mail.get(timeout=0.2)
            except queue.Empty:
                continue
            if to in msg["To"]:
                return msg
        return None

    def nothing_to(self, to: str, wait: float) -> bool:
        return self.next_to(to, wait) is None


def start_smtp(inbox: Inbox, port: int) -> Controller:
    c = Controller(inbox, hostname="127.0.0.1", port=port, authenticator=inbox.authenticate,
                   auth_required=True, auth_require_tls=False, ready_timeout=left(10))
    c.start()
    return c


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# ---------------------------------------------------------------------------------------------
# The server and HTTP


class Server(harness.Server):
    """The real server with `env_extra`, none of the caller's own `OPHIONTT_EMAIL_*`."""

    def __init__(self, data: str, env_extra: dict):
        super().__init__(data, extra_env=env_extra, drop_prefix="OPHIONTT_EMAIL_")


class Client:
    def __init__(self, base: str):
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

    def call(self, method: str, path: str, body=None):
        hdrs = {}
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            hdrs["Content-Type"] = "application/json"
        if method not in ("GET", "HEAD"):
            hdrs["Origin"] = self.base
        req = urllib.request.Request(self.base + path, data=data, headers=hdrs, method=method)
        try:
            with self.opener.open(req, timeout=left()) as r:
                raw = r.read()
                return r.status, (json.loads(raw) if raw else None)
        except urllib.error.HTTPError as e:
            raw = e.read()
            try:
                return e.code, json.loads(raw)
            except ValueError:
                return e.code, None

    def need(self, method: str, path: str, body=None, status: int = 200):
        got, doc = self.call(method, path, body)
        if got != status:
            raise RuntimeError(f"{method} {path} → {got}: {doc!r:.500}")
        return doc


def link_in(msg, kind: str) -> str:
    m = re.search(r"(https?://\S+/" + kind + r"#token=[A-Za-z0-9_-]+)", msg.get_content())
    return m.group(1) if m else ""


def log_of(admin: Client, event: str):
    """The delivery log's messages of `event` to show (newest first); None when the server has
    no delivery log endpoint."""
    status, doc = admin.call("GET", "/api/v1/outbox?channel=email&limit=200")
    if status == 404:
        return None
    return [i for i in doc["items"] if i["event"] == event]


def wait_log(admin: Client, event: str, pred, cap: float = 20.0):
    until = time.monotonic() + left(cap)
    items = None
    while time.monotonic() < until:
        items = log_of(admin, event)
        if items is None or (items and pred(items[0])):
            return items
        time.sleep(0.3)
    return items


# ---------------------------------------------------------------------------------------------
# The checks


def check_invitation(server, inbox, checks):
    ada = Client(server.base)
    ada.need("POST", "/api/v1/setup", {"token": server.token, **ADA, "time_zone": "UTC"}, 201)
    me = ada.need("GET", "/api/v1/me")
    checks.equal("me: e-mail on", me["email_enabled"], True)
    checks.equal("me: an admin's notification kinds", me["email_notification_kinds"],
                 ["week_decisions", "privacy_deadlines", "backup_failures"])
    system = ada.need("GET", "/api/v1/system")
    checks.equal("system: the SMTP server shown, no password",
                 {k: system["email"][k] for k in ("security", "from", "authenticates")},
                 {"security": "none", "from": FROM, "authenticates": True})

    made = ada.need("POST", "/api/v1/users", {"name": ZOE["name"], "email": ZOE["email"],
                                              "role": "member", "time_zone": "UTC"}, 201)
    checks.equal("create user: the answer says the link was e-mailed",
                 made["reset_link"]["emailed"], True)
    msg = inbox.next_to(ZOE["email"])
    if not checks.ok("invitation: arrived", msg is not None):
        raise RuntimeError("no invitation")
    checks.equal("invitation: From", msg["From"], FROM)
    checks.equal("invitation: Subject", msg["Subject"], "Your OphionTT account")
    checks.ok("invitation: Message-ID", re.fullmatch(r"<[0-9a-f-]{36}@example\.test>",
                                                     msg["Message-ID"] or ""), msg["Message-ID"])
    checks.ok("invitation: Date", msg["Date"] is not None and
              abs(msg["Date"].datetime - dt.datetime.now(dt.timezone.utc)).total_seconds() < 300)
    checks.equal("invitation: plain UTF-8 text", (msg.get_content_type(),
                                                  msg.get_content_charset()), ("text/plain", "utf-8"))
    body = msg.get_content()
    checks.ok("invitation: greets by name (UTF-8)", "Hello Zoë Müller," in body, body[:200])
    link = link_in(msg, "reset")
    checks.equal("invitation: the link is the one the admin got", link, made["reset_link"]["url"])
    long = [l for l in body.splitlines() if len(l) > 72 and "#token=" not in l]
    checks.equal("invitation: lines wrapped at 72", long, [])

    zoe = Client(server.base)
    token = link.split("#token=", 1)[1]
    zoe.need("POST", "/api/v1/password-reset", {"token": token, "new_password": ZOE["password"]}, 204)
    zoe.need("POST", "/api/v1/session", {"email": ZOE["email"], "password": ZOE["password"]})
    checks.ok("invitation: its link set the password; she signs in", True)

    issued = ada.need("POST", f"/api/v1/users/{made['user']['id']}/reset-link")
    checks.equal("reset link: the answer says it was e-mailed", issued["emailed"], True)
    msg = inbox.next_to(ZOE["email"])
    checks.ok("reset link: arrived", msg is not None)
    checks.equal("reset link: Subject", msg and msg["Subject"], "Set a new OphionTT password")
    link = link_in(msg, "reset") if msg else ""
    checks.equal("reset link: the link is the one the admin got", link, issued["url"])
    new_pw = ZOE["password"] + " again"
    zoe2 = Client(server.base)
    zoe2.need("POST", "/api/v1/password-reset",
              {"token": link.split("#token=", 1)[-1], "new_password": new_pw}, 204)
    zoe2.need("POST", "/api/v1/session", {"email": ZOE["email"], "password": new_pw})
    checks.ok("reset link: its link set a new password", True)
    return ada, zoe2, made["user"]["id"]


def check_weeks(ada, zoe, zoe_id, inbox, checks):
    project = ada.need("POST", "/api/v1/projects", {"name": "Backups", "member_ids": [zoe_id]}, 201)
    today = dt.date.today()
    monday = today - dt.timedelta(days=today.weekday() + 7)
    start = dt.datetime.combine(monday, dt.time(9), dt.timezone.utc)
    zoe.need("POST", "/api/v1/entries", {"project_id": project["id"], "start": start.isoformat(),
                                         "end": (start + dt.timedelta(hours=2)).isoformat(),
                                         "note": "restore drill", "confirm": True}, 201)
    week = monday.isoformat()
    zoe.need("POST", f"/api/v1/weeks/{week}/submit", {})
    ada.need("POST", f"/api/v1/weeks/{zoe_id}/{week}/reject", {"comment": "Tuesday is missing"})
    msg = inbox.next_to(ZOE["email"])
    checks.ok("week rejected: e-mailed", msg is not None)
    if msg:
        checks.equal("week rejected: Subject", msg["Subject"], f"Your week of {week} was rejected")
        flat = " ".join(msg.get_content().split())
        checks.ok("week rejected: says who and the comment",
                  f"Ada Admin rejected your week of {week}." in flat
                  and "Comment: Tuesday is missing" in flat, flat[:400])
        checks.ok("week rejected: says how to turn it off", "/account" in flat)

    me = zoe.need("PATCH", "/api/v1/me", {"email_notifications": {"week_decisions": False}})
    checks.equal("opt-out: saved", me["email_notifications"]["week_decisions"], False)
    checks.equal("opt-out: a member sees only week decisions", me["email_notification_kinds"],
                 ["week_decisions"])
    zoe.need("POST", f"/api/v1/weeks/{week}/submit", {})
    ada.need("POST", f"/api/v1/weeks/{zoe_id}/{week}/reject", {"comment": "Still missing"})
    checks.ok("opt-out: the next rejection sends nothing", inbox.nothing_to(ZOE["email"], 3.0))


def check_breach(ada, zoe_id, inbox, checks):
    """A breach notification (Art. 34) reaches the affected person, once, with their name."""
    inc = ada.need("POST", "/api/v1/incidents", {"title": "Export sent to the wrong client"}, 201)
    path = f"/api/v1/incidents/{inc['id']}"
    inc = ada.need("PATCH", path, {"version": inc["version"], "measures": "the file was deleted",
                                   "consequences": "your hours were seen", "contact": "dpo@example.test"})
    inc = ada.need("PUT", path + "/affected", {"version": inc["version"], "user_ids": [zoe_id]})
    draft = ada.need("GET", path + "/notification-draft")
    sent = ada.need("POST", path + "/notifications", {"subject": draft["subject"], "body": draft["body"]})
    checks.equal("breach: one notification queued", len(sent["sent"]), 1)
    msg = inbox.next_to(ZOE["email"])
    if not checks.ok("breach: the notification arrived", msg is not None):
        return
    checks.equal("breach: Subject", msg["Subject"], draft["subject"])
    body = msg.get_content()
    checks.ok("breach: greets by name, says the measures and the contact",
              "Hello Zoë Müller," in body and "the file was deleted" in body
              and "dpo@example.test" in body, body[:400])
    status, doc = ada.call("POST", path + "/notifications", {"subject": "again", "body": "again"})
    checks.equal("breach: a second send tells no one twice", (status, (doc or {}).get("code")),
                 (409, "incident.nobody_to_notify"))


def check_refused(ada, inbox, checks):
    ada.need("POST", "/api/v1/users", {"name": "Bounce", "email": "bounce@example.test",
                                       "role": "member", "time_zone": "UTC"}, 201)
    items = wait_log(ada, "email.invitation",
                     lambda i: i["to"] == "bounce@example.test" and i["state"] == "failed")
    if items is None:
        print("skip 550: the server has no delivery log endpoint yet")
        return
    it = next((i for i in items if i["to"] == "bounce@example.test"), None)
    checks.ok("550: failed at once, not retried",
              it is not None and it["state"] == "failed" and it["tries"] == 1, repr(it)[:400])
    checks.ok("550: the error says why",
              it is not None and "550" in (it["attempts"][-1]["error"] or ""), repr(it)[:400])


def check_down(ada, inbox, smtp, port, checks):
    smtp.stop()
    ada.need("POST", "/api/v1/system/test-email")
    items = wait_log(ada, "email.test", lambda i: i["tries"] >= 1, cap=10)
    if items is not None:
        it = items[0] if items else None
        checks.ok("down: the delivery log shows the failed attempt, still pending",
                  it is not None and it["state"] == "pending" and it["tries"] >= 1, repr(it)[:400])
        checks.ok("down: the error says connection refused",
                  it is not None and "connection refused" in (it["attempts"][-1]["error"] or ""),
                  repr(it)[:400])
    else:
        time.sleep(2.5)
    checks.ok("down: nothing arrived meanwhile", inbox.mail.empty())
    smtp = start_smtp(inbox, port)
    msg = inbox.next_to(ADA["email"])
    checks.ok("down: delivered once the SMTP server is up", msg is not None)
    checks.equal("down: the test e-mail", msg and msg["Subject"], "OphionTT test e-mail")
    if items is not None:
        items = wait_log(ada, "email.test", lambda i: i["state"] == "delivered", cap=5)
        checks.ok("down: the delivery log says delivered",
                  items and items[0]["state"] == "delivered" and items[0]["tries"] >= 2,
                  repr(items)[:300])
    return smtp


def check_wrong_password(tmp, inbox, port, checks):
    """A second server with a wrong password: the SMTP server refuses the sign-in; the
    message stays queued (an authentication failure is not a permanent refusal)."""
    pw = Path(tmp) / "wrong-password"
    pw.write_text("not the password\n")
    before = inbox.auth_failures
    server = Server(str(Path(tmp) / "data2"), env(port, pw))
    try:
        admin = Client(server.base)
        admin.need("POST", "/api/v1/setup", {"token": server.token, **ADA, "time_zone": "UTC"}, 201)
        admin.need("POST", "/api/v1/system/test-email")
        until = time.monotonic() + left(10)
        while inbox.auth_failures == before and time.monotonic() < until:
            time.sleep(0.2)
        checks.ok("wrong password: the SMTP server refused the sign-in",
                  inbox.auth_failures > before)
        items = wait_log(admin, "email.test", lambda i: i["tries"] >= 1, cap=5)
        if items:
            err = items[0]["attempts"][-1]["error"] or ""
            checks.ok("wrong password: still pending, the error names the keys to check",
                      items[0]["state"] == "pending" and "email.password_file" in err, err)
        checks.ok("wrong password: nothing delivered", inbox.nothing_to(ADA["email"], 1.0))
        checks.ok("wrong password: the password is not in the server's output",
                  not any("not the password" in l or SMTP_PASSWORD in l for l in server.log))
    finally:
        server.stop()


def env(port: int, password_file: Path) -> dict:
    return {
        "OPHIONTT_EMAIL_SMTP_HOST": "127.0.0.1",
        "OPHIONTT_EMAIL_SMTP_PORT": str(port),
        "OPHIONTT_EMAIL_SECURITY": "none",
        "OPHIONTT_EMAIL_USERNAME": SMTP_USER,
        "OPHIONTT_EMAIL_PASSWORD_FILE": str(password_file),
        "OPHIONTT_EMAIL_FROM": FROM,
        "OPHIONTT_EMAIL_TIMEOUT": "5s",
        "OPHIONTT_WEBHOOKS_RETRY_BASE": "1s",
        "OPHIONTT_APPROVAL_ENABLED": "true",
        "OPHIONTT_AUTH_SIGN_IN_LINKS": "true",
        "OPHIONTT_LOG_FILE": "false",
    }


def on_alarm(signum, frame):
    raise TimeoutError(f"the check took longer than {BUDGET:.0f} s")


def main() -> int:
    started = time.monotonic()
    signal.signal(signal.SIGALRM, on_alarm)
    signal.alarm(int(BUDGET) + 5)
    harness.set_budget(BUDGET)
    checks = Checks()
    server = smtp = None
    inbox = Inbox()
    with tempfile.TemporaryDirectory(prefix="ophiontt-email-") as tmp:
        try:
            port = free_port()
            smtp = start_smtp(inbox, port)
            pw = Path(tmp) / "smtp-password"
            pw.write_text(SMTP_PASSWORD + "\n")
            pw.chmod(0o600)
            server = Server(str(Path(tmp) / "data"), env(port, pw))
            checks.ok("server started with [email]", True)
            ada, zoe, zoe_id = check_invitation(server, inbox, checks)
            checks.section("sign-in links", check_sign_in_links, server,
                           lambda: Client(server.base), ada, ZOE, inbox, checks)
            checks.section("weeks", check_weeks, ada, zoe, zoe_id, inbox, checks)
            checks.section("breach", check_breach, ada, zoe_id, inbox, checks)
            checks.section("550", check_refused, ada, inbox, checks)
            smtp = checks.section("down", check_down, ada, inbox, smtp, port, checks) or smtp
            checks.ok("the password is never in the server's output",
                      not any(SMTP_PASSWORD in l for l in server.log))
            server.stop()
            server = None
            checks.section("wrong password", check_wrong_password, tmp, inbox, port, checks)
        except Exception as e:  # noqa: BLE001 - the run ends with its result line either way
            checks.ok("the run completed", False, f"{type(e).__name__}: {e}")
        finally:
            signal.alarm(0)
            if server is not None:
                server.stop()
                if checks.failed:
                    noisy = [l for l in server.log if " WARN " in l or " ERROR " in l]
                    sys.stdout.write("".join("server: " + l for l in noisy[-20:]))
            if smtp is not None:
                try:
                    smtp.stop()
                except Exception:  # noqa: BLE001 - stopped already
                    pass
    print(f"({time.monotonic() - started:.1f} s)")
    print(f"email result: {checks.passed} passed; {checks.failed} failed")
    return 1 if checks.failed else 0


if __name__ == "__main__":
    sys.exit(main())
