#!/usr/bin/env bash
# Builds the local stand-ins for the two base images src/ClassifierFunction/Dockerfile names, which cannot be pulled
# on the machines that build it in CI (no Docker Hub, MCR or ECR there), from Debian packages and this machine's SDK:
#   localhost/mic-build/dotnet-sdk:10.0        for mcr.microsoft.com/dotnet/sdk:10.0: Debian minbase + /usr/share/dotnet
#   localhost/mic-build/lambda-provided:al2023 for public.ecr.aws/lambda/provided:al2023: Debian minbase with the
#                                              same entry point, environment and folders, and a dnf stand-in
# Daemonless (debootstrap, podman import, buildah; vfs storage). Idempotent: existing stand-ins are kept unless
# MIC_IMAGE_REBUILD=1. About a minute (debootstrap ~40 s). Needs root.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
storage=(--storage-driver vfs)
minbase=localhost/mic-build/debian-minbase:bookworm
sdk=localhost/mic-build/dotnet-sdk:10.0
lambda=localhost/mic-build/lambda-provided:al2023

exists() { buildah "${storage[@]}" inspect --type image "$1" >/dev/null 2>&1; }
if [ "${MIC_IMAGE_REBUILD:-0}" != 1 ] && exists "$sdk" && exists "$lambda"; then
  echo "$sdk and $lambda are there (MIC_IMAGE_REBUILD=1 rebuilds them)" >&2
  exit 0
fi
for tool in debootstrap podman buildah; do
  command -v "$tool" >/dev/null || { echo "base-images.sh: $tool is missing (scripts/setup.sh installs it)" >&2; exit 1; }
done
dotnet_root="$(dirname "$(readlink -f "$(command -v dotnet)")")"
[ -x "$dotnet_root/dotnet" ] || { echo "base-images.sh: no .NET SDK found (dotnet on PATH)" >&2; exit 1; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
echo "== debootstrap minbase bookworm" >&2
start=$SECONDS
# libssl3 and ca-certificates: .NET's TLS (NuGet in the SDK stand-in, S3 in the function).
debootstrap --variant=minbase --include=libssl3,ca-certificates bookworm "$work/rootfs" \
  "${MIC_DEBIAN_MIRROR:-http://deb.debian.org/debian}" >"$work/debootstrap.log" 2>&1 \
  || { tail -20 "$work/debootstrap.log" >&2; exit 1; }
rm -rf "$work/rootfs/var/cache/apt/archives/"*.deb
tar -C "$work/rootfs" -c . | podman "${storage[@]}" import --quiet - "$minbase" >/dev/null

echo "== $sdk (SDK from $dotnet_root; debootstrap and import took $((SECONDS - start)) s)" >&2
ctr="$(buildah "${storage[@]}" from --pull=never "$minbase")"
buildah "${storage[@]}" copy "$ctr" "$dotnet_root" /usr/share/dotnet >/dev/null
# This machine's trust store, so the restore reaches NuGet through whatever TLS proxy this machine trusts.
buildah "${storage[@]}" copy "$ctr" /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/ca-certificates.crt >/dev/null
# And its NuGet sources, when it has its own (a mirror, say); without one the restore uses nuget.org, as in the real image.
if [ -f "$HOME/.nuget/NuGet/NuGet.Config" ]; then
  buildah "${storage[@]}" copy "$ctr" "$HOME/.nuget/NuGet/NuGet.Config" /root/.nuget/NuGet/NuGet.Config >/dev/null
fi
buildah "${storage[@]}" run --isolation chroot "$ctr" -- ln -sf /usr/share/dotnet/dotnet /usr/bin/dotnet
buildah "${storage[@]}" config --env DOTNET_ROOT=/usr/share/dotnet --env DOTNET_CLI_TELEMETRY_OPTOUT=1 --env DOTNET_NOLOGO=1 \
  --env DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1 --workingdir / "$ctr"
buildah "${storage[@]}" commit --quiet --rm "$ctr" "$sdk" >/dev/null

echo "== $lambda ($sdk took $((SECONDS - start)) s so far)" >&2
ctr="$(buildah "${storage[@]}" from --pull=never "$minbase")"
buildah "${storage[@]}" copy --chmod 755 "$ctr" "$here/lambda-entrypoint.sh" /lambda-entrypoint.sh >/dev/null
buildah "${storage[@]}" copy --chmod 755 "$ctr" "$here/dnf" /usr/bin/dnf >/dev/null
buildah "${storage[@]}" run --isolation chroot "$ctr" -- mkdir -p /var/task /var/runtime
buildah "${storage[@]}" config --env LAMBDA_TASK_ROOT=/var/task --env LAMBDA_RUNTIME_DIR=/var/runtime \
  --workingdir /var/task --entrypoint '["/lambda-entrypoint.sh"]' "$ctr"
buildah "${storage[@]}" commit --quiet --rm "$ctr" "$lambda" >/dev/null
echo "stand-ins built in $((SECONDS - start)) s" >&2
echo "$sdk"
echo "$lambda"
