#!/usr/bin/env bash
# Builds the Debian package with cargo-deb and checks it: files and modes, conffiles, control
# fields, maintainer scripts, the hardening of the systemd unit; then runs the packaged binary
# with the packaged config from a throwaway root (dpkg -x, nothing installed system-wide), also
# inside an emulation of the unit's sandbox (sandbox-smoke.sh; as root, else SKIP).
#
# Usage: tests/packaging/check-deb.sh          (from anywhere)
#   CI_NO_INSTALL=1     skip running the extracted binary
#   DEB_INSTALL_TEST=1  also install the package for real (dpkg -i as root), use it, then remove
#                       and purge it. Only on a throwaway machine or container: it creates and
#                       deletes the ophiontt user, /etc/ophiontt and /var/lib/ophiontt, and
#                       refuses to run if any of them already exists.
#   CARGO_DEB_VERSION   cargo-deb to install when missing or different (default below)
#
# Prints one PASS/FAIL/SKIP line per check (details only on failure) and exits 1 if any check
# failed. Network: only cargo's registry (cargo install, and crates the build lacks).
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1
export CARGO_TERM_COLOR=never LC_ALL=C

CARGO_DEB_VERSION="${CARGO_DEB_VERSION:-3.8.0}"
INSTALL_TIMEOUT=1200 # s, cargo install cargo-deb (about 2-4 min on 2 cores)
BUILD_TIMEOUT=2400   # s, cargo deb = cargo build --release (thin LTO) + packaging
RUN_TIMEOUT=30       # s, each run of the packaged binary

failed=0
pass() { printf 'PASS  %s\n' "$1"; }
skip() { printf 'SKIP  %s\n' "$1"; }
fail() {
  printf 'FAIL  %s\n' "$1"
  if [ -n "${2:-}" ]; then printf '%s\n' "$2" | tail -n 25 | sed 's/^/      | /'; fi
  failed=$((failed + 1))
}
# check NAME COMMAND...: PASS if the command succeeds; otherwise FAIL with its output.
check() {
  local name=$1 out
  shift
  if out=$("$@" 2>&1); then pass "$name"; else fail "$name" "$out"; fi
}
# has_line FILE LINE: FILE has LINE as a whole line.
has_line() { grep -qxF -- "$2" "$1" || { echo "missing line: $2"; return 1; }; }
now() { date +%s; }
finish() {
  if [ "$failed" -eq 0 ]; then echo "packaging: all checks passed"; exit 0; fi
  echo "packaging: $failed check(s) FAILED"
  exit 1
}

work="$(mktemp -d "${TMPDIR:-/tmp}/ophiontt-deb.XXXXXX")"
cleanup() {
  local pid
  for pid in ${server_pids:-}; do kill "$pid" 2>/dev/null; done
  rm -rf "$work"
}
trap cleanup EXIT
server_pids=""

# ---------------------------------------------------------------------------------------------
# Tools

for tool in dpkg-deb dpkg cargo tar; do
  command -v "$tool" >/dev/null || { fail "tool $tool is installed"; finish; }
done

t0=$(now)
if [ "$(cargo deb --version 2>/dev/null)" = "cargo-deb $CARGO_DEB_VERSION" ]; then
  pass "cargo-deb $CARGO_DEB_VERSION present"
elif timeout "$INSTALL_TIMEOUT" cargo install --locked --quiet --version "$CARGO_DEB_VERSION" cargo-deb \
  >"$work/install.log" 2>&1; then
  pass "cargo-deb $CARGO_DEB_VERSION installed ($(($(now) - t0))s)"
else
  fail "cargo install --locked cargo-deb@$CARGO_DEB_VERSION" "$(cat "$work/install.log")"
  finish
fi

# ---------------------------------------------------------------------------------------------
# The packaged config is the sample ophiontt.toml with data_dir set; they must not drift apart.

sync_cmd="sed 's|^# data_dir = .*\$|data_dir = \"/var/lib/ophiontt\"  # Debian package: also set by the unit (OPHIONTT_DATA_DIR), which wins|' ophiontt.toml > packaging/ophiontt.toml"
if diff_out=$(eval "${sync_cmd% > *}" | diff -u packaging/ophiontt.toml - 2>&1); then
  pass "packaging/ophiontt.toml = ophiontt.toml with data_dir = \"/var/lib/ophiontt\""
else
  fail "packaging/ophiontt.toml is out of date with ophiontt.toml; regenerate it with: $sync_cmd" "$diff_out"
fi

# ---------------------------------------------------------------------------------------------
# Build

version="$(cargo metadata --format-version 1 --no-deps 2>/dev/null |
  sed -n 's/.*"name":"ophiontt","version":"\([^"]*\)".*/\1/p' | head -1)"
target_dir="$(cargo metadata --format-version 1 --no-deps 2>/dev/null |
  sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p' | head -1)"
[ -n "$version" ] && [ -n "$target_dir" ] || { fail "cargo metadata gives the version and target dir"; finish; }
arch="$(dpkg --print-architecture)"

t0=$(now)
if timeout "$BUILD_TIMEOUT" cargo deb --locked >"$work/build.log" 2>&1; then
  deb="$(grep -E '\.deb$' "$work/build.log" | tail -1)"
  [ -f "$deb" ] || deb="$(ls -t "$target_dir"/debian/ophiontt_"$version"-*_"$arch".deb 2>/dev/null | head -1)"
  if [ -f "$deb" ]; then
    pass "cargo deb built $(basename "$deb"), $(($(stat -c %s "$deb") / 1024)) KiB ($(($(now) - t0))s)"
  else
    fail "cargo deb wrote a .deb" "$(cat "$work/build.log")"
    finish
  fi
else
  fail "cargo deb --locked (timeout ${BUILD_TIMEOUT}s)" "$(cat "$work/build.log")"
  finish
fi
t_checks=$(now)

# ---------------------------------------------------------------------------------------------
# Control fields

ctrl="$work/control"
dpkg-deb -e "$deb" "$ctrl"
field() { dpkg-deb -f "$deb" "$1" 2>/dev/null; }
check "control: Package is ophiontt" test "$(field Package)" = ophiontt
deb_version="$(field Version)"
check "control: Version $deb_version is Cargo.toml's $version plus a Debian revision" \
  test "${deb_version%-*}" = "$version"
check "control: Architecture is $arch" test "$(field Architecture)" = "$arch"
depends="$(field Depends)"
check "control: Depends ($depends) names libc6, adduser and init-system-helpers" \
  bash -c '[[ "$1" == *libc6* && "$1" == *adduser* && "$1" == *init-system-helpers* ]]' _ "$depends"
check "control: Maintainer, Section and Description are set" \
  bash -c '[ -n "$1" ] && [ -n "$2" ] && [ -n "$3" ]' _ "$(field Maintainer)" "$(field Section)" "$(field Description)"

# ---------------------------------------------------------------------------------------------
# Files and modes (dpkg-deb -c: "mode owner/group size date time ./path")

dpkg-deb -c "$deb" | awk '{ print $1, $2, $6 }' >"$work/contents"
has_entry() { # MODE PATH (owner root, shown by name or as 0/0 depending on the tar writer)
  grep -qxF -- "$1 root/root ./$2" "$work/contents" || grep -qxF -- "$1 0/0 ./$2" "$work/contents" ||
    { echo "not in the package as $1 root/root: /$2"; grep -F "./$2" "$work/contents"; return 1; }
}
check "file /usr/bin/ophiontt, -rwxr-xr-x root/root" has_entry -rwxr-xr-x usr/bin/ophiontt
check "file /etc/ophiontt/ophiontt.toml, -rw-r----- root/root (group ophiontt set by postinst)" \
  has_entry -rw-r----- etc/ophiontt/ophiontt.toml
unit_path=""
for p in usr/lib/systemd/system/ophiontt.service lib/systemd/system/ophiontt.service; do
  if grep -qE " \./$p$" "$work/contents"; then unit_path=$p; fi
done
if [ -n "$unit_path" ]; then
  check "file /$unit_path, -rw-r--r-- root/root" has_entry -rw-r--r-- "$unit_path"
else
  fail "unit ophiontt.service under /usr/lib/systemd/system or /lib/systemd/system" "$(cat "$work/contents")"
fi
docs=(usr/share/doc/ophiontt/README.md usr/share/doc/ophiontt/copyright)
for f in docs/*.md docs/reference/*.md; do docs+=("usr/share/doc/ophiontt/$f"); done
missing_docs=""
for d in "${docs[@]}"; do has_entry -rw-r--r-- "$d" >/dev/null || missing_docs+=" /$d"; done
check "docs: README.md, copyright and ${#docs[@]} files in /usr/share/doc/ophiontt, -rw-r--r--" \
  test -z "$missing_docs"
[ -z "$missing_docs" ] || echo "      | missing:$missing_docs"
# Man pages and completions (generated into packaging/ and checked by tests/reference).
man_missing=""
for f in packaging/man/*.1; do
  page="usr/share/man/man1/$(basename "$f")"
  grep -qE " \./$page(\.gz)?$" "$work/contents" || man_missing+=" /$page"
done
check "man pages: all $(ls packaging/man/*.1 | wc -l) in /usr/share/man/man1" test -z "$man_missing"
[ -z "$man_missing" ] || echo "      | missing:$man_missing"
check "completions: bash" has_entry -rw-r--r-- usr/share/bash-completion/completions/ophiontt
check "completions: zsh" has_entry -rw-r--r-- usr/share/zsh/vendor-completions/_ophiontt
check "completions: fish" has_entry -rw-r--r-- usr/share/fish/vendor_completions.d/ophiontt.fish
check "nothing installed outside /usr and /etc" \
  bash -c '! grep -vE " \./(usr/|etc/|$)" "$1"' _ "$work/contents"

# ---------------------------------------------------------------------------------------------
# conffiles and maintainer scripts

check "conffiles lists /etc/ophiontt/ophiontt.toml" has_line "$ctrl/conffiles" /etc/ophiontt/ophiontt.toml
for s in postinst prerm postrm; do
  check "maintainer script $s present, 0755, valid sh" \
    bash -c '[ "$(stat -c %a "$1")" = 755 ] && sh -n "$1" && ! grep -q "#DEBHELPER#" "$1"' _ "$ctrl/$s"
done
check "postinst creates the ophiontt system user (nologin) and /var/lib/ophiontt 0700" \
  bash -c 'grep -q "adduser --system" "$1" && grep -q "/usr/sbin/nologin" "$1" && grep -q "chmod 0700" "$1"' _ "$ctrl/postinst"
check "postinst enables ophiontt.service and never starts it on first install" \
  bash -c 'grep -q "deb-systemd-helper enable ophiontt.service" "$1" && ! grep -qE "(deb-systemd-invoke|systemctl) (--[a-z]+ )*start" "$1"' _ "$ctrl/postinst"
check "postrm deletes the data and the user only on purge" \
  bash -c 'sed -n "/^if \[ \"\$1\" = purge \]/,/^fi/p" "$1" | grep -q "rm -rf \"\$DATA\"" &&
           [ "$(grep -c "rm -rf" "$1")" = 1 ]' _ "$ctrl/postrm"

# ---------------------------------------------------------------------------------------------
# The unit as packaged

root="$work/root"
mkdir -p "$root"
dpkg-deb -x "$deb" "$root"
manpage="$(ls "$root"/usr/share/man/man1/ophiontt.1* 2>/dev/null | head -1)"
check "man -l renders ophiontt(1) from the package: NAME, SYNOPSIS, its commands" \
  bash -c 'out="$(MANPAGER=cat MANWIDTH=100 man -l "$1" 2>&1)" && grep -q "^SYNOPSIS" <<<"$out" &&
           grep -q "ophiontt - OphionTT" <<<"$(tr -s " " <<<"$out")" && grep -q "ophiontt-backup(1)" <<<"$out"' _ "$manpage"
check "the packaged bash completions load and complete ophiontt's commands" \
  bash --norc --noprofile -c 'source "$1" && COMP_WORDS=(ophiontt bac) COMP_CWORD=1 &&
           _ophiontt ophiontt bac ophiontt && [ "${COMPREPLY[*]}" = backup ]' _ "$root/usr/share/bash-completion/completions/ophiontt"
unit="$root/$unit_path"
if [ -n "$unit_path" ] && [ -f "$unit" ]; then
  for line in ProtectSystem=strict NoNewPrivileges=yes CapabilityBoundingSet=CAP_NET_BIND_SERVICE \
    AmbientCapabilities=CAP_NET_BIND_SERVICE ReadWritePaths=/var/lib/ophiontt User=ophiontt \
    "ExecStart=/usr/bin/ophiontt --config /etc/ophiontt/ophiontt.toml serve" \
    Environment=OPHIONTT_DATA_DIR=/var/lib/ophiontt StateDirectory=ophiontt MemoryDenyWriteExecute=yes \
    "ExecReload=/bin/kill -HUP \$MAINPID"; do
    check "unit: $line" has_line "$unit" "$line"
  done
  if command -v systemd-analyze >/dev/null; then
    # verify wants ExecStart's binary to exist: point a copy of the unit at the extracted one.
    mkdir -p "$work/unit"
    sed "s|/usr/bin/ophiontt|$root/usr/bin/ophiontt|" "$unit" >"$work/unit/ophiontt.service"
    check "systemd-analyze verify (ExecStart pointed at the extracted binary)" \
      bash -c 'out=$(systemd-analyze verify "$1" 2>&1) && [ -z "$out" ] || { echo "$out"; exit 1; }' _ "$work/unit/ophiontt.service"
    score="$(systemd-analyze security --offline=yes "$unit" 2>/dev/null | sed -n 's/.*exposure level for ophiontt.service: \([0-9.]*\).*/\1/p')"
    check "systemd-analyze security: exposure ${score:-?} (at most 2.0)" \
      awk -v s="${score:-99}" 'BEGIN { exit !(s <= 2.0) }'
  else
    skip "systemd-analyze verify/security (systemd-analyze not installed)"
  fi
fi

# ---------------------------------------------------------------------------------------------
# The packaged binary with the packaged config, from the throwaway root

# shellcheck source=tests/packaging/wait.sh
. tests/packaging/wait.sh
# listening_url LOG: the URL the server printed ("listening on URL"), or nothing.
listening_url() { sed -n 's/.* listening on \(https\{0,1\}:\/\/[^ ]*\).*/\1/p' "$1" | head -1; }
has_listening_url() { [ -n "$(listening_url "$1")" ]; }
# wait_listening LOG: prints the URL the server printed, or fails after RUN_TIMEOUT.
wait_listening() { wait_for "$RUN_TIMEOUT" has_listening_url "$1" && listening_url "$1"; }
exited() { ! kill -0 "$1" 2>/dev/null; }
# stop_server PID: SIGTERM, wait for a clean exit (code 0) within RUN_TIMEOUT.
stop_server() {
  kill -TERM "$1" 2>/dev/null || return 1
  if wait_for "$RUN_TIMEOUT" exited "$1"; then
    wait "$1"
    return $?
  fi
  kill -KILL "$1"
  return 1
}

if [ -n "${CI_NO_INSTALL:-}" ]; then
  skip "running the extracted package (CI_NO_INSTALL is set)"
else
  bin="$root/usr/bin/ophiontt"
  cfg="$root/etc/ophiontt/ophiontt.toml"
  data="$work/data"
  check "extracted: ophiontt --version is $version" \
    bash -c 'out=$(timeout "$1" "$2" --version) && [ "$out" = "ophiontt $3" ] || { echo "got: $out"; exit 1; }' _ "$RUN_TIMEOUT" "$bin" "$version"
  check "extracted: config sets data_dir = /var/lib/ophiontt" \
    grep -qE '^data_dir = "/var/lib/ophiontt"' "$cfg"
  check "extracted: ophiontt --config <packaged config> check (OPHIONTT_DATA_DIR=tmp) exits 0" \
    bash -c 'out=$(OPHIONTT_DATA_DIR="$3" timeout "$1" "$2" --config "$4" check 2>&1) &&
             grep -qxF "configuration OK" <<<"$out" &&
             grep -qF "data_dir = \"$3\"  (environment variable OPHIONTT_DATA_DIR)" <<<"$out" &&
             grep -qF "store OK: opened $3/db" <<<"$out" || { echo "$out"; exit 1; }' \
    _ "$RUN_TIMEOUT" "$bin" "$data" "$cfg"
  # serve with the packaged config: answers /healthz, exits 0 on SIGTERM after flushing.
  OPHIONTT_DATA_DIR="$data" OPHIONTT_SERVER_LISTEN=127.0.0.1:0 OPHIONTT_LOG_FILE=false \
    "$bin" --config "$cfg" serve >"$work/serve.log" 2>&1 &
  pid=$!
  server_pids="$pid"
  if url="$(wait_listening "$work/serve.log")" &&
    health="$(curl -fsS --max-time 5 "$url/healthz" 2>&1)" && [ "$health" = '{"status":"ok"}' ]; then
    pass "extracted: serve with the packaged config answers $url/healthz"
  else
    fail "extracted: serve with the packaged config answers /healthz" "$(cat "$work/serve.log"; echo "${health:-}")"
  fi
  if stop_server "$pid" && grep -q "store flushed" "$work/serve.log"; then
    pass "extracted: SIGTERM stops serve cleanly (exit 0, store flushed)"
  else
    fail "extracted: SIGTERM stops serve cleanly (exit 0, store flushed)" "$(cat "$work/serve.log")"
  fi
  server_pids=""

  # The same binary inside an emulation of the unit's sandbox (seccomp filters, read-only
  # system, private /tmp, ambient CAP_NET_BIND_SERVICE only): MemoryDenyWriteExecute= and
  # SystemCallFilter= must not break HTTPS, setup, backups or reloads. Needs root; else SKIP.
  sandbox_out="$(tests/packaging/sandbox-smoke.sh "$root" 2>&1)"
  sandbox_rc=$?
  printf '%s\n' "$sandbox_out"
  sandbox_fails=$(grep -c '^FAIL' <<<"$sandbox_out")
  if [ "$sandbox_rc" != 0 ] && [ "$sandbox_rc" != 77 ] && [ "$sandbox_fails" = 0 ]; then
    fail "tests/packaging/sandbox-smoke.sh exited $sandbox_rc"
  fi
  failed=$((failed + sandbox_fails))
fi

# ---------------------------------------------------------------------------------------------
# Optional: install for real, use, remove, purge (DEB_INSTALL_TEST=1; throwaway machines only)

if [ "${DEB_INSTALL_TEST:-}" != 1 ]; then
  echo "      (checks took $(($(now) - t_checks))s; DEB_INSTALL_TEST=1 adds a dpkg -i/remove/purge round trip)"
  finish
fi
if [ "$(id -u)" -ne 0 ]; then fail "DEB_INSTALL_TEST needs root"; finish; fi
if dpkg-query -W -f '${Status}' ophiontt 2>/dev/null | grep -q installed ||
  getent passwd ophiontt >/dev/null || getent group ophiontt >/dev/null ||
  [ -e /var/lib/ophiontt ] || [ -e /etc/ophiontt ]; then
  fail "DEB_INSTALL_TEST: refusing, an ophiontt package, user, group, /etc/ophiontt or /var/lib/ophiontt already exists"
  finish
fi
# Whatever happens below, leave the machine as it was.
trap 'dpkg --purge ophiontt >/dev/null 2>&1; cleanup' EXIT

conf=/etc/ophiontt/ophiontt.toml

check "install: dpkg -i $(basename "$deb")" dpkg -i "$deb"
check "install: /usr/bin/ophiontt --version" bash -c '[ "$(/usr/bin/ophiontt --version)" = "ophiontt $1" ]' _ "$version"
check "install: system user ophiontt, home /var/lib/ophiontt, shell /usr/sbin/nologin" \
  bash -c 'IFS=: read -r _ _ uid _ _ home shell < <(getent passwd ophiontt) &&
           [ "$uid" -lt 1000 ] && [ "$home" = /var/lib/ophiontt ] && [ "$shell" = /usr/sbin/nologin ] ||
           { getent passwd ophiontt; exit 1; }'
check "install: /var/lib/ophiontt is ophiontt:ophiontt 0700" \
  bash -c '[ "$(stat -c "%U:%G %a" /var/lib/ophiontt)" = "ophiontt:ophiontt 700" ] || stat -c "%U:%G %a" /var/lib/ophiontt'
check "install: $conf is root:ophiontt 0640" \
  bash -c '[ "$(stat -c "%U:%G %a" "$1")" = "root:ophiontt 640" ] || stat -c "%U:%G %a" "$1"' _ "$conf"
check "install: unit enabled (multi-user.target.wants), not started" \
  test -L /etc/systemd/system/multi-user.target.wants/ophiontt.service
if command -v systemd-analyze >/dev/null; then
  check "install: systemd-analyze verify ophiontt.service" \
    bash -c 'out=$(systemd-analyze verify ophiontt.service 2>&1) && [ -z "$out" ] || { echo "$out"; exit 1; }'
fi
check "install: as ophiontt, ophiontt --config $conf check uses /var/lib/ophiontt" \
  bash -c 'out=$(timeout 30 runuser -u ophiontt -- ophiontt --config "$1" check 2>&1) &&
           grep -qF "data_dir = \"/var/lib/ophiontt\"  (file $1)" <<<"$out" &&
           grep -qF "store OK: opened /var/lib/ophiontt/db" <<<"$out" || { echo "$out"; exit 1; }' _ "$conf"

# The unit's command line and environment, run as ophiontt (no systemd here), then the
# documented CLI command through the admin socket.
# setpriv execs (runuser would stay as a parent and SIGKILL the server 2 s after a SIGTERM).
(cd /var/lib/ophiontt && OPHIONTT_DATA_DIR=/var/lib/ophiontt OPHIONTT_SERVER_LISTEN=127.0.0.1:0 \
  exec setpriv --reuid=ophiontt --regid=ophiontt --init-groups -- /usr/bin/ophiontt --config "$conf" serve) \
  >"$work/serve-installed.log" 2>&1 &
pid=$!
server_pids="$pid"
if url="$(wait_listening "$work/serve-installed.log")"; then
  pass "install: serve as ophiontt with the unit's command line listens on $url"
  check "install: admin.sock is ophiontt 0600" \
    bash -c '[ "$(stat -c "%U %a" /var/lib/ophiontt/admin.sock)" = "ophiontt 600" ] || stat -c "%U %a" /var/lib/ophiontt/admin.sock'
  check "install: as ophiontt, user add --role admin through the admin socket" \
    bash -c 'out=$(timeout 30 runuser -u ophiontt -- ophiontt --config "$1" user add --role admin --email admin@example.com --name "Deb Test" 2>&1) &&
             grep -q "created Deb Test <admin@example.com> as admin" <<<"$out" || { echo "$out"; exit 1; }' _ "$conf"
  check "install: setup link printed to stdout (what journalctl -u ophiontt shows)" \
    grep -q "/setup#token=" "$work/serve-installed.log"
else
  fail "install: serve as ophiontt with the unit's command line" "$(cat "$work/serve-installed.log")"
fi
if stop_server "$pid"; then pass "install: SIGTERM stops it cleanly"; else fail "install: SIGTERM stops it cleanly" "$(cat "$work/serve-installed.log")"; fi
server_pids=""

echo "# local edit" >>"$conf"
check "reinstall: dpkg -i again (upgrade path) keeps the edited config" \
  bash -c 'dpkg -i --force-confold "$1" >/dev/null && tail -1 "$2" | grep -qxF "# local edit"' _ "$deb" "$conf"
check "reinstall: the data survives (admin user still there)" \
  bash -c 'timeout 30 runuser -u ophiontt -- ophiontt --config "$1" user list 2>&1 | grep -q admin@example.com' _ "$conf"

check "remove: dpkg --remove ophiontt" dpkg --remove ophiontt
check "remove: binary and unit gone; config, data and user kept" \
  bash -c '[ ! -e /usr/bin/ophiontt ] && [ ! -e "/$1" ] && [ -f "$2" ] && [ -d /var/lib/ophiontt/db ] && getent passwd ophiontt >/dev/null' _ "$unit_path" "$conf"
check "reinstall after remove: enabled again, same data" \
  bash -c 'dpkg -i "$1" >/dev/null && [ -L /etc/systemd/system/multi-user.target.wants/ophiontt.service ] &&
           timeout 30 runuser -u ophiontt -- ophiontt --config "$2" user list 2>&1 | grep -q admin@example.com' _ "$deb" "$conf"
check "purge: dpkg --purge ophiontt" dpkg --purge ophiontt
check "purge: data, config, user, group, statoverride and enable link all gone" \
  bash -c '[ ! -e /var/lib/ophiontt ] && [ ! -e /etc/ophiontt ] && ! getent passwd ophiontt && ! getent group ophiontt &&
           ! dpkg-statoverride --list /etc/ophiontt/ophiontt.toml && [ ! -e /etc/systemd/system/multi-user.target.wants/ophiontt.service ] ||
           { ls -la /var/lib/ophiontt /etc/ophiontt /etc/systemd/system/multi-user.target.wants 2>&1; exit 1; }'
echo "      (checks and install round trip took $(($(now) - t_checks))s)"
finish
