# shellcheck shell=bash
# Shared helpers for scripts/test.sh and scripts/run.sh.  Source it, do not run it.
#
# Provides:
#   step MESSAGE...            print a "==> MESSAGE" header line
#   die MESSAGE...             print an error and exit 1
#   as_root CMD...             run CMD as root (directly, or via `sudo -n`)
#   apt_install PKG...         install Debian packages (apt-get update once)
#   ensure_venv                create .venv (installing python3-venv if needed)
#   venv_pip_install ARGS...   .venv/bin/pip install -q ARGS...
#
# Expects the current directory to be the repository root.

step() {
    printf '==> %s\n' "$*"
}

die() {
    printf 'ERROR: %s\n' "$*" >&2
    exit 1
}

# Can we run commands as root?  Prints nothing; returns 0/1.
can_be_root() {
    [ "$(id -u)" -eq 0 ] && return 0
    command -v sudo >/dev/null 2>&1 && sudo -n true >/dev/null 2>&1
}

as_root() {
    if [ "$(id -u)" -eq 0 ]; then
        "$@"
    else
        sudo -n "$@"
    fi
}

_APT_UPDATED=0

# apt_install PKG... : install the given Debian packages, or explain how to do it.
apt_install() {
    [ "$#" -gt 0 ] || return 0
    if ! command -v apt-get >/dev/null 2>&1; then
        die "missing system packages: $*. apt-get is not available on this machine: install the equivalent of the Debian packages '$*' with your package manager, then re-run."
    fi
    if ! can_be_root; then
        die "missing system packages: $*. Install them, e.g. 'sudo apt-get install $*' (this script is not root and passwordless 'sudo -n' is not available), then re-run."
    fi
    if [ "$_APT_UPDATED" -eq 0 ]; then
        step "apt-get update"
        as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q
        _APT_UPDATED=1
    fi
    step "apt-get install $*"
    as_root env DEBIAN_FRONTEND=noninteractive \
        apt-get install -y -q -o Dpkg::Use-Pty=0 "$@" </dev/null
}

# ensure_venv : make sure .venv exists and has a working pip.
ensure_venv() {
    if [ -x .venv/bin/python ] && [ -x .venv/bin/pip ]; then
        return 0
    fi
    command -v python3 >/dev/null 2>&1 || die "python3 not found (Python >= 3.11 is required)."
    step "create virtualenv .venv ($(python3 --version 2>&1))"
    # --clear: a half-made .venv (e.g. left by a failed attempt without ensurepip) is rebuilt.
    if ! python3 -m venv --clear .venv; then
        step "python3 -m venv failed: installing Debian package python3-venv"
        rm -rf .venv
        apt_install python3-venv
        python3 -m venv .venv || die "python3 -m venv still fails after installing python3-venv."
    fi
}

# venv_pip_install ARGS... : quiet pip install into .venv.
venv_pip_install() {
    step "pip install $*"
    PIP_DISABLE_PIP_VERSION_CHECK=1 .venv/bin/pip install -q "$@"
}
