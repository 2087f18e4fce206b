"""The probe of tests/bench/backup_pause.sh: keeps health checks, week reads and writes going
against a running server, runs the backup command given after `--` (or, for a control run,
any other command, e.g. `sleep 4`), and prints each kind's p50 and max latency (ms) over the
requests that overlapped the command's run.

Every client holds one kept-alive connection, as a browser or a monitor would. A request that
answers anything but 2xx fails the run: a backup must delay writes, never refuse them.
"""

import argparse
import http.client
import re
import statistics
import subprocess
import sys
import threading
import time
from urllib.parse import urlsplit

p = argparse.ArgumentParser()
p.add_argument("--base", required=True)
p.add_argument("--cookie", required=True)
p.add_argument("--week", required=True)
p.add_argument("--project", required=True)
p.add_argument("--writers", type=int, default=4)
p.add_argument("--run", type=int, default=1)
p.add_argument("--every", type=float, default=0.010, help="seconds between probe requests")
p.add_argument("backup", nargs=argparse.REMAINDER)
a = p.parse_args()
backup_cmd = [x for x in a.backup if x != "--"]
host = urlsplit(a.base).netloc
headers = {"Cookie": f"ophiontt_session={a.cookie}"}

stop = threading.Event()
samples = {"health": [], "read": [], "write": []}  # (sent, done) in perf_counter seconds
errors = []
lock = threading.Lock()
# Writes go to the year 2000, far from the seeded history and its measured week; each writer
# run gets its own hours so that no two entries are the same.
next_slot = [946_684_800 + a.run * 10_000_000]


def client(kind, request, pace):
    conn = http.client.HTTPConnection(host, timeout=30)
    while not stop.is_set():
        method, path, body = request()
        h = dict(headers)
        if body is not None:
            h["Content-Type"] = "application/json"
            h["Origin"] = a.base
        sent = time.perf_counter()
        try:
            conn.request(method, path, body=body, headers=h)
            r = conn.getresponse()
            r.read()
            status = r.status
        except Exception as e:  # a dropped connection is a failure too
            status = f"{type(e).__name__}: {e}"
            conn.close()
            conn = http.client.HTTPConnection(host, timeout=30)
        done = time.perf_counter()
        if not (isinstance(status, int) and 200 <= status < 300):
            errors.append(f"{kind} {method} {path}: {status}")
        with lock:
            samples[kind].append((sent, done))
        if pace:
            stop.wait(pace)


def write_request():
    with lock:
        s = next_slot[0]
        next_slot[0] += 3600
    iso = lambda t: time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t))
    body = f'{{"project_id":"{a.project}","start":"{iso(s)}","end":"{iso(s + 1800)}","confirm":true}}'
    return "POST", "/api/v1/entries", body


threads = [
    threading.Thread(target=client, args=("health", lambda: ("GET", "/healthz", None), a.every)),
    threading.Thread(target=client, args=("read", lambda: ("GET", a.week, None), a.every)),
] + [threading.Thread(target=client, args=("write", write_request, 0)) for _ in range(a.writers)]
for t in threads:
    t.start()
time.sleep(1.0)  # every client connected and warm
t0 = time.perf_counter()
done = subprocess.run(backup_cmd, capture_output=True, text=True)
t1 = time.perf_counter()
time.sleep(0.5)
stop.set()
for t in threads:
    t.join()
if done.returncode != 0:
    sys.exit(f"the backup failed: {done.stdout}{done.stderr}")
if errors:
    sys.exit(f"{len(errors)} requests failed during the run, e.g. {errors[:3]}")
said = done.stdout + done.stderr
paused = re.search(r"writes paused (\d+) ms", said)
took = re.search(r"in (\d+) ms", said)
# A control run's command is not a backup: its window is how long the command ran.
figures = {
    "paused": paused.group(1) if paused else "0",
    "backup": took.group(1) if took else str(round((t1 - t0) * 1000)),
}
# While the gate was held: it opened when the writers it held up were let through (the end of
# the slowest write) and had been held for as long as the backup says writes were paused.
gate = None
if took and paused and samples["write"]:
    opened = max((d - s, d) for s, d in samples["write"] if s < t1 and d > t0)[1]
    gate = (opened - int(paused.group(1)) / 1000, opened)
    for kind in ("health", "read"):
        held = [(d - s) * 1000 for s, d in samples[kind] if s < gate[1] and d > gate[0]]
        figures[f"{kind}_gate_max"] = f"{max(held):.2f}" if held else ""
parts = []
for kind in ("health", "read", "write"):
    during = [(d - s) * 1000 for s, d in samples[kind] if s < t1 and d > t0]
    if not during:
        sys.exit(f"no {kind} request overlapped the backup")
    p50, mx = statistics.median(during), max(during)
    figures[f"{kind}_p50"], figures[f"{kind}_max"] = f"{p50:.2f}", f"{mx:.2f}"
    worst = max((d - s, s) for s, d in samples[kind] if s < t1 and d > t0)[1]
    in_gate = f", max {figures[kind + '_gate_max']} ms while the gate was held" if gate and kind != "write" else ""
    parts.append(
        f"{kind} p50 {p50:.2f} / max {mx:.2f} ms{in_gate} ({len(during)} requests; the slowest"
        f" sent {(worst - t0) * 1000:.0f} ms in)"
    )
head = f"backup {figures['backup']} ms, writes paused {figures['paused']} ms" if took else (
    f"no backup ({' '.join(backup_cmd)}, {figures['backup']} ms)")
print(head + "; " + "; ".join(parts))
print("figures " + " ".join(f"{k}={v}" for k, v in figures.items()))
