#!/usr/bin/env bash
# Runs the packaged server inside an emulation of its systemd unit's sandbox and uses it:
# HTTPS with a self-signed pair on a port below 1024, first-admin setup (argon2, store writes,
# audit chain), the admin socket, a backup through the server (zstd), SIGHUP reload, SIGTERM.
# For machines where the unit cannot be started (no systemd as PID 1: containers, CI).
#
# Usage: tests/packaging/sandbox-smoke.sh ROOT     (ROOT: `dpkg-deb -x` of the package; as root)
# Exit: 0 all passed, 1 a check failed, 77 cannot emulate here (missing tool or not root).
#
# Emulated from the unit (read from ROOT): the seccomp parts (SystemCallFilter=,
# SystemCallErrorNumber=, MemoryDenyWriteExecute=, RestrictAddressFamilies=,
# SystemCallArchitectures=native, NoNewPrivileges=) by seccomp-exec.py; ProtectSystem=strict,
# ReadWritePaths= (the data folder), PrivateTmp=, ProtectHome= in a private mount namespace
# (unshare); User= (nobody stands in for ophiontt), CapabilityBoundingSet= and
# AmbientCapabilities=CAP_NET_BIND_SERVICE, UMask=0077 and WorkingDirectory= by setpriv.
# Not emulated: the Protect{Kernel*,ControlGroups,Clock,Hostname,Proc}, Private{Devices},
# Restrict{Namespaces,Realtime,SUIDSGID}, LockPersonality, RemoveIPC lines: they forbid things
# no working code path of OphionTT does, and a denied call there would also hit the filters.
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="${1:?usage: sandbox-smoke.sh ROOT (a dpkg-deb -x tree of the package)}"
root="$(cd "$root" && pwd)"
unit="$root/usr/lib/systemd/system/ophiontt.service"
[ -f "$unit" ] || unit="$root/lib/systemd/system/ophiontt.service"
T=30 # s, bound on every wait

# shellcheck source=tests/packaging/wait.sh
. "$here/wait.sh"

failed=0
pass() { printf 'PASS  sandbox: %s\n' "$1"; }
fail() {
  printf 'FAIL  sandbox: %s\n' "$1"
  if [ -n "${2:-}" ]; then printf '%s\n' "$2" | tail -n 25 | sed 's/^/      | /'; fi
  failed=$((failed + 1))
}

missing=""
[ "$(id -u)" -eq 0 ] || missing+=" root"
for t in unshare nsenter setpriv mount systemd-analyze curl /usr/bin/python3; do
  command -v "$t" >/dev/null || missing+=" $t"
done
/usr/bin/python3 -c 'import ctypes, ctypes.util; ctypes.CDLL(ctypes.util.find_library("seccomp") or "libseccomp.so.2")' \
  2>/dev/null || missing+=" libseccomp2"
if [ -n "$missing" ]; then
  echo "SKIP  sandbox emulation (needs:$missing)"
  exit 77
fi

# A copy of what the service sees, readable by the stand-in user: binary, unit, config (root,
# group of the service user, 0640: what postinst's statoverride does) and an empty data folder.
uid=65534 gid=65534
w="$(mktemp -d "${TMPDIR:-/tmp}/ophiontt-sandbox.XXXXXX")"
pid=""
cleanup() {
  [ -n "$pid" ] && kill -KILL "$pid" 2>/dev/null
  rm -rf "$w"
}
trap cleanup EXIT
chmod 0755 "$w"
install -D -m 0755 "$root/usr/bin/ophiontt" "$w/usr/bin/ophiontt"
install -D -m 0644 "$unit" "$w/ophiontt.service"
install -D -m 0755 "$here/seccomp-exec.py" "$w/seccomp-exec.py"
install -D -m 0640 -o 0 -g "$gid" "$root/etc/ophiontt/ophiontt.toml" "$w/etc/ophiontt.toml"
install -d -m 0700 -o "$uid" -g "$gid" "$w/data"
install -d -m 0700 -o "$uid" -g "$gid" "$w/spare" # writable by the user, but not in the sandbox
as_user() { OPHIONTT_DATA_DIR="$w/data" timeout "$T" setpriv --reuid="$uid" --regid="$gid" --clear-groups -- "$w/usr/bin/ophiontt" --config "$w/etc/ophiontt.toml" "$@"; }

# A free port below 1024: binding it needs the unit's ambient CAP_NET_BIND_SERVICE.
port=""
for p in 844 981 1011 1013 1015 1017 1019 1021; do
  if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then port=$p; break; fi
done
[ -n "$port" ] || { fail "no free port below 1024"; exit 1; }

# The admin's CLI (not sandboxed by the unit): a self-signed pair in <data>/tls/.
if out=$(as_user tls self-signed --host localhost 2>&1); then
  ca="$(sed -n 's/^ *authority *\([^ ]*\) .*/\1/p' <<<"$out" | head -1)"
  pass "tls self-signed as the service user"
else
  fail "tls self-signed as the service user" "$out"
  exit 1
fi

# The server, as the unit starts it, at the same paths as outside (the CLI hands the server
# absolute paths, e.g. for backups).
# shellcheck disable=SC2016 # expanded by the inner shell
OPHIONTT_DATA_DIR="$w/data" OPHIONTT_SERVER_LISTEN="127.0.0.1:$port" W="$w" UID_="$uid" GID_="$gid" \
  unshare --mount --propagation private -- /bin/sh -c '
  set -e
  mount --bind "$W" /mnt                      # keep the copy while /tmp is replaced
  # ProtectSystem=strict: every mount read-only except the API file systems
  awk "{ print \$5 }" /proc/self/mountinfo | grep -vE "^/(dev|proc|sys)(/|\$)" | sort -u |
    while read -r mp; do mount -o remount,bind,ro "$mp" 2>/dev/null || true; done
  # PrivateTmp=yes
  mount -t tmpfs -o mode=1777,nosuid,nodev tmpfs /tmp
  mount -t tmpfs -o mode=1777,nosuid,nodev tmpfs /var/tmp
  mkdir -p "$W" && mount --bind /mnt "$W" && umount /mnt
  # ReadWritePaths= / StateDirectory=: the data folder only
  mount --bind "$W/data" "$W/data" && mount -o remount,bind,rw "$W/data"
  # ProtectHome=yes: empty and inaccessible
  for d in /home /root /run/user; do [ -d "$d" ] && mount -t tmpfs -o mode=000 tmpfs "$d"; done
  cd "$W/data"                                # WorkingDirectory=
  umask 0077                                  # UMask=
  exec setpriv --reuid="$UID_" --regid="$GID_" --clear-groups --no-new-privs \
    --inh-caps=-all,+net_bind_service --ambient-caps=-all,+net_bind_service \
    --bounding-set=-all,+net_bind_service \
    -- /usr/bin/python3 "$W/seccomp-exec.py" "$W/ophiontt.service" -- \
       "$W/usr/bin/ophiontt" --config "$W/etc/ophiontt.toml" serve
' >"$w/serve.log" 2>&1 &
pid=$!

listening_url() { sed -n 's/.* listening on \(https:\/\/[^ ]*\).*/\1/p' "$w/serve.log" | head -1; }
# Listening, or exited (then there is no point waiting).
started_or_exited() { [ -n "$(listening_url)" ] || ! kill -0 "$pid" 2>/dev/null; }
wait_for "$T" started_or_exited
url="$(listening_url)"
if [ -z "$url" ]; then
  fail "serve starts (HTTPS on 127.0.0.1:$port)" "$(cat "$w/serve.log")"
  exit 1
fi
pass "serve listens on $url (port below 1024 through the ambient capability)"
# The emulation is in force: 3 seccomp filters, no_new_privs, only CAP_NET_BIND_SERVICE (bit 10).
st="$(cat "/proc/$pid/status")"
if grep -qP '^Seccomp:\t2$' <<<"$st" && grep -qP '^Seccomp_filters:\t3$' <<<"$st" &&
  grep -qP '^NoNewPrivs:\t1$' <<<"$st" && grep -qP '^CapEff:\t0000000000000400$' <<<"$st" &&
  grep -qP '^CapBnd:\t0000000000000400$' <<<"$st" && grep -qP "^Uid:\t$uid\t" <<<"$st"; then
  pass "the server runs as uid $uid with 3 seccomp filters, no_new_privs, CapEff/CapBnd = net_bind_service"
else
  fail "the server runs with the emulated restrictions" "$(grep -E 'Uid|Seccomp|NoNewPrivs|Cap' <<<"$st")"
fi

c() { curl -sS --max-time 10 --cacert "$ca" --resolve "localhost:$port:127.0.0.1" "$@"; }
base="https://localhost:$port"
if [ "$(c "$base/healthz" 2>&1)" = '{"status":"ok"}' ]; then pass "GET /healthz over TLS"; else fail "GET /healthz over TLS" "$(c -v "$base/healthz" 2>&1)"; fi

token="$(sed -n 's/.*\/setup#token=\([^ ]*\).*/\1/p' "$w/serve.log" | head -1)"
body='{"token":"'"$token"'","name":"Sandbox Admin","email":"sandbox@example.com","password":"correct horse battery staple","time_zone":"UTC"}'
# HTTP/2 (curl's default over TLS): the same-site check reads :authority.
code="$(c -o "$w/setup.json" -w '%{http_code}' -H 'Content-Type: application/json' -H "Origin: $base" \
  --data "$body" "$base/api/v1/setup" 2>&1)"
if [ "$code" = 201 ]; then pass "POST /api/v1/setup creates the first admin (201)"; else fail "POST /api/v1/setup (got $code)" "$(cat "$w/setup.json" 2>/dev/null; cat "$w/serve.log")"; fi

if out=$(as_user user list 2>&1) && grep -q sandbox@example.com <<<"$out"; then
  pass "user list through admin.sock"
else
  fail "user list through admin.sock" "$out"
fi
if out=$(as_user backup create 2>&1) && ls "$w/data/backups/"* >/dev/null 2>&1; then
  pass "backup create through the server"
else
  fail "backup create through the server" "$out"
fi
# --out outside the data folder: the server writes the backup inside its data folder, and the
# CLI (the caller, not sandboxed) moves it out with the caller's rights.
if out=$(as_user backup create --out "$w/spare/manual.backup.zst" 2>&1) && [ -s "$w/spare/manual.backup.zst" ] &&
  [ "$(stat -c %u "$w/spare/manual.backup.zst")" = "$uid" ] && ! ls "$w/data/backups/"*manual.backup.zst* >/dev/null 2>&1; then
  pass "backup create --out a folder outside the data folder (moved there by the CLI)"
else
  fail "backup create --out outside the data folder" "$out"
fi
# ProtectSystem=strict: inside the server's mount namespace that folder is read-only, even for root.
if out=$(nsenter -t "$pid" -m -- touch "$w/spare/probe" 2>&1) || [ -e "$w/spare/probe" ]; then
  fail "outside the data folder is read-only for the server" "$out"
else
  pass "outside the data folder is read-only for the server ($(grep -o 'Read-only file system' <<<"$out" | head -1))"
fi
if [ "$(stat -c %a "$w/data/db" 2>/dev/null)" = 700 ]; then pass "files created under UMask=0077 (db/ is 0700)"; else fail "db/ mode under UMask=0077" "$(ls -la "$w/data")"; fi

kill -HUP "$pid"
wait_for "$T" grep -q "SIGHUP: TLS certificate and key reloaded" "$w/serve.log"
if grep -q "SIGHUP: TLS certificate and key reloaded" "$w/serve.log" && [ "$(c "$base/healthz" 2>&1)" = '{"status":"ok"}' ]; then
  pass "SIGHUP reloads the certificate, still serving"
else
  fail "SIGHUP reloads the certificate" "$(cat "$w/serve.log")"
fi

kill -TERM "$pid"
rc=""
exited() { ! kill -0 "$pid" 2>/dev/null; }
if wait_for "$T" exited; then
  wait "$pid"
  rc=$?
fi
if [ "$rc" = 0 ] && grep -q "store flushed" "$w/serve.log"; then
  pass "SIGTERM: clean exit 0, store flushed"
else
  fail "SIGTERM: clean exit (rc=${rc:-still running})" "$(cat "$w/serve.log")"
fi
pid=""

if grep -qiE 'operation not permitted|os error (1|13|30|97)\)|read-only file system|panicked'; then
  fail "no denied call, read-only write or panic in the server log" "$(grep -iE 'operation not permitted|os error|read-only|panicked' "$w/serve.log")"
else
  pass "no denied call, read-only write or panic in the server log"
fi

[ "$failed" -eq 0 ]
