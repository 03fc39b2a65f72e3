#!/usr/bin/env bash
# Stops the test Ceph/RGW instance started by scripts/rgw/start.sh for
# <data-dir> and deletes <data-dir>.
#
# Usage: scripts/rgw/stop.sh <data-dir>
#
# Idempotent: a missing dir or already-dead daemons are fine.
# MIC_RGW_STOP_KEEP_DIR=1 empties <data-dir> instead of removing it.
# Only processes recorded in <data-dir>/run/*.pid, or whose command line
# references <data-dir>/ceph.conf, are killed -- never anything by name.
set -euo pipefail

MARKER=".mic-rgw"
log() { echo "[rgw-stop] $*" >&2; }

[ $# -eq 1 ] || { echo "usage: $0 <data-dir>" >&2; exit 2; }

if [ ! -d "$1" ]; then
  log "$1 does not exist; nothing to do"
  exit 0
fi
DATA="$(cd "$1" && pwd -P)"
CONF="$DATA/ceph.conf"

# Safety: only ever rm -rf a directory that start.sh created.
if [ "$DATA" = "/" ] || [ ! -e "$DATA/$MARKER" ]; then
  if [ -z "$(ls -A "$DATA")" ]; then
    rmdir "$DATA"; exit 0
  fi
  log "ERROR: $DATA was not created by start.sh (no $MARKER); refusing to delete it"
  exit 1
fi

pid_alive() {   # alive and not a zombie
  local state
  [ -r "/proc/$1/stat" ] || return 1
  state="$(sed -E 's/^[0-9]+ \(.*\) ([A-Za-z]).*/\1/' "/proc/$1/stat" 2>/dev/null || echo X)"
  [ "$state" != "Z" ] && [ "$state" != "X" ]
}

# Does pid $1 belong to this instance? (guards against pid reuse)
is_ours() {
  tr '\0' '\n' 2>/dev/null < "/proc/$1/cmdline" | grep -qxF -- "$CONF"
}

pids=()
for f in "$DATA"/run/*.pid; do
  [ -f "$f" ] || continue
  pid="$(cat "$f" 2>/dev/null || true)"
  [[ "$pid" =~ ^[0-9]+$ ]] && pid_alive "$pid" && is_ours "$pid" && pids+=("$pid")
done
# Safety net: daemons that died/were killed before writing their pid file,
# or a radosgw-admin/ceph CLI still hanging around for this instance.
for d in /proc/[0-9]*; do
  pid="${d#/proc/}"
  [ "$pid" != "$$" ] || continue
  if is_ours "$pid" && pid_alive "$pid"; then
    [[ " ${pids[*]-} " == *" $pid "* ]] || pids+=("$pid")
  fi
done

if [ "${#pids[@]}" -gt 0 ]; then
  log "killing ${pids[*]}"
  # SIGKILL straight away: the cluster is throwaway, and a graceful memstore
  # OSD shutdown would first serialise all object data to disk.
  kill -9 "${pids[@]}" 2>/dev/null || true
  for _ in $(seq 1 100); do   # wait up to 10 s for them to be gone
    left=()
    for pid in "${pids[@]}"; do pid_alive "$pid" && left+=("$pid"); done
    [ "${#left[@]}" -eq 0 ] && break
    sleep 0.1
  done
  if [ "${#left[@]}" -gt 0 ]; then
    log "ERROR: processes still alive: ${left[*]}"
    exit 1
  fi
fi

if [ "${MIC_RGW_STOP_KEEP_DIR:-0}" = "1" ]; then
  # Used by start.sh when recycling a stale dir: empty it but keep the inode
  # (start.sh holds an flock on it).
  find "$DATA" -mindepth 1 -maxdepth 1 -exec rm -rf {} +
  log "stopped and emptied $DATA"
else
  rm -rf "$DATA"
  log "stopped and removed $DATA"
fi
