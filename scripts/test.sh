#!/usr/bin/env bash
# The test command: bash scripts/test.sh [pytest args...]
#
#  1. creates .venv if needed and installs the project with its dev extra;
#  2. installs the Debian packages chromium (with chromium-l10n, for French date inputs),
#     postgresql and libreoffice-calc-nogui if missing (as root, or through passwordless
#     `sudo -n`; otherwise says what to install);
#  3. runs ruff (a lint failure fails the script, but only after the tests ran);
#  4. starts a throwaway PostgreSQL cluster on a free 127.0.0.1 port (skipped when
#     PILOTAGE_TEST_POSTGRES_URL is already set) and stops/removes it on exit;
#  5. runs pytest with the given arguments and exits with its code (exit code 5,
#     "no tests collected", is reported as a failure; a ruff failure turns 0 into 1).
#
# Environment given to the tests:
#   PILOTAGE_TEST_POSTGRES_URL  postgresql+psycopg://pilotage@127.0.0.1:PORT/pilotage_test
#                               (role pilotage is superuser: tests may create databases)
#   PILOTAGE_REQUIRE_POSTGRES=1, PILOTAGE_CHROMIUM=/path/to/chromium, PILOTAGE_REQUIRE_BROWSER=1,
#   PILOTAGE_REQUIRE_LIBREOFFICE=1 (the export's formula test needs `soffice`)
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=scripts/lib.sh
. scripts/lib.sh

# --- 1. virtualenv -----------------------------------------------------------------
ensure_venv
venv_pip_install -e '.[dev]'

# --- 2. system packages ------------------------------------------------------------
# Directory holding initdb/pg_ctl/pg_isready/createdb (Debian: /usr/lib/postgresql/N/bin,
# highest N wins; elsewhere: whatever is on PATH).
find_pg_bindir() {
    local d
    d=$(find /usr/lib/postgresql -mindepth 3 -maxdepth 3 -path '*/bin/initdb' 2>/dev/null \
        | sort -V | tail -n 1)
    if [ -n "$d" ]; then
        dirname "$d"
    elif command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
        dirname "$(command -v initdb)"
    fi
}

missing=()
if [ -n "${PILOTAGE_CHROMIUM:-}" ] && [ -x "${PILOTAGE_CHROMIUM}" ]; then
    : # a developer pointed us at their own Chromium/Chrome build
elif ! command -v chromium >/dev/null 2>&1; then
    missing+=(chromium chromium-l10n)
elif [ -d /usr/lib/chromium/locales ] && [ ! -f /usr/lib/chromium/locales/fr.pak ]; then
    missing+=(chromium-l10n) # Debian's Chromium without its French locale pack
fi
if ! command -v soffice >/dev/null 2>&1; then
    missing+=(libreoffice-calc-nogui)
fi
if [ -z "${PILOTAGE_TEST_POSTGRES_URL:-}" ] && [ -z "$(find_pg_bindir)" ]; then
    missing+=(postgresql)
fi
if [ "${#missing[@]}" -gt 0 ]; then
    apt_install "${missing[@]}"
fi
if [ -z "${PILOTAGE_CHROMIUM:-}" ] || [ ! -x "${PILOTAGE_CHROMIUM}" ]; then
    PILOTAGE_CHROMIUM=$(command -v chromium) || die "chromium not found after installation."
fi
export PILOTAGE_CHROMIUM
export PILOTAGE_REQUIRE_BROWSER=1
export PILOTAGE_REQUIRE_LIBREOFFICE=1

# --- 3. lint -------------------------------------------------------------------------
# A lint failure does not stop the run (the test results are still useful in a CI
# log), but it makes the script fail at the end.
step "ruff check ."
ruff_rc=0
.venv/bin/ruff check . || ruff_rc=$?

# --- 4. throwaway PostgreSQL cluster -----------------------------------------------
PG_TMP=""
PG_DATA=""
PG_BIN=""

# Run a PostgreSQL server binary as the cluster owner, from inside $PG_TMP (the
# owner may not be allowed to read the current directory).  initdb refuses to run as
# root, so root uses the `postgres` system user created by the Debian package.
pg_as_owner() {
    if [ "$(id -u)" -ne 0 ]; then
        (cd "$PG_TMP" && "$@")
    elif command -v runuser >/dev/null 2>&1; then
        (cd "$PG_TMP" && runuser -u postgres -- "$@")
    else
        (cd "$PG_TMP" && su postgres -s /bin/bash -c "$(printf '%q ' "$@")")
    fi
}

# shellcheck disable=SC2317  # invoked through trap
cleanup() {
    local rc=$?
    trap - EXIT INT TERM HUP
    if [ -n "$PG_TMP" ] && [ -d "$PG_TMP" ]; then
        if [ -f "$PG_DATA/postmaster.pid" ]; then
            pg_as_owner "$PG_BIN/pg_ctl" -D "$PG_DATA" -m immediate -t 15 stop \
                >/dev/null 2>&1 || true
        fi
        if [ -f "$PG_DATA/postmaster.pid" ]; then
            # pg_ctl could not stop it: kill our postmaster by its pid.
            local pid
            pid=$(head -n 1 "$PG_DATA/postmaster.pid" 2>/dev/null || true)
            case "$pid" in
                '' | *[!0-9]*) ;;
                *) kill -KILL "$pid" 2>/dev/null || true ;;
            esac
        fi
        rm -rf "$PG_TMP"
    fi
    exit "$rc"
}

start_pg_cluster() {
    PG_BIN=$(find_pg_bindir)
    [ -n "$PG_BIN" ] || die "PostgreSQL server binaries (initdb, pg_ctl) not found."

    local tmp_parent="${TMPDIR:-/tmp}"
    if [ "$(id -u)" -eq 0 ]; then
        getent passwd postgres >/dev/null \
            || die "running as root, but there is no 'postgres' system user to own the test cluster (initdb refuses root)."
        tmp_parent=/tmp # must be reachable by the postgres user
    fi
    # Unix socket paths are limited to ~107 bytes.
    [ "${#tmp_parent}" -le 60 ] || tmp_parent=/tmp

    trap cleanup EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
    trap 'exit 129' HUP
    PG_TMP=$(mktemp -d "$tmp_parent/pilotage-pg.XXXXXX")
    PG_DATA="$PG_TMP/data"
    if [ "$(id -u)" -eq 0 ]; then
        chown postgres: "$PG_TMP"
    fi

    local locale=C
    if locale -a 2>/dev/null | grep -qiE '^c\.utf-?8$'; then
        locale=C.UTF-8
    fi

    local t0 port i
    t0=$(date +%s%N)
    step "PostgreSQL: initdb ($("$PG_BIN/postgres" --version), locale $locale) in $PG_TMP"
    if ! pg_as_owner "$PG_BIN/initdb" -D "$PG_DATA" -A trust -U pilotage \
        --encoding=UTF8 --locale="$locale" --no-sync >"$PG_TMP/initdb.log" 2>&1; then
        cat "$PG_TMP/initdb.log" >&2
        die "initdb failed (log above)."
    fi

    port=$(.venv/bin/python -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])')
    cat >>"$PG_DATA/postgresql.conf" <<EOF

# --- throwaway test cluster (scripts/test.sh) ---
port = $port
listen_addresses = '127.0.0.1'
unix_socket_directories = '$PG_TMP'
fsync = off
synchronous_commit = off
full_page_writes = off
EOF

    step "PostgreSQL: start on 127.0.0.1:$port"
    pg_as_owner "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$PG_TMP/postgres.log" -W start >/dev/null
    i=0
    local why=""
    until "$PG_BIN/pg_isready" -q -t 1 -h 127.0.0.1 -p "$port" -U pilotage -d postgres; do
        i=$((i + 1))
        if [ "$i" -ge 300 ]; then
            why="did not become ready on 127.0.0.1:$port within 30 s"
        elif [ "$i" -ge 20 ] && ! pg_as_owner "$PG_BIN/pg_ctl" -D "$PG_DATA" status >/dev/null 2>&1; then
            why="exited before accepting connections on 127.0.0.1:$port"
        fi
        if [ -n "$why" ]; then
            echo "---- $PG_TMP/postgres.log ----" >&2
            cat "$PG_TMP/postgres.log" >&2 || true
            die "the test PostgreSQL server $why (log above)."
        fi
        sleep 0.1
    done
    "$PG_BIN/createdb" -h 127.0.0.1 -p "$port" -U pilotage pilotage_test
    step "PostgreSQL: ready in $((($(date +%s%N) - t0) / 1000000)) ms"

    export PILOTAGE_TEST_POSTGRES_URL="postgresql+psycopg://pilotage@127.0.0.1:$port/pilotage_test"
}

if [ -n "${PILOTAGE_TEST_POSTGRES_URL:-}" ]; then
    step "PostgreSQL: using PILOTAGE_TEST_POSTGRES_URL from the environment"
else
    start_pg_cluster
fi
export PILOTAGE_TEST_POSTGRES_URL
export PILOTAGE_REQUIRE_POSTGRES=1

# --- 5. tests ------------------------------------------------------------------------
step "pytest $*"
rc=0
.venv/bin/python -m pytest "$@" || rc=$?
if [ "$rc" -eq 5 ]; then
    echo "ERROR: pytest collected no tests (exit code 5): treated as a failure." >&2
fi
if [ "$ruff_rc" -ne 0 ]; then
    echo "ERROR: ruff check failed (see its report above the tests)." >&2
    [ "$rc" -ne 0 ] || rc=1
fi
exit "$rc"
