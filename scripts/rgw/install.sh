#!/usr/bin/env bash
# Installs the Debian packages needed to run a throwaway single-node Ceph
# cluster with a RADOS Gateway (S3) for integration tests.
# Idempotent: does nothing if the radosgw binary is already present.
# Must run as root (or via sudo) on Debian/Ubuntu.
set -euo pipefail

if command -v radosgw >/dev/null 2>&1; then
  echo "radosgw already installed: $(command -v radosgw)" >&2
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  SUDO="sudo"
fi

# ceph-mon/ceph-osd provide the daemons, ceph-common the `ceph` CLI,
# radosgw provides both `radosgw` and `radosgw-admin`.
# Recommends are skipped: they pull in ceph-mgr/-mds, python stacks, etc.
PKGS=(radosgw ceph-mon ceph-osd ceph-common)

install_pkgs() {
  $SUDO env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y --no-install-recommends "${PKGS[@]}"
}

# Try without refreshing the index first (fast path on warm machines);
# fall back to apt-get update if the install fails (stale/missing lists).
if ! install_pkgs; then
  echo "apt-get install failed; running apt-get update and retrying" >&2
  $SUDO apt-get update
  install_pkgs
fi

command -v radosgw >/dev/null 2>&1 || { echo "radosgw still not found after install" >&2; exit 1; }
echo "radosgw installed: $(command -v radosgw)" >&2
