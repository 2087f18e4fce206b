"""Loads one person's year of time over HTTP, the same data into OphionTT or TimeTagger.

50 entries on every day of 2025 (18,250 in all): 9-minute entries 10 minutes
apart from 08:00 UTC, on five projects of one client, each with a note and two tags. March holds
1,550 of them: the month the read benchmarks ask for.

    python3 load_year.py ophiontt BASE_URL SESSION_COOKIE
    python3 load_year.py timetagger BASE_URL AUTHTOKEN

OphionTT gets one POST per entry (as its web UI and API clients create them); TimeTagger gets
its records in PUTs of 1,000 (its API takes lists, and its web client sends them that way).
"""

import datetime as dt
import http.client
import json
import sys
import urllib.parse

DAYS, PER_DAY = 365, 50
START = dt.datetime(2025, 1, 1, 8, 0, tzinfo=dt.timezone.utc)


def entries():
    """(n, project index, start, end, note) for every entry of the year."""
    n = 0
    for d in range(DAYS):
        day = START + dt.timedelta(days=d)
        for k in range(PER_DAY):
            s = day + dt.timedelta(minutes=10 * k)
            yield n, k % 5, s, s + dt.timedelta(minutes=9), f"ticket OPS-{n % 977}: rotated keys on host {k}"
            n += 1


def connect(base):
    u = urllib.parse.urlparse(base)
    return http.client.HTTPConnection(u.hostname, u.port)


def call(c, method, path, body, headers):
    c.request(method, path, json.dumps(body), {"Content-Type": "application/json", **headers})
    r = c.getresponse()
    data = r.read()
    if r.status >= 300:
        sys.exit(f"{method} {path}: {r.status} {data[:300]!r}")
    return json.loads(data) if data else None


def load_ophiontt(base, cookie):
    c, h = connect(base), {"Cookie": f"ophiontt_session={cookie}"}
    client = call(c, "POST", "/api/v1/clients", {"name": "Acme Corporation"}, h)["id"]
    projects = [
        call(c, "POST", "/api/v1/projects", {"name": f"Project {i}", "client_id": client,
             "billable": True, "rate_cents": 9000, "currency": "EUR"}, h)["id"]
        for i in range(5)
    ]
    z = lambda t: t.isoformat().replace("+00:00", "Z")
    for n, p, s, e, note in entries():
        call(c, "POST", "/api/v1/entries", {"project_id": projects[p], "start": z(s), "end": z(e),
             "note": note, "tags": ["ops", "billable"], "confirm": True}, h)
    return n + 1


def load_timetagger(base, token):
    c, h = connect(base), {"authtoken": token}
    batch, now, total = [], int(dt.datetime.now().timestamp()), 0
    for n, p, s, e, note in entries():
        batch.append({"key": f"y{n:08d}", "mt": now, "t1": int(s.timestamp()),
                      "t2": int(e.timestamp()), "ds": f"#project{p} #ops #billable {note}"})
        if len(batch) == 1000:
            r = call(c, "PUT", "/timetagger/api/v2/records", batch, h)
            total += len(r["accepted"])
            batch = []
    if batch:
        total += len(call(c, "PUT", "/timetagger/api/v2/records", batch, h)["accepted"])
    return total


if __name__ == "__main__":
    kind, base, secret = sys.argv[1:4]
    n = (load_ophiontt if kind == "ophiontt" else load_timetagger)(base, secret)
    print(f"loaded {n} entries into {kind}")
