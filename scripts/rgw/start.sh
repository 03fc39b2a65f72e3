#!/usr/bin/env bash
# Starts a throwaway, single-node Ceph cluster (1 mon + 1 memstore OSD, no
# cephx) plus a RADOS Gateway (S3) bound to 127.0.0.1, for integration tests.
#
# Usage: scripts/rgw/start.sh <data-dir> <rgw-port> [<mon-port>]
#
#   <data-dir>  Everything (ceph.conf, mon/osd data, logs, admin sockets, pid
#               files) lives here. Created if missing. Must be empty, absent,
#               or a directory previously created by this script.
#   <rgw-port>  TCP port of the S3 endpoint on 127.0.0.1.
#   <mon-port>  TCP port of the monitor (msgr v2) on 127.0.0.1.
#               Default: <rgw-port> + 1 (so space concurrent instances' rgw
#               ports at least 2 apart). Keep both ports out of 6800-7300,
#               where the OSDs pick their own ports.
#
# Returns once a SigV4-signed S3 request succeeds (or fails after ~90 s,
# printing the log tails to stderr). On success prints to stdout:
#   MIC_RGW_ENDPOINT=http://127.0.0.1:<rgw-port>
#   MIC_RGW_ACCESS_KEY=mic-test-access
#   MIC_RGW_SECRET_KEY=mic-test-secret-key
# so callers can `eval "$(scripts/rgw/start.sh ...)"`. Everything else goes
# to stderr or to <data-dir>/log.
#
# Idempotent: if the instance for <data-dir> is already up and answering, it
# just prints the lines again. If <data-dir> holds a dead/half-started
# instance, its leftovers are killed and it is recreated from scratch
# (memstore keeps no data across restarts anyway).
#
# Stop with scripts/rgw/stop.sh <data-dir>.
# Packages: scripts/rgw/install.sh.
set -euo pipefail

ACCESS_KEY="mic-test-access"
SECRET_KEY="mic-test-secret-key"
TIMEOUT_S="${MIC_RGW_START_TIMEOUT:-90}"
MARKER=".mic-rgw"   # marks a directory as owned by these scripts (stop.sh rm -rf's it)

# fd 8 = our original stderr, so messages from traps still get out even when
# the trap fires inside a `>/dev/null 2>&1` redirection (see wait_for).
exec 8>&2
log() { echo "[rgw-start] $*" >&8; }
die() { log "ERROR: $*"; exit 1; }

usage() { echo "usage: $0 <data-dir> <rgw-port> [<mon-port>]" >&2; exit 2; }
if [ $# -lt 2 ] || [ $# -gt 3 ]; then usage; fi

valid_port() { [[ "$1" =~ ^[0-9]{1,5}$ ]] && [ "$1" -ge 1 ] && [ "$1" -le 65535 ]; }
RGW_PORT="$2"
valid_port "$RGW_PORT" || die "invalid rgw port: $RGW_PORT"
MON_PORT="${3:-$(( RGW_PORT + 1 ))}"
valid_port "$MON_PORT" || die "invalid mon port: $MON_PORT"
[ "$RGW_PORT" != "$MON_PORT" ] || die "rgw port and mon port must differ"

for bin in ceph ceph-mon ceph-osd monmaptool radosgw radosgw-admin curl flock; do
  command -v "$bin" >/dev/null 2>&1 || die "'$bin' not found; run scripts/rgw/install.sh first"
done

mkdir -p "$1"
DATA="$(cd "$1" && pwd -P)"   # absolute path: it ends up in ceph.conf and daemon cmdlines
CONF="$DATA/ceph.conf"
RUN="$DATA/run"
LOGDIR="$DATA/log"
ENDPOINT="http://127.0.0.1:$RGW_PORT"

# Unix admin sockets are limited to 107 bytes; longest is run/client.rgw.a.asok
# (plus a few chars). Warn, don't fail: only the admin socket is affected.
if [ "${#RUN}" -gt 80 ]; then
  log "warning: data dir path is long; admin sockets under $RUN may fail to bind"
fi

print_env() {
  echo "MIC_RGW_ENDPOINT=$ENDPOINT"
  echo "MIC_RGW_ACCESS_KEY=$ACCESS_KEY"
  echo "MIC_RGW_SECRET_KEY=$SECRET_KEY"
}

# Signed S3 ListBuckets. curl >= 7.75 supports SigV4 natively, but (at least
# up to 7.88, Debian 12) does not send x-amz-content-sha256, which RGW needs
# to verify the signature -> SignatureDoesNotMatch unless we add it ourselves.
s3_signed_ok() {
  local code
  code="$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 \
            -H 'x-amz-content-sha256: UNSIGNED-PAYLOAD' \
            --aws-sigv4 "aws:amz:us-east-1:s3" --user "$ACCESS_KEY:$SECRET_KEY" \
            "$ENDPOINT/" 2>/dev/null || true)"
  [ "$code" = "200" ]
}

pid_alive() {   # pid is alive and not a zombie
  local pid="$1" state
  [ -n "$pid" ] && [ -r "/proc/$pid/stat" ] || return 1
  state="$(sed -E 's/^[0-9]+ \(.*\) ([A-Za-z]).*/\1/' "/proc/$pid/stat" 2>/dev/null || echo X)"
  [ "$state" != "Z" ] && [ "$state" != "X" ]
}

# Serialise concurrent start.sh runs for the same data dir (flock on the
# directory itself). fds 8 and 9 are closed for the daemons we launch, so they
# neither hold the lock nor keep the caller's stderr pipe open.
exec 9<"$DATA"
flock -n 9 || die "another start.sh is already running for $DATA"

# ---------------------------------------------------------------------------
# Existing directory: reuse a live instance, or clean up a dead one.
# ---------------------------------------------------------------------------
if [ -e "$DATA/$MARKER" ]; then
  if [ -f "$RUN/client.rgw.a.pid" ] && pid_alive "$(cat "$RUN/client.rgw.a.pid")" \
     && grep -qx "rgw_port=$RGW_PORT" "$DATA/$MARKER" && s3_signed_ok; then
    log "instance in $DATA already running on $ENDPOINT"
    print_env
    exit 0
  fi
  log "stale instance in $DATA; cleaning it up"
  # Keep the directory itself (we hold the lock on it), empty it.
  MIC_RGW_STOP_KEEP_DIR=1 "$(dirname "$0")/stop.sh" "$DATA" >&2 8>&- 9<&-
elif [ -n "$(ls -A "$DATA")" ]; then
  die "$DATA is not empty and was not created by $0; refusing to touch it"
fi

# Refuse to start if something already listens on our ports (e.g. another
# instance), instead of failing obscurely later.
port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
for p in "$RGW_PORT" "$MON_PORT"; do
  port_in_use "$p" && die "port $p on 127.0.0.1 is already in use"
done

mkdir -p "$RUN" "$LOGDIR" "$DATA/mon/a" "$DATA/osd/0" "$DATA/rgw" "$DATA/crash"
printf 'rgw_port=%s\nmon_port=%s\n' "$RGW_PORT" "$MON_PORT" > "$DATA/$MARKER"

FSID="$(cat /proc/sys/kernel/random/uuid)"   # fresh cluster id per instance

cat > "$CONF" <<EOF
# Generated by scripts/rgw/start.sh -- throwaway test cluster.
[global]
fsid = $FSID
mon_host = [v2:127.0.0.1:$MON_PORT]
mon_initial_members = a
public_addr = 127.0.0.1
cluster_addr = 127.0.0.1
public_network = 127.0.0.0/8
# msgr v2 only (one port per daemon). The OSD picks free ports itself in
# ms_bind_port_min..max (default 6800-7300), so concurrent instances don't
# collide -- but keep the rgw/mon ports of your tests out of that range.
ms_bind_msgr1 = false

# Keep every path inside the data dir (no /var/lib/ceph, /var/run/ceph, /etc/ceph).
run_dir = $RUN
admin_socket = $RUN/\$name.asok
pid_file = $RUN/\$name.pid
log_file = $LOGDIR/\$name.log
mon_cluster_log_file = $LOGDIR/cluster.log
crash_dir = $DATA/crash
mon_data = $DATA/mon/\$id
osd_data = $DATA/osd/\$id
rgw_data = $DATA/rgw
keyring = $DATA/keyring
log_to_stderr = false
err_to_stderr = true

# No cephx at all.
auth_cluster_required = none
auth_service_required = none
auth_client_required = none
auth_supported = none
# Gotcha: with auth=none every msgr2 connection mode must be crc, otherwise
# radosgw (and other clients) loop forever on the auth/session handshake.
ms_cluster_mode = crc
ms_service_mode = crc
ms_client_mode = crc
ms_mon_cluster_mode = crc
ms_mon_service_mode = crc
ms_mon_client_mode = crc

# Single OSD: replica count 1, tiny PG counts, no autoscaler (no mgr anyway).
osd_pool_default_size = 1
osd_pool_default_min_size = 1
osd_pool_default_pg_num = 8
osd_pool_default_pgp_num = 8
osd_pool_default_pg_autoscale_mode = off
osd_crush_chooseleaf_type = 0
mon_allow_pool_size_one = true
mon_warn_on_pool_no_redundancy = false
mon_max_pg_per_osd = 1000
# Speed: every pool create / "application enable" is an osdmap change, and
# the mon batches proposals for paxos_propose_interval (default 1 s). RGW
# makes ~12 of them on first start, so this alone saves ~10 s.
paxos_propose_interval = 0.01
paxos_min_wait = 0.001
# Don't shut the mon down if the disk holding the data dir is nearly full.
mon_data_avail_warn = 1
mon_data_avail_crit = 0

[mon]
mon_allow_pool_delete = true

[osd]
osd_objectstore = memstore
# Upper bound of in-RAM object data; memory is only used as data is written.
memstore_device_bytes = 1073741824
osd_max_object_size = 134217728

[client]
rgw_frontends = beast endpoint=127.0.0.1:$RGW_PORT
rgw_thread_pool_size = 64
rgw_enable_usage_log = false
EOF

CEPH=(ceph -c "$CONF" --connect-timeout 10)

START=$SECONDS
deadline_left() { echo $(( TIMEOUT_S - (SECONDS - START) )); }

# Kills every process of this instance: anything whose command line names our
# ceph.conf (covers daemons that have not written their pid file yet).
kill_instance() {
  local d pid
  for d in /proc/[0-9]*; do
    pid="${d#/proc/}"
    [ "$pid" != "$$" ] || continue
    if tr '\0' '\n' 2>/dev/null <"$d/cmdline" | grep -qxF -- "$CONF"; then
      kill -9 "$pid" 2>/dev/null || true
    fi
  done
}

# Unless we got to "ready", never leave half-started daemons behind, whatever
# the reason we exit (error, timeout, Ctrl-C, SIGTERM from CI, closed stdout).
READY=0
on_exit() {
  if [ "$READY" != 1 ]; then
    kill_instance
    log "start failed; daemons killed; logs kept in $LOGDIR (remove with: stop.sh $DATA)" || true
  fi
}
trap on_exit EXIT
trap 'exit 130' INT
trap 'exit 143' TERM HUP
trap '' PIPE   # a closed stdout/stderr must not kill us before on_exit runs

fail() {
  log "ERROR: $*" || true
  kill_instance   # first, so the logs below are final
  for f in "$LOGDIR"/setup.log "$LOGDIR"/mon.a.log "$LOGDIR"/osd.0.log "$LOGDIR"/client.rgw.a.log; do
    [ -f "$f" ] || continue
    { echo "----- tail $f -----"; tail -n 20 "$f"; } >&8 || true
  done
  exit 1
}

# Runs "$@" repeatedly (0.2 s apart) until it succeeds or the deadline passes.
wait_for() {
  local what="$1"; shift
  until "$@" >/dev/null 2>&1; do
    [ "$(deadline_left)" -gt 0 ] || fail "timed out after ${TIMEOUT_S}s waiting for $what"
    sleep 0.2
  done
}

# --- monitor ----------------------------------------------------------------
log "creating mon (fsid $FSID, port $MON_PORT)"
monmaptool --create --clobber --fsid "$FSID" --addv a "[v2:127.0.0.1:$MON_PORT]" \
  "$DATA/monmap" >>"$LOGDIR/setup.log" 2>&1 || fail "monmaptool failed"
ceph-mon -c "$CONF" --mkfs -i a --monmap "$DATA/monmap" \
  >>"$LOGDIR/setup.log" 2>&1 || fail "ceph-mon --mkfs failed"
ceph-mon -c "$CONF" -i a 8>&- 9<&- >>"$LOGDIR/setup.log" 2>&1 || fail "ceph-mon failed to start"
wait_for "monitor quorum" "${CEPH[@]}" mon stat

# --- OSD ----------------------------------------------------------------------
log "creating memstore osd"
OSD_UUID="$(cat /proc/sys/kernel/random/uuid)"
OSD_ID="$("${CEPH[@]}" osd new "$OSD_UUID" 2>>"$LOGDIR/setup.log")" || fail "ceph osd new failed"
[ "$OSD_ID" = "0" ] || fail "unexpected osd id '$OSD_ID'"
ceph-osd -c "$CONF" -i 0 --mkfs --osd-uuid "$OSD_UUID" \
  >>"$LOGDIR/setup.log" 2>&1 || fail "ceph-osd --mkfs failed"
ceph-osd -c "$CONF" -i 0 8>&- 9<&- >>"$LOGDIR/setup.log" 2>&1 || fail "ceph-osd failed to start"
# (no grep -q: it would exit early and, with pipefail, fail on ceph's EPIPE)
osd_up() { "${CEPH[@]}" osd dump 2>/dev/null | grep -E '^osd\.0 up +in' >/dev/null; }
wait_for "osd.0 up" osd_up

# --- RGW ------------------------------------------------------------------------
# radosgw creates its pools itself on first start.
log "starting radosgw on $ENDPOINT"
radosgw -c "$CONF" -n client.rgw.a 8>&- 9<&- >>"$LOGDIR/setup.log" 2>&1 || fail "radosgw failed to start"
rgw_http() { curl -s -o /dev/null --max-time 5 "$ENDPOINT/"; }
wait_for "radosgw HTTP on $ENDPOINT" rgw_http

log "creating S3 user"
radosgw-admin -c "$CONF" user create --uid=mic-test --display-name="MIC test" \
  --access-key="$ACCESS_KEY" --secret-key="$SECRET_KEY" \
  >>"$LOGDIR/setup.log" 2>&1 || fail "radosgw-admin user create failed"
# RGW caches users; the new user is usually visible immediately, but poll anyway.
wait_for "signed S3 request to succeed" s3_signed_ok

log "ready in $(( SECONDS - START ))s: $ENDPOINT (data dir $DATA)"
print_env
READY=1
