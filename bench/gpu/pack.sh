#!/usr/bin/env bash
# Packs what bench/gpu/cuda-check.sh needs on a GPU machine that has PyTorch but no .NET and no network, into .gpu/
# (in .gitignore): the .NET runtime, mic-train and Trainer.Bench (one folder: the bench's build holds the trainer) without
# their libtorch-cpu libraries (libtorch comes from the machine's PyTorch) and Fashion-MNIST's 10k test images. About
# 46 MB, under the device tool's 64 MiB.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
out="$root/.gpu"
build="$root/artifacts/gpu-app"
mkdir -p "$out"

bash scripts/test-assets.sh dataset-fashion-mnist
cp .cache/test-assets/dataset-fashion-mnist/usr/share/datasets/fashion-mnist/t10k-*-idx*-ubyte.gz "$out/"

rm -rf "$build"
dotnet build bench/Trainer.Bench -c Release -o "$build/full" >/dev/null
mkdir -p "$build/app/runtimes/linux-x64/native"
find "$build/full" -maxdepth 1 -type f ! -name '*.pdb' ! -name '*.xml' -exec cp {} "$build/app/" \;
for lib in libLibTorchSharp.so libonnxruntime.so libonnxruntime_providers_shared.so libSkiaSharp.so libHarfBuzzSharp.so; do
  cp "$build/full/runtimes/linux-x64/native/$lib" "$build/app/runtimes/linux-x64/native/"
done
tar -C "$build/app" -cf - . | xz -6 -T0 >"$out/app.tar.xz"

dotnet_root="$(dirname "$(readlink -f "$(command -v dotnet)")")"
fx=$(ls -d "$dotnet_root"/shared/Microsoft.NETCore.App/* | sort -V | tail -n 1)
tar -C "$dotnet_root" -cf - dotnet host "shared/Microsoft.NETCore.App/$(basename "$fx")" | xz -6 -T0 >"$out/dotnet.tar.xz"
du -ch "$out"/* | tail -n 1
