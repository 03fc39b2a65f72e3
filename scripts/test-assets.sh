#!/usr/bin/env bash
# Usage: scripts/test-assets.sh [package...]
# Unpacks the Debian packages that hold the tests' real data into .cache/test-assets/<package>/ (no install, no
# root needed beyond apt's cache): real photos (python3-skimage, mate-backgrounds), ONNX's backend test cases
# (libonnx-testdata) and Fashion-MNIST (dataset-fashion-mnist). Idempotent: a package already unpacked is skipped.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
assets="${MIC_TEST_ASSETS:-$root/.cache/test-assets}"
debs="$root/.cache/debs"
packages=(python3-skimage mate-backgrounds libonnx-testdata dataset-fashion-mnist)
# Arguments narrow it down, e.g. `scripts/test-assets.sh dataset-fashion-mnist` for the quickstart.
[ $# -gt 0 ] && packages=("$@")
mkdir -p "$assets" "$debs"

missing=()
for p in "${packages[@]}"; do
  [ -f "$assets/$p/.unpacked" ] || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

cd "$debs"
if ! apt-get download "${missing[@]}" >/dev/null 2>&1; then
  apt-get update -qq
  apt-get download "${missing[@]}"
fi
for p in "${missing[@]}"; do
  deb=$(ls -t "$debs/${p}"_*.deb | head -n 1)
  rm -rf "${assets:?}/$p"
  dpkg -x "$deb" "$assets/$p"
  touch "$assets/$p/.unpacked"
  echo "test-assets: unpacked $p" >&2
done
