#!/usr/bin/env bash
# CI's container-image step (scripts/test.sh runs it after the other tests): builds the function's image from its
# Dockerfile with buildah (scripts/image/build.sh; the stand-in base images first, ~1-4 min, then the build itself,
# ~1-5 min), then runs it under a Lambda Runtime API with Ceph RGW (tests/ClassifierFunction.Tests, Category=Image,
# ~30 s). Extra arguments go to dotnet test. Needs the solution built (dotnet build -c Release Mic.sln) and root.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
start=$SECONDS
bash scripts/image/build.sh >/dev/null
echo "container image ready after $((SECONDS - start)) s" >&2
dotnet test tests/ClassifierFunction.Tests/ClassifierFunction.Tests.csproj -c Release --no-build --filter "Category=Image" "$@"
echo "container image step: $((SECONDS - start)) s" >&2
