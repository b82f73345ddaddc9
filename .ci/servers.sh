#!/usr/bin/env bash
# Real SPARQL servers for the test suite: Oxigraph server and OpenLink Virtuoso (open source),
# both bound to 127.0.0.1 only. See docs/STORES.md for the endpoints and their quirks.
#
#   .ci/servers.sh install   idempotent: pip install oxigraph; apt-get install virtuoso-opensource
#                            (non-interactive, its system service never started)
#   .ci/servers.sh start     fresh data dirs under $KG_SERVERS_DIR (default /tmp/kg-servers), start
#                            both, wait until each answers ASK, write $KG_SERVERS_DIR/env
#   .ci/servers.sh stop      stop both and wait until they have exited
#   .ci/servers.sh status    say what is running
#
# Settings (environment, all optional):
#   KG_SERVERS_DIR            run directory (data, logs, pid files, env)           /tmp/kg-servers
#   KG_OXIGRAPH_PORT          Oxigraph HTTP port                                   7878
#   KG_VIRTUOSO_HTTP_PORT     Virtuoso HTTP port                                   8890
#   KG_VIRTUOSO_SQL_PORT      Virtuoso SQL (isql) port                             1111
#       A port left unset falls back to a free loopback port when its default is taken; a port
#       that is set explicitly must be free.
#   KG_OXIGRAPH_UNION         1 = start Oxigraph with --union-default-graph        0
#   KG_VIRTUOSO_USER          SPARQL user created in Virtuoso (SPARQL_UPDATE)      kg
#   KG_VIRTUOSO_PASSWORD      its password                                         random per start
#   KG_SERVERS_TIMEOUT        seconds to wait for each server to answer            90
#
# A test run uses it as:
#   bash .ci/servers.sh install && bash .ci/servers.sh start && . "${KG_SERVERS_DIR:-/tmp/kg-servers}/env"
#   ... ; bash .ci/servers.sh stop
set -euo pipefail

PROG=$(basename "$0")
DIR=${KG_SERVERS_DIR:-/tmp/kg-servers}
TIMEOUT=${KG_SERVERS_TIMEOUT:-90}
OX_DIR=$DIR/oxigraph
VT_DIR=$DIR/virtuoso
OX_PIDFILE=$DIR/oxigraph.pid
VT_PIDFILE=$DIR/virtuoso.pid
ENV_FILE=$DIR/env
PYTHON=${PYTHON:-python3}
VT_BIN=${VIRTUOSO_BIN:-virtuoso-t}
ISQL=${VIRTUOSO_ISQL:-isql-vt}

oxigraph_bin() {  # the real executable (not a pyenv shim), so that its pid is the server's pid
    local scripts
    if [ -n "${OXIGRAPH_BIN:-}" ]; then echo "$OXIGRAPH_BIN"; return; fi
    scripts=$("$PYTHON" -c 'import sysconfig; print(sysconfig.get_path("scripts"))' 2>/dev/null || true)
    if [ -n "$scripts" ] && [ -x "$scripts/oxigraph" ]; then echo "$scripts/oxigraph"; return; fi
    command -v oxigraph 2>/dev/null || true
}

log() { printf '%s: %s\n' "$PROG" "$*" >&2; }
die() { printf '%s: error: %s\n' "$PROG" "$*" >&2; exit 1; }

# ---------------------------------------------------------------------------------------------------
# install

install_oxigraph() {
    local bin
    bin=$(oxigraph_bin)
    if [ -n "$bin" ] && "$bin" --version 2>/dev/null | grep -q '^oxigraph 0\.5\.'; then
        log "oxigraph already installed: $("$bin" --version)"
        return
    fi
    log "installing oxigraph (PyPI) ..."
    "$PYTHON" -m pip install --quiet --disable-pip-version-check 'oxigraph>=0.5,<0.6' \
        || die "pip install oxigraph failed"
    hash -r
    bin=$(oxigraph_bin)
    [ -n "$bin" ] || die "oxigraph was installed but its executable was not found"
    log "installed $("$bin" --version)"
}

restore_policy() {  # undo the policy-rc.d that install_virtuoso put in place, if it did
    if [ "${POLICY_ADDED:-0}" = 1 ]; then
        if [ -n "$POLICY_SAVED" ]; then mv -f "$POLICY_SAVED" "$POLICY"; else rm -f "$POLICY"; fi
        POLICY_ADDED=0
    fi
}

install_virtuoso() {
    if command -v "$VT_BIN" >/dev/null 2>&1 && command -v "$ISQL" >/dev/null 2>&1; then
        log "virtuoso already installed: $("$VT_BIN" -? 2>&1 | sed -n 2p)"
        return
    fi
    [ "$(id -u)" = 0 ] || die "installing virtuoso-opensource needs root (apt-get)"
    command -v apt-get >/dev/null 2>&1 || die "apt-get not found: install virtuoso-opensource by other means"

    # The package's postinst calls invoke-rc.d to start the system daemon, which listens on all
    # interfaces. A policy-rc.d that exits 101 forbids that; put one in place for the install if the
    # machine has none (or one that allows starts), and restore the previous state afterwards.
    POLICY=/usr/sbin/policy-rc.d POLICY_SAVED="" POLICY_ADDED=0
    if [ ! -x "$POLICY" ] || ! grep -q 'exit 101' "$POLICY" 2>/dev/null; then
        if [ -e "$POLICY" ]; then POLICY_SAVED=$(mktemp); cp -p "$POLICY" "$POLICY_SAVED"; fi
        printf '#!/bin/sh\n# added by .ci/servers.sh install: no service starts during apt-get\nexit 101\n' > "$POLICY"
        chmod 755 "$POLICY"
        POLICY_ADDED=1
    fi
    trap restore_policy EXIT

    # Answer the dba-password prompt in advance: empty (the system database is never used; the test
    # instance has its own database and passwords, set by `start`).
    printf '%s\n' \
        'virtuoso-opensource-7 virtuoso-opensource-7/dba-password password ' \
        'virtuoso-opensource-7 virtuoso-opensource-7/dba-password-again password ' \
        | debconf-set-selections

    local apt_opts=(-y -q --no-install-recommends -o DPkg::Lock::Timeout=300
                    -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold)
    log "installing virtuoso-opensource (apt) ..."
    if ! DEBIAN_FRONTEND=noninteractive apt-get install "${apt_opts[@]}" virtuoso-opensource >/dev/null; then
        log "apt-get install failed; running apt-get update and retrying"
        apt-get update -q -o DPkg::Lock::Timeout=300 >/dev/null || die "apt-get update failed"
        DEBIAN_FRONTEND=noninteractive apt-get install "${apt_opts[@]}" virtuoso-opensource >/dev/null \
            || die "apt-get install virtuoso-opensource failed"
    fi
    restore_policy
    trap - EXIT

    # Belt and braces: if the system instance runs anyway, stop it.
    if [ -x /etc/init.d/virtuoso-opensource-7 ] && pgrep -f 'virtuoso-t .*/etc/virtuoso-opensource-7/virtuoso.ini' >/dev/null; then
        log "the system virtuoso service is running; stopping it"
        /etc/init.d/virtuoso-opensource-7 stop >/dev/null 2>&1 || true
    fi
    command -v "$VT_BIN" >/dev/null 2>&1 || die "virtuoso-t not found after install"
    log "installed $("$VT_BIN" -? 2>&1 | sed -n 2p)"
}

cmd_install() {
    command -v curl >/dev/null 2>&1 || {
        [ "$(id -u)" = 0 ] || die "curl is missing"
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q curl >/dev/null \
            || { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q curl >/dev/null; } \
            || die "apt-get install curl failed"
    }
    install_oxigraph
    install_virtuoso
}

# ---------------------------------------------------------------------------------------------------
# helpers for start/stop

port_free() {  # port_free PORT -> 0 if 127.0.0.1:PORT can be bound now
    "$PYTHON" - "$1" <<'PY'
import socket, sys
s = socket.socket()
# as servers do: a port with only TIME_WAIT connections left (just stopped) counts as free
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
try:
    s.bind(("127.0.0.1", int(sys.argv[1])))
except OSError:
    sys.exit(1)
finally:
    s.close()
PY
}

free_port() {  # a port the kernel hands out as free on 127.0.0.1
    "$PYTHON" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

pick_port() {  # pick_port NAME VARIABLE DEFAULT [PORTS ALREADY TAKEN...]
    local name=$1 var=$2 default=$3; shift 3
    local explicit=${!var:-} port
    if [ -n "$explicit" ]; then
        [[ $explicit =~ ^[0-9]+$ ]] || die "$var=$explicit is not a port number"
        port_free "$explicit" || die "$name: port 127.0.0.1:$explicit ($var) is already in use"
        echo "$explicit"; return
    fi
    port=$default
    if ! port_free "$port" || [[ " $* " == *" $port "* ]]; then
        for _ in 1 2 3 4 5; do
            port=$(free_port)
            [[ " $* " == *" $port "* ]] || break
        done
        log "$name: default port $default is taken; using $port"
    fi
    echo "$port"
}

alive() {  # alive PIDFILE NAME -> 0 if the pid in the file is a running process named NAME
    local pid
    [ -s "$1" ] || return 1
    pid=$(cat "$1")
    [[ $pid =~ ^[0-9]+$ ]] || return 1
    kill -0 "$pid" 2>/dev/null || return 1
    [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = "$2" ]
}

running() {  # running PID -> 0 if the process exists and is not a zombie
    kill -0 "$1" 2>/dev/null && [ "$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null)" != Z ]
}

wait_exit() {  # wait_exit PID SECONDS -> 0 once the process is gone
    local pid=$1 deadline=$((SECONDS + $2))
    while running "$pid"; do
        [ $SECONDS -ge $deadline ] && return 1
        sleep 0.2
    done
}

log_tail() {  # log_tail NAME FILE...
    local name=$1; shift
    local f
    for f in "$@"; do
        [ -s "$f" ] || { printf -- '----- %s: %s is empty or missing -----\n' "$name" "$f" >&2; continue; }
        printf -- '----- %s: last lines of %s -----\n' "$name" "$f" >&2
        tail -n 40 "$f" >&2
        printf -- '-----\n' >&2
    done
}

ask() {  # ask URL [curl args...] -> 0 if the endpoint answers ASK {} with a true boolean
    local url=$1; shift
    curl -sS --max-time 5 "$@" -H 'Accept: application/sparql-results+json' \
        --data-urlencode 'query=ASK {}' "$url" 2>/dev/null | grep -q '"boolean" *: *true'
}

wait_ask() {  # wait_ask NAME PIDFILE COMM URL [curl args...]
    local name=$1 pidfile=$2 comm=$3 url=$4; shift 4
    local deadline=$((SECONDS + TIMEOUT)) pid
    pid=$(cat "$pidfile")
    # the background job is a forked shell until it has exec'd the server: wait for that first, so
    # that the pid file names the server from here on (stop and status check the process name)
    until [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = "$comm" ]; do
        running "$pid" || { log "$name exited during start-up"; return 1; }
        [ $SECONDS -lt $deadline ] || { log "$name did not start within ${TIMEOUT}s"; return 1; }
        sleep 0.1
    done
    until ask "$url" "$@"; do
        running "$(cat "$pidfile")" || { log "$name exited during start-up"; return 1; }
        [ $SECONDS -lt $deadline ] || { log "$name did not answer ASK at $url within ${TIMEOUT}s"; return 1; }
        sleep 0.3
    done
}

rand_password() {
    "$PYTHON" -c 'import secrets; print(secrets.token_hex(12))'
}

isql_run() {  # isql_run PASSWORD SQL-FILE -> runs the file, fails on any SQL error
    local pw=$1 file=$2 out
    out=$("$ISQL" "127.0.0.1:$VT_SQL_PORT" dba "$pw" "$file" 2>&1) || { printf '%s\n' "$out" >&2; return 1; }
    if grep -q '\*\*\* Error' <<<"$out"; then
        printf '%s\n' "$out" >&2
        return 1
    fi
}

# ---------------------------------------------------------------------------------------------------
# start

start_oxigraph() {
    mkdir -p "$OX_DIR"
    local args=(serve --location "$OX_DIR/data" --bind "127.0.0.1:$OX_PORT")
    [ "${KG_OXIGRAPH_UNION:-0}" = 1 ] && args+=(--union-default-graph)
    log "starting oxigraph on 127.0.0.1:$OX_PORT"
    nohup "$(oxigraph_bin)" "${args[@]}" >"$OX_DIR/oxigraph.log" 2>&1 </dev/null &
    echo $! >"$OX_PIDFILE"
    if ! wait_ask oxigraph "$OX_PIDFILE" oxigraph "http://127.0.0.1:$OX_PORT/query"; then
        log_tail oxigraph "$OX_DIR/oxigraph.log"
        return 1
    fi
}

write_virtuoso_ini() {
    cat >"$VT_DIR/virtuoso.ini" <<EOF
; private test instance written by .ci/servers.sh; listens on 127.0.0.1 only
[Database]
DatabaseFile       = $VT_DIR/db/virtuoso.db
ErrorLogFile       = $VT_DIR/db/virtuoso.log
LockFile           = $VT_DIR/db/virtuoso.lck
TransactionFile    = $VT_DIR/db/virtuoso.trx
xa_persistent_file = $VT_DIR/db/virtuoso.pxa
ErrorLogLevel      = 7
FileExtend         = 200
MaxCheckpointRemap = 2000
Striping           = 0
TempStorage        = TempDatabase

[TempDatabase]
DatabaseFile       = $VT_DIR/db/virtuoso-temp.db
TransactionFile    = $VT_DIR/db/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping           = 0

[Parameters]
ServerPort           = 127.0.0.1:$VT_SQL_PORT
LiteMode             = 0
DisableUnixSocket    = 1
DisableTcpSocket     = 0
MaxClientConnections = 32
CheckpointInterval   = 60
O_DIRECT             = 0
CaseMode             = 2
MaxStaticCursorRows  = 5000
AllowOSCalls         = 0
DirsAllowed          = ., $VT_DIR
NumberOfBuffers      = 20000
MaxDirtyBuffers      = 15000
ThreadsPerQuery      = 2
AsyncQueueMaxThreads = 4

[HTTPServer]
ServerPort           = 127.0.0.1:$VT_HTTP_PORT
ServerRoot           = $VT_DIR/vsp
MaxClientConnections = 32
DavRoot              = DAV
EnabledDavVSP        = 0
HTTPProxyEnabled     = 0
# Headroom for test clients whose keep-alive connections linger (10 were once seen stuck in CLOSE-WAIT).
ServerThreads        = 32
MaxKeepAlives        = 32
KeepAliveTimeout     = 10
Charset              = UTF-8
EnabledGzipContent   = 1

[Client]
SQL_PREFETCH_ROWS  = 100
SQL_PREFETCH_BYTES = 16000

[URIQA]
DynamicLocal = 0
DefaultHost  = 127.0.0.1:$VT_HTTP_PORT

[SPARQL]
; the Debian default truncates results at 10000 rows and stops queries after 60 s
ResultSetMaxRows           = 1000000
MaxQueryCostEstimationTime = 3600
MaxQueryExecutionTime      = 0
EOF
}

start_virtuoso() {
    mkdir -p "$VT_DIR/db" "$VT_DIR/vsp"
    write_virtuoso_ini
    log "starting virtuoso on 127.0.0.1:$VT_HTTP_PORT (HTTP) and 127.0.0.1:$VT_SQL_PORT (SQL)"
    # 4 GiB of address space: a query that runs away (one once grew to 24 GB) ends this server, not the machine
    (cd "$VT_DIR" && ulimit -v 4194304 && exec nohup "$VT_BIN" +foreground +configfile "$VT_DIR/virtuoso.ini" \
        >"$VT_DIR/virtuoso.out" 2>&1 </dev/null) &
    echo $! >"$VT_PIDFILE"
    if ! wait_ask virtuoso "$VT_PIDFILE" virtuoso-t "http://127.0.0.1:$VT_HTTP_PORT/sparql"; then
        log_tail virtuoso "$VT_DIR/virtuoso.out" "$VT_DIR/db/virtuoso.log"
        return 1
    fi

    # A fresh database has dba/dba. Create the SPARQL user (SPARQL_UPDATE is what /sparql-auth and
    # /sparql-graph-crud-auth require), then give dba a random password.
    local dba_pw sql=$VT_DIR/setup.sql
    dba_pw=$(rand_password)
    [[ $KG_VIRTUOSO_USER =~ ^[A-Za-z][A-Za-z0-9_]*$ ]] || die "KG_VIRTUOSO_USER must be a plain identifier"
    [[ $KG_VIRTUOSO_PASSWORD != *"'"* ]] || die "KG_VIRTUOSO_PASSWORD must not contain a single quote"
    (umask 077; cat >"$sql" <<EOF
DB.DBA.USER_CREATE ('$KG_VIRTUOSO_USER', '$KG_VIRTUOSO_PASSWORD');
GRANT SPARQL_UPDATE TO "$KG_VIRTUOSO_USER";
USER_SET_PASSWORD ('dba', '$dba_pw');
checkpoint;
EOF
    )
    if ! isql_run dba "$sql"; then
        rm -f "$sql"
        log "setting up the virtuoso users failed (isql on 127.0.0.1:$VT_SQL_PORT)"
        log_tail virtuoso "$VT_DIR/db/virtuoso.log"
        return 1
    fi
    rm -f "$sql"
    (umask 077; printf '%s\n' "$dba_pw" >"$VT_DIR/dba-password")

    # the user must now be able to authenticate (HTTP digest) on the update endpoint
    if ! ask "http://127.0.0.1:$VT_HTTP_PORT/sparql-auth" --digest -u "$KG_VIRTUOSO_USER:$KG_VIRTUOSO_PASSWORD"; then
        log "virtuoso: user $KG_VIRTUOSO_USER cannot query /sparql-auth with digest auth"
        log_tail virtuoso "$VT_DIR/db/virtuoso.log"
        return 1
    fi
}

write_env() {
    local tmp=$ENV_FILE.tmp
    (umask 077; cat >"$tmp" <<EOF
# written by .ci/servers.sh start; source it: . $ENV_FILE
export KG_SERVERS_DIR='$DIR'
export KG_OXIGRAPH_QUERY_URL='http://127.0.0.1:$OX_PORT/query'
export KG_OXIGRAPH_UPDATE_URL='http://127.0.0.1:$OX_PORT/update'
export KG_OXIGRAPH_STORE_URL='http://127.0.0.1:$OX_PORT/store'
export KG_OXIGRAPH_UNION_DEFAULT_GRAPH='${KG_OXIGRAPH_UNION:-0}'
export KG_VIRTUOSO_QUERY_URL='http://127.0.0.1:$VT_HTTP_PORT/sparql'
export KG_VIRTUOSO_UPDATE_URL='http://127.0.0.1:$VT_HTTP_PORT/sparql-auth'
export KG_VIRTUOSO_STORE_URL='http://127.0.0.1:$VT_HTTP_PORT/sparql-graph-crud-auth'
export KG_VIRTUOSO_USER='$KG_VIRTUOSO_USER'
export KG_VIRTUOSO_PASSWORD='$KG_VIRTUOSO_PASSWORD'
export KG_VIRTUOSO_AUTH='digest'
export KG_VIRTUOSO_SQL_PORT='$VT_SQL_PORT'
EOF
    )
    mv -f "$tmp" "$ENV_FILE"
}

abort_start() {  # stop whatever this start launched
    stop_one oxigraph "$OX_PIDFILE" oxigraph force >/dev/null 2>&1 || true
    stop_one virtuoso "$VT_PIDFILE" virtuoso-t force >/dev/null 2>&1 || true
    rm -f "$ENV_FILE"
}

cmd_start() {
    [ -n "$(oxigraph_bin)" ] || die "oxigraph not found: run '$0 install' first"
    command -v "$VT_BIN" >/dev/null 2>&1 || die "$VT_BIN not found: run '$0 install' first"
    command -v "$ISQL" >/dev/null 2>&1 || die "$ISQL not found: run '$0 install' first"
    command -v curl >/dev/null 2>&1 || die "curl not found: run '$0 install' first"
    [[ $TIMEOUT =~ ^[0-9]+$ ]] || die "KG_SERVERS_TIMEOUT=$TIMEOUT is not a number of seconds"

    if alive "$OX_PIDFILE" oxigraph || alive "$VT_PIDFILE" virtuoso-t; then
        log "servers from an earlier start are running in $DIR; stopping them first"
        cmd_stop
    fi
    mkdir -p "$DIR"
    rm -rf "$OX_DIR" "$VT_DIR"
    rm -f "$ENV_FILE" "$OX_PIDFILE" "$VT_PIDFILE"

    OX_PORT=$(pick_port oxigraph KG_OXIGRAPH_PORT 7878)
    VT_HTTP_PORT=$(pick_port "virtuoso http" KG_VIRTUOSO_HTTP_PORT 8890 "$OX_PORT")
    VT_SQL_PORT=$(pick_port "virtuoso sql" KG_VIRTUOSO_SQL_PORT 1111 "$OX_PORT" "$VT_HTTP_PORT")
    KG_VIRTUOSO_USER=${KG_VIRTUOSO_USER:-kg}
    KG_VIRTUOSO_PASSWORD=${KG_VIRTUOSO_PASSWORD:-$(rand_password)}

    local t0=$SECONDS
    if ! start_oxigraph; then
        abort_start
        die "oxigraph failed to start (logs in $OX_DIR)"
    fi
    if ! start_virtuoso; then
        abort_start
        die "virtuoso failed to start (logs in $VT_DIR)"
    fi
    write_env
    log "both servers up in $((SECONDS - t0))s; environment in $ENV_FILE"
    grep -v PASSWORD "$ENV_FILE"
}

# ---------------------------------------------------------------------------------------------------
# stop / status

stop_one() {  # stop_one NAME PIDFILE COMM [force]; force: the pid was just started by this script,
              # stop it even if it has not (yet) become COMM
    local name=$1 pidfile=$2 comm=$3 force=${4:-} pid
    if [ "$force" = force ] && [ -s "$pidfile" ] && running "$(cat "$pidfile")"; then
        pid=$(cat "$pidfile")
        kill -TERM "$pid" 2>/dev/null || true
        wait_exit "$pid" 30 || { kill -KILL "$pid" 2>/dev/null || true; wait_exit "$pid" 10 || true; }
    fi
    if ! alive "$pidfile" "$comm"; then
        [ -e "$pidfile" ] && log "$name was not running"
        rm -f "$pidfile"
        return 0
    fi
    pid=$(cat "$pidfile")
    if [ "$comm" = virtuoso-t ] && [ -s "$VT_DIR/dba-password" ] && [ -s "$VT_DIR/virtuoso.ini" ]; then
        # orderly shutdown (checkpoint) through isql; falls back to signals below
        local port
        port=$(sed -n 's/^ServerPort *= *127\.0\.0\.1:\([0-9]*\)$/\1/p' "$VT_DIR/virtuoso.ini" | head -n 1)
        timeout 20 "$ISQL" "127.0.0.1:$port" dba "$(cat "$VT_DIR/dba-password")" -K >/dev/null 2>&1 || true
        wait_exit "$pid" 30 && { log "$name stopped"; rm -f "$pidfile"; return 0; }
    fi
    kill -TERM "$pid" 2>/dev/null || true
    if ! wait_exit "$pid" 30; then
        log "$name (pid $pid) did not exit after SIGTERM; sending SIGKILL"
        kill -KILL "$pid" 2>/dev/null || true
        wait_exit "$pid" 10 || { log "$name (pid $pid) is still running"; return 1; }
    fi
    log "$name stopped"
    rm -f "$pidfile"
}

cmd_stop() {
    local rc=0
    stop_one oxigraph "$OX_PIDFILE" oxigraph || rc=1
    stop_one virtuoso "$VT_PIDFILE" virtuoso-t || rc=1
    rm -f "$ENV_FILE"
    [ $rc = 0 ] || die "a server could not be stopped"
}

cmd_status() {
    local rc=0
    if alive "$OX_PIDFILE" oxigraph; then echo "oxigraph: running (pid $(cat "$OX_PIDFILE"))"; else echo "oxigraph: stopped"; rc=3; fi
    if alive "$VT_PIDFILE" virtuoso-t; then echo "virtuoso: running (pid $(cat "$VT_PIDFILE"))"; else echo "virtuoso: stopped"; rc=3; fi
    [ -s "$ENV_FILE" ] && echo "env: $ENV_FILE"
    return $rc
}

case "${1:-}" in
    install) cmd_install ;;
    start)   cmd_start ;;
    stop)    cmd_stop ;;
    status)  cmd_status ;;
    *) echo "usage: $PROG install|start|stop|status" >&2; exit 2 ;;
esac
