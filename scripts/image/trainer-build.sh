#!/usr/bin/env bash
# Builds src/Trainer/Dockerfile (the AWS Batch job's image; CPU libtorch) daemonless with buildah, as
# scripts/image/build.sh does for the function: context the repository root, the Dockerfile's own .dockerignore,
# the local stand-in base images of scripts/image/base-images.sh (the SDK stand-in serves as the runtime image too:
# it holds the .NET runtime), and this machine's NuGet cache mounted into the restore.
#
#   scripts/image/trainer-build.sh [IMAGE]     default localhost/mic-trainer:test; prints the image name
#
# Skips the build when IMAGE already holds exactly these sources (label mic.sources). Needs root.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
image="${1:-localhost/mic-trainer:test}"

bash scripts/image/base-images.sh >/dev/null
. scripts/image/sources.sh
sources="$(image_sources_hash global.json Directory.Build.props Directory.Packages.props .editorconfig \
  src/Mic.Core src/Mic.Quantization src/Mic.Onnx src/Mic.Aws src/Trainer)"
if image_is_current "$image" "$sources"; then
  echo "$image is up to date (sources $sources)" >&2
  echo "$image"
  exit 0
fi

mkdir -p "$HOME/.nuget/packages"
start=$SECONDS
buildah --storage-driver vfs bud --isolation chroot --pull=never \
  -f src/Trainer/Dockerfile --ignorefile src/Trainer/Dockerfile.dockerignore \
  --build-arg SDK_IMAGE=localhost/mic-build/dotnet-sdk:10.0 \
  --build-arg RUNTIME_IMAGE=localhost/mic-build/dotnet-sdk:10.0 \
  --volume "$HOME/.nuget/packages:/root/.nuget/packages" \
  --label "mic.sources=$sources" -t "$image" . >&2
echo "built $image in $((SECONDS - start)) s" >&2
echo "$image"
