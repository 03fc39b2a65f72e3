#!/usr/bin/env bash
# The test command the README gives and CI runs: set up (idempotent), build, run every test project.
# Test fixtures start their own real servers (Ceph RGW, the Lambda Runtime API peer) on 127.0.0.1.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

bash scripts/setup.sh
dotnet build Mic.sln -c Release

results="$root/artifacts/test-results"
rm -rf "$results"
status=0
dotnet test Mic.sln -c Release --no-build --logger "console;verbosity=normal" --logger trx --results-directory "$results" "$@" || status=$?

# One closing line over every test project, summed from the TRX files.
passed=0 failed=0 skipped=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*' "$trx")
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")
  f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  n=$(sed -n 's/.* notExecuted="\([0-9]*\)".*/\1/p' <<<"$counters")
  passed=$((passed + ${p:-0})) failed=$((failed + ${f:-0})) skipped=$((skipped + ${n:-0}))
done
echo "$passed passed, $failed failed, $skipped skipped"
exit "$status"
