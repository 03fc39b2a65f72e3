#!/usr/bin/env bash
# Installs everything MIC's tests need on a fresh Debian/Ubuntu machine with the .NET 10 SDK: Ceph RGW (a real S3
# server), Node packages for the test peers, and the Debian packages holding the tests' real data. Idempotent.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

bash scripts/rgw/install.sh
# Debian's Chromium for the page's browser tests (Playwright drives it; it never downloads a browser of its own).
if ! command -v chromium >/dev/null 2>&1; then
  apt-get install -y -q --no-install-recommends chromium || { apt-get update -qq && apt-get install -y -q --no-install-recommends chromium; }
fi
# Daemonless container tools for building and running the function's image (scripts/image/).
if ! command -v buildah >/dev/null 2>&1 || ! command -v podman >/dev/null 2>&1 || ! command -v debootstrap >/dev/null 2>&1; then
  packages=(buildah podman debootstrap)
  apt-get install -y -q --no-install-recommends "${packages[@]}" || { apt-get update -qq && apt-get install -y -q --no-install-recommends "${packages[@]}"; }
fi
bash scripts/test-assets.sh
if [ -f package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
