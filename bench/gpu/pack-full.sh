#!/usr/bin/env bash
# Makes .gpu-a and .gpu-b (in .gitignore) for bench/gpu/full-run.sh: each under the device tool's 64 MiB a call.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
bash bench/gpu/pack.sh >/dev/null
rm -rf .gpu-a .gpu-b && mkdir -p .gpu-a .gpu-b
fm=.cache/test-assets/dataset-fashion-mnist/usr/share/datasets/fashion-mnist
tar -C artifacts/gpu-app/app -cf - . | xz -9e -T0 >.gpu-a/app.tar.xz
dotnet_root="$(dirname "$(readlink -f "$(command -v dotnet)")")"
fx=$(ls -d "$dotnet_root"/shared/Microsoft.NETCore.App/* | sort -V | tail -n 1)
tar -C "$dotnet_root" -cf - dotnet host "shared/Microsoft.NETCore.App/$(basename "$fx")" | xz -9e -T0 >.gpu-a/dotnet.tar.xz
zcat "$fm/train-images-idx3-ubyte.gz" | xz -9e -T0 >.gpu-a/train-images-idx3-ubyte.xz
cp "$fm/train-labels-idx1-ubyte.gz" .gpu-a/
xz -9 -T0 -c artifacts/gpu-app/full/DnnImageModels/ResNet18Onnx/ResNet18.onnx >.gpu-b/ResNet18.onnx.xz
cp "$fm"/t10k-*-idx*-ubyte.gz .gpu-b/
du -cb .gpu-a | tail -n 1
du -cb .gpu-b | tail -n 1
