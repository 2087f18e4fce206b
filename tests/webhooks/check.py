"""End-to-end check of webhooks with receivers written here, in Python.

Starts three receivers on loopback (one that answers, one that answers too slowly, and a port
where nothing listens: a receiver that is down), then the real server allowed to reach
127.0.0.1, with deliveries timing out after 1 s and retried after 1 s, 4 s (three attempts).
Through the API it registers hooks, makes and changes entries and a week, and checks that:

- each delivery carries an `OphionTT-Signature` the receiver verifies with Python's `hmac`
  (HMAC-SHA256 over "<t>.<body>") and a JSON body with the event and the entry;
- a receiver that is down and a slow one are retried and end `failed` in the delivery log with
  why; sent again once the receiver is up, the delivery arrives;
- nothing about a person whose processing is restricted is sent, and erasing a person deletes
  what was queued about them;
- a URL on a host the config does not allow is refused.

Prints one line per check and ends with `webhooks result: <N> passed; <M> failed`, exiting 1
when anything failed. Standard library only.
"""

import datetime as dt
import hashlib
import hmac
import http.server
import json
import socket
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "pylib"))
from harness import Checks, Client, Server, left, set_budget, short  # noqa: E402

BUDGET = 80.0
ADA = {"name": "Ada Lovelace", "email": "ada@example.com", "password": "correct horse battery"}


class Receiver:
    """An HTTP receiver on a random loopback port that records every POST and verifies its
    signature with the secret it is told; `delay` makes it answer late."""

    def __init__(self, delay: float = 0.0, port: int = 0):
        self.secret = None
        self.got: list = []
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - the stdlib's name
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                outer.got.append((self.headers, body, outer.verify(self.headers, body)))
                time.sleep(delay)
                try:
                    self.send_response(204)
                    self.end_headers()
                except OSError:
                    pass

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def verify(self, headers, body: bytes) -> bool:
        """The signature check a receiver runs (docs/integrations.md shows the same)."""
        sig = headers.get("OphionTT-Signature", "")
        parts = dict(p.split("=", 1) for p in sig.split(",") if "=" in p)
        t, v1 = parts.get("t", ""), parts.get("v1", "")
        if not self.secret or not t.isdigit() or abs(time.time() - int(t)) > 300:
            return False
        want = hmac.new(self.secret.encode(), f"{t}.".encode() + body, hashlib.sha256).hexdigest()
        return hmac.compare_digest(want, v1)

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(what, cond, cap: float = 15.0):
    until = time.monotonic() + left(cap)
    while time.monotonic() < until:
        value = cond()
        if value:
            return value
        time.sleep(0.1)
    raise TimeoutError(f"waited for {what}")


def hook(ada: Client, port: int, events: list, checks: Checks, name: str) -> dict:
    r = ada.need("POST", "/api/v1/webhooks",
                 {"url": f"http://127.0.0.1:{port}/in", "events": events, "description": name}, 201)
    checks.ok(f"{name}: secret shown once, whsec_", r["secret"].startswith("whsec_"), r["secret"][:6])
    return r


def log_of(ada: Client, hook_id: str) -> list:
    return ada.need("GET", f"/api/v1/outbox?channel=webhook&webhook_id={hook_id}&limit=200")["items"]


def main() -> int:
    set_budget(BUDGET)
    started = time.monotonic()
    checks = Checks()
    good, slow = Receiver(), Receiver(delay=2.5)
    down_port = free_port()
    server = None
    with tempfile.TemporaryDirectory(prefix="ophiontt-webhooks-") as tmp:
        config = Path(tmp) / "ophiontt.toml"
        config.write_text('[webhooks]\nallowed_hosts = ["127.0.0.1"]\ntimeout = "1s"\n'
                          'retry_base = "1s"\nmax_attempts = 3\n')
        try:
            server = Server(str(Path(tmp) / "data"), config=str(config))
            ada = Client(server.base)
            ada.need("POST", "/api/v1/setup", {"token": server.token, **ADA, "time_zone": "UTC"}, 201)
            run(checks, ada, good, slow, down_port)
        except Exception as e:  # noqa: BLE001 - the run ends with its result line either way
            checks.ok("the run completed", False, f"{type(e).__name__}: {e}")
        finally:
            if server is not None:
                server.stop()
            good.stop()
            slow.stop()
    print(f"({time.monotonic() - started:.1f} s)")
    print(f"webhooks result: {checks.passed} passed; {checks.failed} failed")
    return 1 if checks.failed else 0


def run(checks: Checks, ada: Client, good: Receiver, slow: Receiver, down_port: int) -> None:
    r = ada.call("POST", "/api/v1/webhooks", {"url": "https://example.com/in", "events": ["entry.created"]})
    checks.equal("a host the config does not allow: 422 host_not_allowed",
                 (r.status, r.json()["errors"][0]["code"]), (422, "host_not_allowed"))
    events = ["entry.created", "entry.updated", "entry.deleted", "week.submitted"]
    g = hook(ada, good.port, events, checks, "good")
    good.secret = g["secret"]
    s = hook(ada, slow.port, ["entry.created"], checks, "slow")
    slow.secret = s["secret"]
    d = hook(ada, down_port, ["entry.created"], checks, "down")

    project = ada.need("POST", "/api/v1/projects", {"name": "Backups"}, 201)
    day = (dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=1)).date()
    entry = ada.need("POST", "/api/v1/entries", {"project_id": project["id"], "start": f"{day}T09:00:00Z",
                                                 "end": f"{day}T10:00:00Z", "note": "rotated keys"}, 201)
    got = wait_for("the good receiver's delivery", lambda: good.got)
    headers, body, verified = got[0]
    checks.ok("good: the signature verifies with the secret (Python hmac)", verified, short(headers))
    payload = json.loads(body)
    checks.equal("good: event header and body", (headers.get("OphionTT-Event"), payload["event"]),
                 ("entry.created", "entry.created"))
    checks.equal("good: delivery id in header and body", headers.get("OphionTT-Delivery"), payload["id"])
    e = payload["data"]["entry"]
    checks.equal("good: the entry as made", (e["id"], e["note"], e["project"]["name"], e["duration_secs"],
                                             e["user"]["email"]), (entry["id"], "rotated keys", "Backups", 3600,
                                                                   ADA["email"]))
    checks.ok("the same headers verify the same body again", good.verify(headers, body))
    checks.ok("a body changed in transit fails the check", not good.verify(headers, body + b" "))

    ada.need("PATCH", f"/api/v1/entries/{entry['id']}", {"note": "rotated all keys"})
    ada.need("DELETE", f"/api/v1/entries/{entry['id']}", status=204)
    wait_for("three deliveries", lambda: len(good.got) >= 3)
    kinds = [json.loads(b)["event"] for _, b, _ in good.got]
    checks.equal("good: created, updated, deleted in order", kinds[:3],
                 ["entry.created", "entry.updated", "entry.deleted"])
    checks.equal("good: the update carries the new note", json.loads(good.got[1][1])["data"]["entry"]["note"],
                 "rotated all keys")
    checks.ok("good: every delivery verifies", all(v for _, _, v in good.got))

    down = wait_for("the down receiver's delivery to fail",
                    lambda: [i for i in log_of(ada, d["webhook"]["id"]) if i["state"] == "failed"], cap=20)
    checks.equal("down: three attempts, then failed", down[0]["tries"], 3)
    checks.ok("down: each attempt says why", all(a["error"] == "could not connect" for a in down[0]["attempts"]),
              short(down[0]["attempts"]))
    gaps = [dt.datetime.fromisoformat(b["at"]) - dt.datetime.fromisoformat(a["at"])
            for a, b in zip(down[0]["attempts"], down[0]["attempts"][1:])]
    checks.ok("down: retried after about 1 s, then about 4 s",
              len(gaps) == 2 and 0.8 <= gaps[0].total_seconds() < 3 and 3.5 <= gaps[1].total_seconds() < 7,
              short(gaps))
    late = Receiver(port=down_port)
    late.secret = d["secret"]
    try:
        again = ada.call("POST", f"/api/v1/outbox/{down[0]['id']}/resend")
        checks.equal("down: sent again (202, pending)", (again.status, again.json()["state"]), (202, "pending"))
        wait_for("the resent delivery", lambda: late.got)
        checks.ok("down: the resent delivery arrives and verifies", late.got[0][2])
        done = wait_for("delivered in the log", lambda: [i for i in log_of(ada, d["webhook"]["id"])
                                                         if i["state"] == "delivered"])
        checks.equal("down: delivered after 4 tries in all", len(done[0]["attempts"]), 4)
    finally:
        late.stop()

    timed_out = wait_for("the slow receiver's delivery to fail",
                         lambda: [i for i in log_of(ada, s["webhook"]["id"]) if i["state"] == "failed"], cap=20)
    checks.ok("slow: attempts time out", all(a["error"] == "timed out" for a in timed_out[0]["attempts"]),
              short(timed_out[0]["attempts"]))

    ping = ada.call("POST", f"/api/v1/webhooks/{g['webhook']['id']}/ping")
    checks.equal("ping: 202", ping.status, 202)
    wait_for("the ping", lambda: any(json.loads(b)["event"] == "webhook.ping" for _, b, _ in good.got))

    # Restriction and erasure: Zoë tracks her own time while her processing is restricted.
    made = ada.need("POST", "/api/v1/users", {"name": "Zoe", "email": "zoe@example.com", "role": "member",
                                              "time_zone": "UTC"}, 201)
    zoe_id = made["user"]["id"]
    token = made["reset_link"]["url"].split("#token=", 1)[1]
    zoe = Client(ada.base)
    zoe.need("POST", "/api/v1/password-reset", {"token": token, "new_password": "zoe's long passphrase"}, 204)
    zoe.need("POST", "/api/v1/session", {"email": "zoe@example.com", "password": "zoe's long passphrase"})
    ada.need("PATCH", f"/api/v1/projects/{project['id']}", {"member_ids": [zoe_id]})
    zoe.need("POST", "/api/v1/entries", {"project_id": project["id"], "start": f"{day}T13:00:00Z",
                                         "end": f"{day}T13:30:00Z", "note": "before"}, 201)
    wait_for("Zoë's first entry delivered", lambda: any(zoe_id in b.decode() for _, b, _ in good.got))
    ada.need("POST", f"/api/v1/privacy/users/{zoe_id}/restrict", {})
    before = len(good.got)
    zoe.need("POST", "/api/v1/entries", {"project_id": project["id"], "start": f"{day}T11:00:00Z",
                                         "end": f"{day}T12:00:00Z", "note": "while restricted"}, 201)
    time.sleep(2.5)
    zoe_sent = [b for _, b, _ in good.got[before:] if zoe_id in b.decode()]
    checks.equal("restricted: nothing about them is sent", zoe_sent, [])
    about = [i for i in ada.need("GET", "/api/v1/outbox?limit=200")["items"] if i["subject_id"] == zoe_id]
    checks.equal("the log names whose data a delivery carries (her first entry, to three hooks)",
                 len(about), 3)
    ada.need("POST", f"/api/v1/privacy/users/{zoe_id}/lift", {})
    erased = ada.call("POST", f"/api/v1/privacy/users/{zoe_id}/erase", {})
    checks.equal("erased: 200", erased.status, 200)
    log = ada.need("GET", "/api/v1/outbox?limit=200")["items"]
    gone = {i["id"] for i in about} - {i["id"] for i in log}
    checks.equal("erased: the deliveries about them are gone from the outbox", len(gone), 3)


if __name__ == "__main__":
    sys.exit(main())
