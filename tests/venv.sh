# Shared by the test steps that run Python (tests/spec/run.sh, tests/exports/run.sh): the
# virtualenv tests/.venv (gitignored), made with Debian's python3-venv when missing, and pinned
# packages in it. Source it from a script that runs `set -euo pipefail` at the repository root.

venv=tests/.venv
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

# apt_need COMMAND PACKAGE: installs the Debian package when the command is missing.
apt_need() {
  command -v "$1" >/dev/null 2>&1 && return 0
  echo "installing Debian package: $2"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "$2" >/dev/null
}

if [ ! -x "$venv/bin/python" ]; then
  if ! python3 -m venv --help >/dev/null 2>&1 || ! python3 -c 'import ensurepip' >/dev/null 2>&1; then
    echo "installing Debian package: python3-venv"
    as_root apt-get update -qq
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq python3-venv >/dev/null
  fi
  python3 -m venv "$venv"
fi

# pip_pin NAME VERSION: installs NAME==VERSION into the virtualenv unless it is there already.
pip_pin() {
  local have
  have="$("$venv/bin/python" -c 'import importlib.metadata as m, sys; print(m.version(sys.argv[1]))' "$1" 2>/dev/null || true)"
  if [ "$have" != "$2" ]; then
    "$venv/bin/pip" install --quiet --disable-pip-version-check "$1==$2"
  fi
}
