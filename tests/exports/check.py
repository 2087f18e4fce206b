"""End-to-end check of the time-entry exports, read back by parsers that are not ours.

Starts the real server (`$OPHIONTT_BIN serve`) on a random loopback port with a temporary data
folder, completes first-run setup, makes clients, projects, a second user and entries through
the API, then downloads `GET /api/v1/exports/entries` as CSV (plain, with a BOM, with `;`,
identity and gzip), JSON, XLSX, iCalendar and PDF and reads each with Python's csv and json,
openpyxl, icalendar and poppler's pdftotext, comparing every row with what it created. Also
checks refusals (bad format, reversed range, no session) and the `export` command of the CLI
while the server runs. Prints one line per check and ends with

    exports result: <N> passed; <M> failed

exiting 1 when anything failed. Run through tests/exports/run.sh, which provides the
virtualenv (icalendar, openpyxl) and pdftotext.
"""

import csv
import datetime as dt
import gzip
import io
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import openpyxl

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "pylib"))
from harness import BIN, Checks, Client, Response, Server, left, set_budget, short  # noqa: E402

# The whole run stays under 90 s: every wait takes what is left of this budget.
BUDGET = 85.0
BERLIN = ZoneInfo("Europe/Berlin")
UTC = dt.timezone.utc
FROM, TO = "2026-11-01", "2026-11-30"
RANGE = f"from={FROM}&to={TO}"
FILE_STEM = f"ophiontt-entries-{FROM}_{TO}"
ADA = {"name": "Ada Lovelace", "email": "ada@example.com", "password": "correct horse battery"}
ZOE = {"name": "Zoë Müller", "email": "zoe@example.com", "password": "zoë's own passphrase"}
RATE_CENTS = 12000  # 120.00 an hour: every whole-minute entry has an exact amount in cents
COLUMNS = [
    "entry_id", "date", "start", "end", "duration_seconds", "duration_hours", "user_name",
    "user_email", "client", "project", "task", "tags", "note", "billable", "rate", "amount",
    "currency", "week_state", "user_id", "tickets",
]
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "json": "application/json; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ics": "text/calendar; charset=utf-8",
    "pdf": "application/pdf",
}
WEEK_STATES = {"", "open", "submitted", "approved", "rejected", "locked"}
# Every character a CSV or iCalendar writer must escape, and a line break.
TRICKY = 'Restore drill, "full" run; path C:\\backup\\ok\nsecond line: done'
UMLAUTS = "Übergabe – café ✓"
FORMULA = "=SUM(1+1) looks like a formula"


def csv_text(s):
    """A text cell as the CSV export writes it: a leading ' before what a spreadsheet would run
    as a formula (docs/exports.md, "CSV")."""
    return "'" + s if s[:1] in ("=", "+", "-", "@", "\t", "\r") else s
LONG = "Größenänderung der Partitionen prüfen; " * 8


# ---------------------------------------------------------------------------------------------
# Data made through the API


def berlin(day: int, hm: str, month: int = 11) -> dt.datetime:
    h, m = map(int, hm.split(":"))
    return dt.datetime(2026, month, day, h, m, tzinfo=BERLIN)


def ada_entries(backups: str, website: str) -> list:
    """Ada's entries in November 2026 (Berlin time): start, end, project, note, tags, billable."""
    return [
        (berlin(1, "00:30"), berlin(1, "01:00"), backups, "First minutes of November", ["ops"], True),
        (berlin(2, "09:00"), berlin(2, "10:30"), backups, "Rotate keys", ["ops", "security"], True),
        (berlin(2, "11:00"), berlin(2, "12:15"), website, "Landing page, hero image", [], False),
        (berlin(3, "08:30"), berlin(3, "12:00"), backups, TRICKY, ["ops", "restore"], True),
        (berlin(4, "13:00"), berlin(4, "14:45"), backups, UMLAUTS, ["übergabe"], True),
        (berlin(5, "23:00"), berlin(6, "01:30"), backups, "Night maintenance window", ["ops", "night"], True),
        (berlin(9, "09:00"), berlin(9, "17:00"), website, "Redesign", ["design"], False),
        (berlin(10, "10:00"), berlin(10, "10:20"), backups, "", [], True),
        (berlin(12, "14:00"), berlin(12, "15:10"), website, FORMULA, [], False),
        (berlin(16, "09:15"), berlin(16, "11:45"), backups, "Audit prep", ["audit"], True),
        (berlin(23, "08:00"), berlin(23, "09:00"), website, LONG.strip(), ["docs"], False),
        (berlin(30, "22:00"), berlin(30, "23:30"), backups, "Last evening of November", [], True),
    ]


def outside_entries(backups: str) -> list:
    """Ada's entries just outside the range in Berlin time; the December one is still
    November 30 in UTC, so an export that took dates in UTC would show it."""
    return [
        (berlin(31, "23:10", month=10), berlin(31, "23:50", month=10), backups, "October's last hour", [], True),
        (berlin(1, "00:15", month=12), berlin(1, "00:45", month=12), backups, "December's first hour", [], True),
    ]


def utc(day: int, hm: str) -> dt.datetime:
    h, m = map(int, hm.split(":"))
    return dt.datetime(2026, 11, day, h, m, tzinfo=UTC)


def zoe_entries(backups: str) -> list:
    """Zoë's entries (she lives in New York; these are given in UTC)."""
    return [
        (utc(10, "08:00"), utc(10, "11:00"), backups, "Zoë's review of the restore log", ["review"], True),
        (utc(11, "09:00"), utc(11, "10:00"), backups, "Prüfung; Abschluss", ["review"], True),
    ]


def post_entries(client: Client, specs: list) -> list:
    made = []
    for start, end, project, note, tags, billable in specs:
        body = {"project_id": project, "start": start.isoformat(), "end": end.isoformat(),
                "note": note, "tags": tags, "billable": billable, "confirm": True}
        made.append(client.need("POST", "/api/v1/entries", body, status=201))
    return made


def make_data(server: Server, checks: Checks):
    """Sets up the instance; returns (Ada's client, Zoë's client, ids, entries by person)."""
    ada = Client(server.base)
    ada.need("POST", "/api/v1/setup", {"token": server.token, **ADA, "time_zone": "Europe/Berlin"}, 201)
    checks.ok("setup: session cookie kept", ada.cookie("ophiontt_session") is not None)
    acme = ada.need("POST", "/api/v1/clients", {"name": "Acme Corp"}, 201)

    made = ada.need("POST", "/api/v1/users", {"name": ZOE["name"], "email": ZOE["email"],
                                              "role": "member", "time_zone": "America/New_York"}, 201)
    zoe_id = made["user"]["id"]
    token = made["reset_link"]["url"].split("#token=", 1)[1]
    zoe = Client(server.base)
    zoe.need("POST", "/api/v1/password-reset", {"token": token, "new_password": ZOE["password"]}, 204)
    zoe.need("POST", "/api/v1/session", {"email": ZOE["email"], "password": ZOE["password"]})

    backups = ada.need("POST", "/api/v1/projects", {
        "name": "Backups", "client_id": acme["id"], "billable": True, "rate_cents": RATE_CENTS,
        "currency": "EUR", "member_ids": [zoe_id]}, 201)
    website = ada.need("POST", "/api/v1/projects", {"name": "Website", "billable": False}, 201)

    ada_made = post_entries(ada, ada_entries(backups["id"], website["id"]))
    post_entries(ada, outside_entries(backups["id"]))
    zoe_made = post_entries(zoe, zoe_entries(backups["id"]))
    sent = [s[3] for s in ada_entries("", "")]
    checks.equal("entries: notes stored as sent", [e["note"] for e in ada_made], sent)
    ids = {"acme": acme["id"], "backups": backups["id"], "website": website["id"], "zoe": zoe_id}
    return ada, zoe, ids, {"ada": ada_made, "zoe": zoe_made}


def expected_rows(entries: list) -> list:
    """What every export should hold for these EntryDtos, in export order (person by person,
    by name, each oldest first), times in Berlin."""
    rows = []
    for e in entries:
        start = dt.datetime.fromisoformat(e["start"]).astimezone(BERLIN)
        end = dt.datetime.fromisoformat(e["end"]).astimezone(BERLIN)
        secs = int((end - start).total_seconds())
        amount = None
        if e["billable"] and e["rate_cents"] is not None:
            amount = int((Decimal(secs * e["rate_cents"]) / 3600).quantize(0, ROUND_HALF_UP))
        rows.append({
            "entry_id": e["id"], "user_id": e["user_id"], "user_name": e["user_name"],
            "user_email": ADA["email"] if e["user_name"] == ADA["name"] else ZOE["email"],
            "client": e["client_name"] or "", "project": e["project_name"],
            "task": e["task_title"] or "", "tags": e["tags"], "note": e["note"],
            "start": start, "end": end, "date": start.date(), "seconds": secs,
            "billable": e["billable"], "rate_cents": e["rate_cents"], "amount_cents": amount,
            "currency": e["currency"],
        })
    rows.sort(key=lambda r: (r["user_name"].lower(), r["start"]))
    return rows


def money(cents) -> str:
    return "" if cents is None else f"{Decimal(cents) / 100:.2f}"


def clock(secs: int) -> str:
    return f"{secs // 3600}:{secs // 60 % 60:02d}"


# ---------------------------------------------------------------------------------------------
# Downloads


def download(client: Client, checks: Checks, fmt: str, extra: str = "", encoding: str = "identity",
             label: str = "") -> Response:
    """GETs one export and checks status, Content-Type and Content-Disposition."""
    name = label or fmt
    r = client.call("GET", f"/api/v1/exports/entries?format={fmt}&{RANGE}{extra}",
                    headers={"Accept-Encoding": encoding})
    checks.ok(f"{name}: 200", r.status == 200, f"{r.status} {r.raw[:300]!r}")
    checks.equal(f"{name}: Content-Type", r.header("Content-Type"), CONTENT_TYPES[fmt])
    checks.equal(f"{name}: Content-Disposition", r.header("Content-Disposition"),
                 f'attachment; filename="{FILE_STEM}.{fmt}"')
    checks.equal(f"{name}: Cache-Control", r.header("Cache-Control"), "no-store")
    return r


def read_csv(text: str, delimiter: str = ",") -> tuple:
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    return reader.fieldnames, list(reader)


def check_csv(client: Client, checks: Checks, want: list) -> list:
    plain = download(client, checks, "csv", label="csv (identity)")
    checks.equal("csv (identity): no Content-Encoding", plain.header("Content-Encoding"), "")
    raw = plain.body
    checks.ok("csv: no BOM unless asked", not raw.startswith(b"\xef\xbb\xbf"))
    checks.ok("csv: ends with CRLF", raw.endswith(b"\r\n"))
    checks.equal("csv: every record ends with CRLF (notes hold bare LF only)",
                 raw.count(b"\r\n"), len(want) + 1)
    checks.equal("csv: header line", raw.split(b"\r\n", 1)[0].decode(), ",".join(COLUMNS))
    header, rows = read_csv(raw.decode("utf-8"))
    checks.equal("csv: DictReader header", header, COLUMNS)
    checks.equal("csv: one row per entry, in order", [r["entry_id"] for r in rows],
                 [w["entry_id"] for w in want])
    outside = [r["note"] for r in rows if r["note"].startswith(("October's", "December's"))]
    checks.ok("csv: entries outside the range (Berlin dates) left out", not outside, short(outside))
    compare_csv_rows(checks, "csv", rows, want)

    zipped = download(client, checks, "csv", encoding="gzip", label="csv (gzip)")
    checks.equal("csv (gzip): Content-Encoding", zipped.header("Content-Encoding"), "gzip")
    checks.ok("csv (gzip): body is gzip", zipped.raw[:2] == b"\x1f\x8b")
    checks.equal("csv (gzip): same rows as identity", read_csv(zipped.body.decode("utf-8"))[1], rows)

    bom = download(client, checks, "csv", "&bom=true", label="csv (bom)")
    checks.equal("csv (bom): starts EF BB BF", bom.body[:3], b"\xef\xbb\xbf")
    checks.equal("csv (bom): same rows after utf-8-sig", read_csv(bom.body.decode("utf-8-sig")), (header, rows))

    semi = download(client, checks, "csv", "&delimiter=semicolon", label="csv (semicolon)")
    checks.equal("csv (semicolon): header line", semi.body.split(b"\r\n", 1)[0].decode(), ";".join(COLUMNS))
    # Decimals with a comma, as spreadsheets in such locales write them; the rest unchanged.
    decimals = ("duration_hours", "rate", "amount")
    comma = [{k: (v.replace(".", ",") if k in decimals else v) for k, v in r.items()} for r in rows]
    checks.equal("csv (semicolon): same rows with delimiter=';' and decimal commas",
                 read_csv(semi.body.decode("utf-8"), ";"), (header, comma))
    return rows


def compare_csv_rows(checks: Checks, name: str, rows: list, want: list) -> None:
    by_id = {r["entry_id"]: r for r in rows}
    problems = []
    for w in want:
        r = by_id.get(w["entry_id"])
        if r is None:
            problems.append(f"{w['entry_id']}: missing")
            continue
        start, end = dt.datetime.fromisoformat(r["start"]), dt.datetime.fromisoformat(r["end"])
        expect = {
            "date": w["date"].isoformat(), "duration_seconds": str(w["seconds"]),
            "duration_hours": f"{(w['seconds'] * 100 + 1800) // 3600 / 100:.2f}",
            "user_name": w["user_name"], "user_email": w["user_email"], "client": w["client"],
            "project": w["project"], "task": w["task"], "tags": ", ".join(w["tags"]),
            "note": csv_text(w["note"]), "billable": "true" if w["billable"] else "false",
            "rate": money(w["rate_cents"]), "amount": money(w["amount_cents"]),
            "currency": w["currency"], "user_id": w["user_id"],
        }
        for key, value in expect.items():
            if r[key] != value:
                problems.append(f"{w['entry_id']} {key}: {r[key]!r} != {value!r}")
        if (start, end) != (w["start"], w["end"]):
            problems.append(f"{w['entry_id']} times: {r['start']} – {r['end']}")
        if start.utcoffset() != dt.timedelta(hours=1):
            problems.append(f"{w['entry_id']} start not in Berlin time: {r['start']}")
        if int((end - start).total_seconds()) != int(r["duration_seconds"]):
            problems.append(f"{w['entry_id']} duration_seconds != end − start")
        if r["week_state"] not in WEEK_STATES:
            problems.append(f"{w['entry_id']} week_state {r['week_state']!r}")
    checks.ok(f"{name}: every field of every row as created", not problems, "; ".join(problems[:5]))
    tricky = next((r for r in rows if r["note"].startswith("Restore drill")), {})
    checks.equal(f"{name}: tricky note round-trips exactly", tricky.get("note"), TRICKY)
    night = next((r for r in rows if r["note"] == "Night maintenance window"), {})
    checks.equal(f"{name}: midnight-crossing entry keeps 9000 s", night.get("duration_seconds"), "9000")
    checks.equal(f"{name}: midnight-crossing entry on the day it starts", night.get("date"), "2026-11-05")
    umlauts = next((r for r in rows if r["note"].startswith("Übergabe")), {})
    checks.equal(f"{name}: non-ASCII note", umlauts.get("note"), UMLAUTS)


def check_json(client: Client, checks: Checks, want: list) -> None:
    r = download(client, checks, "json", encoding="gzip")
    checks.equal("json: gzip when accepted", r.header("Content-Encoding"), "gzip")
    doc = json.load(io.BytesIO(r.body))
    checks.equal("json: format", doc.get("format"), "ophiontt.entries")
    checks.equal("json: version", doc.get("version"), 1)
    checks.equal("json: time_zone", doc.get("time_zone"), "Europe/Berlin")
    checks.equal("json: range", (doc.get("from"), doc.get("to")), (FROM, TO))
    checks.equal("json: title (an admin's export of everyone)", doc.get("title"), "Time entries")
    entries = doc.get("entries") or []
    checks.equal("json: entries in order", [e["entry_id"] for e in entries], [w["entry_id"] for w in want])
    problems = []
    for e, w in zip(entries, want):
        expect = {
            "user_id": w["user_id"], "user_email": w["user_email"], "user_name": w["user_name"],
            "client": w["client"], "project": w["project"], "task": w["task"], "tags": w["tags"],
            "note": w["note"], "duration_seconds": w["seconds"], "billable": w["billable"],
            "rate_cents": w["rate_cents"], "amount_cents": w["amount_cents"], "currency": w["currency"],
        }
        for key, value in expect.items():
            if e.get(key) != value:
                problems.append(f"{w['entry_id']} {key}: {e.get(key)!r} != {value!r}")
        times = (dt.datetime.fromisoformat(e["start"]), dt.datetime.fromisoformat(e["end"]))
        if times != (w["start"], w["end"]):
            problems.append(f"{w['entry_id']} times {e['start']} – {e['end']}")
        if e.get("week_state") not in WEEK_STATES - {""} | {None}:
            problems.append(f"{w['entry_id']} week_state {e.get('week_state')!r}")
    checks.ok("json: every entry as created", not problems, "; ".join(problems[:5]))


def check_xlsx(client: Client, checks: Checks, want: list) -> None:
    r = download(client, checks, "xlsx", encoding="gzip")
    checks.equal("xlsx: not gzipped again (already compressed)", r.header("Content-Encoding"), "")
    book = openpyxl.load_workbook(io.BytesIO(r.body))
    sheet = book.worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    checks.equal("xlsx: header row", list(rows[0]) if rows else None, COLUMNS)
    checks.equal("xlsx: one row per entry", len(rows) - 1, len(want))
    col = {name: i for i, name in enumerate(COLUMNS)}
    cells = {row[col["entry_id"]]: row for row in rows[1:]}
    problems = []
    for w in want:
        row = cells.get(w["entry_id"])
        if row is None:
            problems.append(f"{w['entry_id']}: missing")
            continue
        date, start, end = row[col["date"]], row[col["start"]], row[col["end"]]
        if not isinstance(date, dt.datetime) or date.date() != w["date"]:
            problems.append(f"{w['entry_id']} date {date!r}")
        if (start, end) != (w["start"].replace(tzinfo=None), w["end"].replace(tzinfo=None)):
            problems.append(f"{w['entry_id']} times {start!r} – {end!r}")
        secs = row[col["duration_seconds"]]
        if not isinstance(secs, (int, float)) or isinstance(secs, bool) or secs != w["seconds"]:
            problems.append(f"{w['entry_id']} duration_seconds {secs!r}")
        hours = row[col["duration_hours"]]
        if not isinstance(hours, (int, float)) or abs(hours - w["seconds"] / 3600) > 1e-9:
            problems.append(f"{w['entry_id']} duration_hours {hours!r}")
        if row[col["billable"]] is not w["billable"]:
            problems.append(f"{w['entry_id']} billable {row[col['billable']]!r}")
        for key, cents in (("rate", w["rate_cents"]), ("amount", w["amount_cents"])):
            value = row[col[key]]
            if (value is None) != (cents is None) or (cents is not None and abs(value - cents / 100) > 1e-9):
                problems.append(f"{w['entry_id']} {key} {value!r}")
        for key in ("user_name", "user_email", "project", "note", "currency", "user_id"):
            if (row[col[key]] or "") != w[key]:
                problems.append(f"{w['entry_id']} {key} {row[col[key]]!r}")
        if (row[col["client"]] or "") != w["client"] or (row[col["tags"]] or "") != ", ".join(w["tags"]):
            problems.append(f"{w['entry_id']} client/tags {row[col['client']]!r} {row[col['tags']]!r}")
    checks.ok("xlsx: every row typed and as created", not problems, "; ".join(problems[:5]))
    first = rows[1] if len(rows) > 1 else [None] * len(COLUMNS)
    checks.ok("xlsx: a date cell is a datetime", isinstance(first[col["date"]], dt.datetime), short(first[col["date"]]))
    checks.ok("xlsx: billable is a bool", isinstance(first[col["billable"]], bool), short(first[col["billable"]]))
    tricky = next((r for r in rows[1:] if str(r[col["note"]] or "").startswith("Restore drill")), None)
    checks.equal("xlsx: tricky note exact", tricky[col["note"]] if tricky else None, TRICKY)
    notes = next(sheet.iter_cols(min_col=col["note"] + 1, max_col=col["note"] + 1))
    formula = next((cell for cell in notes if cell.value == FORMULA), None)
    checks.ok("xlsx: a note starting with '=' stays text", formula is not None and formula.data_type == "s",
              short(formula and formula.data_type))


def check_ics(client: Client, checks: Checks, want: list) -> None:
    r = download(client, checks, "ics", encoding="gzip")
    checks.equal("ics: gzip when accepted", r.header("Content-Encoding"), "gzip")
    raw = r.body
    lines = raw.split(b"\r\n")
    checks.ok("ics: ends with CRLF", raw.endswith(b"\r\n"))
    bare = [l for l in lines if b"\n" in l or b"\r" in l]
    checks.ok("ics: no bare LF or CR", not bare, short(bare[:2]))
    long_lines = [(len(l), l[:40]) for l in lines if len(l) > 75]
    checks.ok("ics: every physical line ≤ 75 octets", not long_lines, short(long_lines[:3]))
    checks.ok("ics: some line was folded", any(l.startswith(b" ") for l in lines))
    cal = icalendar.Calendar.from_ical(raw)
    events = list(cal.walk("VEVENT"))
    checks.equal("ics: one VEVENT per entry", len(events), len(want))
    by_uid = {str(ev.get("UID")): ev for ev in events}
    checks.equal("ics: UIDs are unique", len(by_uid), len(events))
    problems = []
    for w in want:
        ev = next((e for uid, e in by_uid.items() if w["entry_id"] in uid), None)
        if ev is None:
            problems.append(f"{w['entry_id']}: no event")
            continue
        start, end = ev.decoded("DTSTART"), ev.decoded("DTEND")
        if start.utcoffset() != dt.timedelta(0) or end.utcoffset() != dt.timedelta(0):
            problems.append(f"{w['entry_id']} not in UTC: {start!r}")
        if (start, end) != (w["start"], w["end"]):
            problems.append(f"{w['entry_id']} times {start} – {end}")
        if w["project"] not in str(ev.get("SUMMARY")):
            problems.append(f"{w['entry_id']} SUMMARY {str(ev.get('SUMMARY'))!r}")
        if w["note"] not in str(ev.get("DESCRIPTION")):
            problems.append(f"{w['entry_id']} DESCRIPTION {str(ev.get('DESCRIPTION'))!r}")
        cats = ev.get("CATEGORIES")
        tags = [str(c) for c in cats.cats] if cats is not None else []
        if tags != w["tags"]:
            problems.append(f"{w['entry_id']} CATEGORIES {tags!r}")
    checks.ok("ics: every event's UID, UTC times, SUMMARY, DESCRIPTION, CATEGORIES", not problems,
              "; ".join(problems[:5]))
    tricky = next((e for e in events if "Restore drill" in str(e.get("DESCRIPTION"))), None)
    desc = str(tricky.get("DESCRIPTION")) if tricky else ""
    checks.ok("ics: tricky note exact inside DESCRIPTION (unescaped)", TRICKY in desc, short(desc))
    night = next((e for e in events if "Night maintenance" in str(e.get("SUMMARY"))), None)
    checks.equal("ics: midnight-crossing event times (UTC)",
                 night and (night.decoded("DTSTART"), night.decoded("DTEND")),
                 (dt.datetime(2026, 11, 5, 22, 0, tzinfo=UTC), dt.datetime(2026, 11, 6, 0, 30, tzinfo=UTC)))


def check_feed(zoe: Client, checks: Checks, ids: dict) -> None:
    """Zoë's calendar subscription, fetched with no session, read by icalendar: her entry of
    yesterday is in it, one from 200 days ago (outside the window) is not, and revoking it
    closes the URL."""
    now = dt.datetime.now(UTC).replace(microsecond=0)
    recent = (now - dt.timedelta(days=1)).replace(hour=9, minute=0, second=0)
    old = recent - dt.timedelta(days=200)
    made = post_entries(zoe, [
        (recent, recent + dt.timedelta(minutes=75), ids["backups"], "Feed: patched the VPN", ["ops"], True),
        (old, old + dt.timedelta(minutes=30), ids["backups"], "Feed: too old for the window", [], True),
    ])
    feed = zoe.need("POST", "/api/v1/me/calendar-feeds", {"name": "Zoë's phone"}, 201)
    url = feed["url"]
    checks.ok("feed: URL holds an otc_ secret", re.search(r"/api/v1/calendar/otc_[A-Za-z0-9_-]{43}\.ics$", url), url)
    with urllib.request.urlopen(url, timeout=left()) as r:
        ctype, raw = r.headers.get("Content-Type"), r.read()
    checks.equal("feed: served as text/calendar", ctype, "text/calendar; charset=utf-8")
    cal = icalendar.Calendar.from_ical(raw)
    checks.equal("feed: calendar name", str(cal.get("X-WR-CALNAME")), "OphionTT: Zoë's phone")
    events = list(cal.walk("VEVENT"))
    missing = [str(e.get("UID")) for e in events if e.get("DTSTAMP") is None or e.get("UID") is None]
    checks.ok("feed: every VEVENT has UID and DTSTAMP", events and not missing, short(missing))
    by_id = {w["id"]: next((e for e in events if w["id"] in str(e.get("UID"))), None) for w in made}
    ev = by_id[made[0]["id"]]
    checks.equal("feed: yesterday's entry with its UTC times",
                 ev and (ev.decoded("DTSTART"), ev.decoded("DTEND")),
                 (recent, recent + dt.timedelta(minutes=75)))
    checks.ok("feed: the note in DESCRIPTION", ev is not None and "patched the VPN" in str(ev.get("DESCRIPTION")))
    checks.ok("feed: an entry 200 days old is outside the window", by_id[made[1]["id"]] is None)
    window = now - dt.timedelta(days=184)
    outside = [str(e.get("UID")) for e in events if e.decoded("DTSTART") < window]
    checks.ok("feed: nothing older than half a year", not outside, short(outside))
    zoe.need("DELETE", f"/api/v1/me/calendar-feeds/{feed['feed']['id']}")
    try:
        urllib.request.urlopen(url, timeout=left())
        status = 200
    except urllib.error.HTTPError as e:
        status = e.code
    checks.equal("feed: revoked URL answers 404", status, 404)


def pdf_text(checks: Checks, name: str, body: bytes, tmp: str) -> str:
    path = Path(tmp) / f"{name}.pdf"
    path.write_bytes(body)
    checks.ok(f"{name}: starts %PDF-", body.startswith(b"%PDF-"))
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, timeout=left())
    checks.ok(f"{name}: pdftotext reads it", out.returncode == 0, out.stderr.decode(errors="replace")[:300])
    return out.stdout.decode("utf-8", errors="replace")


def check_pdf(client: Client, checks: Checks, want: list, tmp: str) -> None:
    r = download(client, checks, "pdf", encoding="gzip")
    checks.equal("pdf: not gzipped again", r.header("Content-Encoding"), "")
    text = pdf_text(checks, "pdf", r.body, tmp)
    checks.ok("pdf: title", "Time entries" in text, short(text[:200]))
    checks.ok("pdf: 'Page 1 of'", "Page 1 of" in text)
    for project in ("Backups", "Website", "Acme Corp"):
        checks.ok(f"pdf: names {project}", project in text)
    checks.ok("pdf: 'Übergabe'", "Übergabe" in text)
    checks.ok("pdf: 'Zoë Müller'", "Zoë Müller" in text)
    total = sum(w["seconds"] for w in want)
    m = re.search(r"^\s*Total\s+(\d+:\d{2})\s+(\d+\.\d{2}) h", text, re.M)
    checks.equal("pdf: Total (H:MM) is the sum of durations", m and m.group(1), clock(total))
    billable = sum(w["seconds"] for w in want if w["billable"])
    m = re.search(r"^\s*Billable\s+(\d+:\d{2})", text, re.M)
    checks.equal("pdf: Billable total", m and m.group(1), clock(billable))
    amount = sum(w["amount_cents"] or 0 for w in want)
    checks.ok("pdf: billable amount", f"{money(amount)} EUR" in text, f"want {money(amount)} EUR")
    for person in (ADA["name"], ZOE["name"]):
        secs = sum(w["seconds"] for w in want if w["user_name"] == person)
        checks.ok(f"pdf: total for {person}", f"Total for {person}: {clock(secs)}" in text,
                  f"want {clock(secs)}")
    checks.ok("pdf: midnight-crossing entry shown as +1", "23:00–01:30 +1" in text)


def check_member_export(zoe: Client, checks: Checks, want: list, tmp: str) -> None:
    """A member exports only their own time, under their own name."""
    mine = [w for w in want if w["user_name"] == ZOE["name"]]
    r = download(zoe, checks, "json", label="member json")
    doc = json.loads(r.body)
    checks.equal("member json: only her own entries", [e["entry_id"] for e in doc["entries"]],
                 [w["entry_id"] for w in mine])
    checks.equal("member json: title", doc.get("title"), f"Timesheet — {ZOE['name']}")
    checks.equal("member json: her export is in her own time zone", doc.get("time_zone"), "America/New_York")
    text = pdf_text(checks, "member pdf", download(zoe, checks, "pdf", label="member pdf").body, tmp)
    checks.ok("member pdf: title 'Timesheet — Zoë Müller'", f"Timesheet — {ZOE['name']}" in text, short(text[:200]))
    checks.ok("member pdf: nothing of Ada's", "Ada Lovelace" not in text and "Rotate keys" not in text)


def check_recorded(client: Client, checks: Checks) -> None:
    """The admin's export held Zoë's time: the audit log records it as a read of her data."""
    r = client.call("GET", "/api/v1/audit/accessed?from=2026-01-01&to=2099-12-31&user=" + ZOE["email"])
    items = r.json().get("items", []) if r.status == 200 else []
    export = [i for i in items if i.get("what") == "time entries (export)"]
    checks.ok("audit: the export is recorded as a read of Zoë's time",
              any([s.get("name") for s in i.get("subjects", [])] == [ZOE["name"]] for i in export),
              f"{r.status} {short(items)}")


def check_refusals(client: Client, checks: Checks, base: str) -> None:
    r = client.call("GET", f"/api/v1/exports/entries?format=doc&{RANGE}")
    checks.equal("refusal format=doc: 422", r.status, 422)
    checks.equal("refusal format=doc: problem+json", r.header("Content-Type").split(";")[0], "application/problem+json")
    problem = json.loads(r.body or b"{}")
    checks.equal("refusal format=doc: code", problem.get("code"), "validation.failed")
    checks.equal("refusal format=doc: names the field", [e.get("field") for e in problem.get("errors", [])], ["format"])
    r = client.call("GET", "/api/v1/exports/entries?format=csv&from=2026-12-01&to=2026-11-01")
    checks.equal("refusal reversed range: 422", r.status, 422)
    checks.equal("refusal reversed range: code", json.loads(r.body or b"{}").get("code"), "validation.failed")
    r = Client(base).call("GET", f"/api/v1/exports/entries?format=csv&{RANGE}")
    checks.equal("refusal without a session: 401", r.status, 401)
    checks.equal("refusal without a session: code", json.loads(r.body or b"{}").get("code"), "auth.required")


def run_cli(data: str, *args: str):
    env = {k: v for k, v in os.environ.items() if k != "OPHIONTT_CONFIG"}
    env["NO_COLOR"] = "1"
    return subprocess.run([BIN, "--data", data, "export", *args], capture_output=True, text=True,
                          timeout=left(30), env=env)


def check_cli(checks: Checks, data: str, tmp: str, api_rows: list) -> None:
    """The `export` command, through the running server's admin socket."""
    ids = [r["entry_id"] for r in api_rows]
    common = ["--from", FROM, "--to", TO, "--time-zone", "Europe/Berlin"]
    out = Path(tmp) / "cli.csv"
    p = run_cli(data, "--format", "csv", *common, "--output", str(out))
    checks.ok("cli csv: exit 0", p.returncode == 0, f"exit {p.returncode}: {p.stderr.strip()[:300]}")
    rows = read_csv(out.read_text(encoding="utf-8"))[1] if out.exists() else []
    checks.equal("cli csv: same entry ids as the API's CSV", [r["entry_id"] for r in rows], ids)
    checks.equal("cli csv: same rows as the API's CSV", rows, api_rows)
    out = Path(tmp) / "cli.json"
    p = run_cli(data, "--format", "json", *common, "--output", str(out))
    checks.ok("cli json: exit 0", p.returncode == 0, f"exit {p.returncode}: {p.stderr.strip()[:300]}")
    entries = json.loads(out.read_text(encoding="utf-8"))["entries"] if out.exists() else []
    checks.equal("cli json: same entry ids", [e["entry_id"] for e in entries], ids)
    out = Path(tmp) / "cli.doc"
    p = run_cli(data, "--format", "doc", *common, "--output", str(out))
    checks.equal("cli format doc: exit 2", p.returncode, 2)
    checks.ok("cli format doc: stderr names 'doc'",
              "doc" in p.stderr and "unrecognized subcommand" not in p.stderr, p.stderr.strip()[:300])
    checks.ok("cli format doc: no file written", not out.exists())


# ---------------------------------------------------------------------------------------------


def on_alarm(signum, frame):
    raise TimeoutError(f"the check took longer than {BUDGET + 3:.0f} s")


def main() -> int:
    started = time.monotonic()
    signal.signal(signal.SIGALRM, on_alarm)
    signal.alarm(int(BUDGET) + 3)
    set_budget(BUDGET)
    checks = Checks()
    server = None
    with tempfile.TemporaryDirectory(prefix="ophiontt-exports-") as tmp:
        data = str(Path(tmp) / "data")
        try:
            server = Server(data)
            checks.ok("server started", True)
            ada, zoe, ids, made = make_data(server, checks)
            want = expected_rows(made["ada"] + made["zoe"])
            rows = checks.section("csv", check_csv, ada, checks, want) or []
            checks.section("json", check_json, ada, checks, want)
            checks.section("xlsx", check_xlsx, ada, checks, want)
            checks.section("ics", check_ics, ada, checks, want)
            checks.section("pdf", check_pdf, ada, checks, want, tmp)
            checks.section("member", check_member_export, zoe, checks, want, tmp)
            checks.section("audit", check_recorded, ada, checks)
            checks.section("refusals", check_refusals, ada, checks, server.base)
            checks.section("cli", check_cli, checks, data, tmp, rows)
            checks.section("feed", check_feed, zoe, checks, ids)
        except Exception as e:  # noqa: BLE001 - the run ends with its result line either way
            checks.ok("the run completed", False, f"{type(e).__name__}: {e}")
        finally:
            signal.alarm(0)
            if server is not None:
                server.stop()
                if checks.failed:
                    noisy = [l for l in server.log if " WARN " in l or " ERROR " in l]
                    sys.stdout.write("".join("server: " + l for l in noisy[-20:]))
    print(f"({time.monotonic() - started:.1f} s)")
    print(f"exports result: {checks.passed} passed; {checks.failed} failed")
    return 1 if checks.failed else 0


if __name__ == "__main__":
    sys.exit(main())
