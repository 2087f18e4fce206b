"""Times one start of the server: execs `BINARY serve --data DATA --listen 127.0.0.1:0`, reads its
stdout until the "listening on" line, then polls PATH (over one new connection per poll, no
process start per poll) until it answers 200; stops the server with SIGTERM.
Prints "<ms to the listening line> <ms to PATH 200>". Used by startup.sh and memory.sh.

Usage: python3 tests/bench/time_start.py BINARY DATA PATH LIMIT_SECONDS
"""

import http.client
import os
import re
import select
import signal
import subprocess
import sys
import time

binary, data, path, limit = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])
t0 = time.monotonic()
p = subprocess.Popen([binary, "serve", "--data", data, "--listen", "127.0.0.1:0"],
                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
try:
    buf, m = b"", None
    while m is None:
        left = limit - (time.monotonic() - t0)
        if left <= 0 or not select.select([p.stdout], [], [], left)[0]:
            sys.exit("timed out waiting for 'listening on'")
        chunk = os.read(p.stdout.fileno(), 65536)
        if not chunk:
            sys.exit("server exited: " + buf.decode(errors="replace"))
        buf += chunk
        m = re.search(rb"listening on http://([0-9.]+):([0-9]+)", buf)
    t_listen = time.monotonic()
    host, port = m.group(1).decode(), int(m.group(2))
    while True:
        try:
            c = http.client.HTTPConnection(host, port, timeout=1)
            c.request("GET", path)
            if c.getresponse().status == 200:
                t_ok = time.monotonic()
                break
        except OSError:
            pass
        if time.monotonic() - t0 > limit:
            sys.exit(f"timed out waiting for {path}")
        time.sleep(0.001)
    print(f"{(t_listen - t0) * 1000:.1f} {(t_ok - t0) * 1000:.1f}")
finally:
    p.send_signal(signal.SIGTERM)
    try:
        p.wait(timeout=60)
    except subprocess.TimeoutExpired:
        p.kill()
        p.wait()
