"""What the Python end-to-end checks share (tests/exports, tests/webhooks): a time budget, a
counter of checks, the real server started on a random loopback port, and a browser-like HTTP
client with a cookie jar. Each check script puts this folder on `sys.path` and imports it.
"""

import gzip
import http.cookiejar
import json
import os
import queue
import re
import signal
import subprocess
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
BIN = os.environ.get("OPHIONTT_BIN") or str(ROOT / "target" / "debug" / "ophiontt")
# Every wait takes what is left of the script's budget (`set_budget`).
_deadline = [time.monotonic() + 85.0]


def set_budget(seconds: float) -> None:
    """The whole run must end within `seconds` from now."""
    _deadline[0] = time.monotonic() + seconds


def left(cap: float = 20.0) -> float:
    """Seconds a wait may take: at most `cap`, never past the deadline."""
    rest = _deadline[0] - time.monotonic()
    if rest <= 0:
        raise TimeoutError("the check ran out of time")
    return min(cap, rest)


class Checks:
    """Counts and prints checks; one line each."""

    def __init__(self):
        self.passed = 0
        self.failed = 0

    def ok(self, name: str, cond: bool, detail: str = "") -> bool:
        if cond:
            self.passed += 1
            print(f"ok   {name}", flush=True)
        else:
            self.failed += 1
            print(f"FAIL {name}" + (f": {detail}" if detail else ""), flush=True)
        return bool(cond)

    def equal(self, name: str, got, want) -> bool:
        return self.ok(name, got == want, f"got {short(got)}, want {short(want)}")

    def section(self, name: str, fn, *args):
        """Runs one group of checks; an exception in it is one failure, not the end of the run."""
        try:
            return fn(*args)
        except Exception as e:  # noqa: BLE001 - reported, and the run goes on
            self.ok(f"{name}: ran to the end", False, f"{type(e).__name__}: {e}")
            return None


def short(v, n: int = 300) -> str:
    s = repr(v)
    return s if len(s) <= n else s[:n] + "…"


# ---------------------------------------------------------------------------------------------
# The server and HTTP


class Server:
    """`ophiontt serve` on a random loopback port; `base` and the setup `token` once started."""

    def __init__(self, data: str, config: str = None, extra_env: dict = None, drop_prefix: str = None):
        env = {k: v for k, v in os.environ.items()
               if k != "OPHIONTT_CONFIG" and not (drop_prefix and k.startswith(drop_prefix))}
        env["NO_COLOR"] = "1"
        env.update(extra_env or {})
        args = [BIN, "serve", "--data", data, "--listen", "127.0.0.1:0"]
        if config:
            args += ["--config", config]
        self.log: list = []
        self.proc = subprocess.Popen(
            args,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            encoding="utf-8",
            errors="replace",
            env=env,
        )
        lines: "queue.Queue[str]" = queue.Queue()

        def pump():
            for line in self.proc.stdout:
                self.log.append(line)
                lines.put(line)

        threading.Thread(target=pump, daemon=True).start()
        self.base = self.token = None
        until = time.monotonic() + left(30)
        while self.base is None or self.token is None:
            if time.monotonic() > until or self.proc.poll() is not None:
                raise RuntimeError("the server did not start:\n" + "".join(self.log[-30:]))
            try:
                line = re.sub(r"\x1b\[[0-9;]*m", "", lines.get(timeout=0.5))
            except queue.Empty:
                continue
            if m := re.search(r"listening on (https?://[0-9.:]+)", line):
                self.base = m.group(1)
            if m := re.search(r"token=([A-Za-z0-9_-]+)", line):
                self.token = m.group(1)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=5)


class Response:
    def __init__(self, status: int, headers, body: bytes):
        self.status, self.headers, self.raw = status, headers, body

    def header(self, name: str) -> str:
        return self.headers.get(name) or ""

    @property
    def body(self) -> bytes:
        """The body with its Content-Encoding undone."""
        enc = self.header("Content-Encoding").lower()
        return gzip.decompress(self.raw) if enc == "gzip" else self.raw

    def json(self):
        return json.loads(self.body)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Client:
    """One browser-like session: a cookie jar, and `Origin` on every unsafe request."""

    def __init__(self, base: str):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), NoRedirect()
        )

    def cookie(self, name: str):
        return next((c.value for c in self.jar if c.name == name), None)

    def call(self, method: str, path: str, body=None, headers=None) -> Response:
        hdrs = {"Accept-Encoding": "identity", **(headers or {})}
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            hdrs["Content-Type"] = "application/json"
        if method not in ("GET", "HEAD", "OPTIONS"):
            hdrs["Origin"] = self.base
        req = urllib.request.Request(self.base + path, data=data, headers=hdrs, method=method)
        try:
            with self.opener.open(req, timeout=left()) as r:
                return Response(r.status, r.headers, r.read())
        except urllib.error.HTTPError as e:
            return Response(e.code, e.headers, e.read())

    def need(self, method: str, path: str, body=None, status: int = 200):
        """A call that must succeed; its JSON answer (or None)."""
        r = self.call(method, path, body)
        if r.status != status:
            raise RuntimeError(f"{method} {path} → {r.status}: {r.body[:500]!r}")
        return r.json() if r.body else None
