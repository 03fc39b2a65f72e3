#!/usr/bin/env bash
# The test command the README gives and CI runs: set up (idempotent), build, run every test project.
# Test fixtures start their own real servers (Ceph RGW, the Lambda Runtime API peer) on 127.0.0.1. With no arguments
# the container image is built and run as a last step (scripts/image/test.sh); arguments (e.g. --filter) go to dotnet
# test and leave that step out.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

bash scripts/setup.sh
dotnet build Mic.sln -c Release

results="$root/artifacts/test-results"
rm -rf "$results"
status=0
if [ $# -eq 0 ]; then
  # The whole suite: the container image's tests run in their own step below (building the image takes minutes).
  dotnet test Mic.sln -c Release --no-build --logger "console;verbosity=normal" --logger trx --results-directory "$results" \
    --filter "Category!=Image" || status=$?
  bash scripts/image/test.sh --logger "console;verbosity=normal" --logger trx --results-directory "$results" || status=$?
  bash scripts/image/trainer-test.sh || status=$?
else
  dotnet test Mic.sln -c Release --no-build --logger "console;verbosity=normal" --logger trx --results-directory "$results" "$@" || status=$?
fi

# One closing line over every test project, summed from the TRX files. CI keeps only the end of the log, so each failed
# test is named again just above that line, with the first lines of its message.
passed=0 failed=0 skipped=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*' "$trx")
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")
  f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  n=$(sed -n 's/.* notExecuted="\([0-9]*\)".*/\1/p' <<<"$counters")
  passed=$((passed + ${p:-0})) failed=$((failed + ${f:-0})) skipped=$((skipped + ${n:-0}))
  [ "${f:-0}" -eq 0 ] && continue
  # state 1: inside a failed result, before its message; state 2: inside the message.
  awk 'function text(s) { gsub(/&quot;/, "\"", s); gsub(/&apos;/, "\047", s); gsub(/&lt;/, "<", s); gsub(/&gt;/, ">", s); gsub(/&amp;/, "\\&", s); return s }
       /<UnitTestResult / && /outcome="Failed"/ { match($0, /testName="[^"]*"/); print "FAILED " text(substr($0, RSTART + 10, RLENGTH - 11)); lines = 0; state = 1 }
       state == 1 && /<Message>/ { state = 2 }
       state == 2 { last = /<\/Message>/; sub(/^ *<Message>/, "  "); sub(/<\/Message>.*/, ""); if (lines++ < 6) print text($0); if (last) state = 0 }' "$trx"
done
echo "$passed passed, $failed failed, $skipped skipped"
exit "$status"
