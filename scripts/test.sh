#!/usr/bin/env bash
# The test command the README gives and CI runs: set up (idempotent), build, run every test project.
# Test fixtures start their own real servers (Ceph RGW, the Lambda Runtime API peer) on 127.0.0.1.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

bash scripts/setup.sh
dotnet build Mic.sln -c Release
dotnet test Mic.sln -c Release --no-build --logger "console;verbosity=normal" "$@"
