#!/usr/bin/env bash
# Builds src/ClassifierFunction/Dockerfile exactly as `sam build --use-buildkit` does (context: the repository root,
# the Dockerfile's own .dockerignore, no build arguments but the two base images), daemonless with buildah, on the
# local stand-ins of scripts/image/base-images.sh. The NuGet cache is mounted into the build so the restore reuses
# what this machine already has (it still reaches NuGet for the rest).
#
#   scripts/image/build.sh [IMAGE]     default localhost/mic-classifier:test; prints the image name
#
# Skips the build when IMAGE already holds exactly these sources (label mic.sources). Needs root.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
image="${1:-localhost/mic-classifier:test}"
storage=(--storage-driver vfs)

bash scripts/image/base-images.sh >/dev/null

# What the .dockerignore lets in, plus the Dockerfile: the image is rebuilt when any of it changes.
. scripts/image/sources.sh
sources="$(image_sources_hash global.json Directory.Build.props Directory.Packages.props .editorconfig src/Mic.Core src/ClassifierFunction)"
if image_is_current "$image" "$sources"; then
  echo "$image is up to date (sources $sources)" >&2
  echo "$image"
  exit 0
fi

# As sam build does: --platform from the function's Architectures; BUILDPLATFORM is what BuildKit sets by itself.
case "${MIC_IMAGE_ARCH:-$(uname -m)}" in
  x86_64|amd64) platform=linux/amd64 ;;
  aarch64|arm64) platform=linux/arm64 ;;
  *) echo "build.sh: unknown architecture ${MIC_IMAGE_ARCH:-$(uname -m)}" >&2; exit 1 ;;
esac
case "$(uname -m)" in aarch64) build_platform=linux/arm64 ;; *) build_platform=linux/amd64 ;; esac
mkdir -p "$HOME/.nuget/packages"
start=$SECONDS
buildah "${storage[@]}" bud --isolation chroot --pull=never --platform "$platform" --build-arg "BUILDPLATFORM=$build_platform" \
  -f src/ClassifierFunction/Dockerfile --ignorefile src/ClassifierFunction/Dockerfile.dockerignore \
  --build-arg SDK_IMAGE=localhost/mic-build/dotnet-sdk:10.0 \
  --build-arg LAMBDA_BASE_IMAGE=localhost/mic-build/lambda-provided:al2023 \
  --volume "$HOME/.nuget/packages:/root/.nuget/packages" \
  --label "mic.sources=$sources" -t "$image" . >&2
echo "built $image in $((SECONDS - start)) s" >&2
echo "$image"
