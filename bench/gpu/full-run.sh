#!/usr/bin/env bash
# The full Fashion-MNIST benchmark recipe trained on a GPU machine with PyTorch (CUDA) but no .NET and no network.
# Its inputs are over the device tool's 64 MiB a call, so it runs as two calls on one warm machine:
#   bench/gpu/full-run.sh stage   (carry .gpu-a: .NET runtime, mic-train, Fashion-MNIST's training set)
#   bench/gpu/full-run.sh train   (carry .gpu-b: the offline ResNet18 backbone, Fashion-MNIST's test set)
# pack-full.sh makes both folders. The bundle (fp32 and int8) comes back to $OUT as a tar in 15 MB parts.
set -uo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
work=/tmp/mic-gpu
OUT="${OUT:-/tmp/full-run}"
mkdir -p "$OUT"
stamp() { echo "== $(date +%T) $*"; }

case "${1:-}" in
stage)
  rm -rf "$work" && mkdir -p "$work/dotnet" "$work/app" "$work/fashion-mnist"
  tar -C "$work/dotnet" -xJf .gpu-a/dotnet.tar.xz && tar -C "$work/app" -xJf .gpu-a/app.tar.xz || exit 1
  xz -dc .gpu-a/train-images-idx3-ubyte.xz | gzip -1 >"$work/fashion-mnist/train-images-idx3-ubyte.gz"
  cp .gpu-a/train-labels-idx1-ubyte.gz "$work/fashion-mnist/"
  ls -la "$work/fashion-mnist"
  stamp staged
  ;;
train)
  [ -x "$work/dotnet/dotnet" ] || { echo "not staged on this machine (it was given back between the calls)"; exit 1; }
  mkdir -p "$work/app/DnnImageModels/ResNet18Onnx"
  xz -dc .gpu-b/ResNet18.onnx.xz >"$work/app/DnnImageModels/ResNet18Onnx/ResNet18.onnx"
  cp .gpu-b/t10k-*-idx*-ubyte.gz "$work/fashion-mnist/"
  export DOTNET_ROOT="$work/dotnet" PATH="$work/dotnet:$PATH" DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
  LD_LIBRARY_PATH=${MIC_TORCH_LIB:-}
  [ -n "$LD_LIBRARY_PATH" ] || LD_LIBRARY_PATH=$(python3 -c 'import os, torch; print(os.path.join(os.path.dirname(torch.__file__), "lib"))')
  export LD_LIBRARY_PATH
  nvidia-smi --query-gpu=name,driver_version --format=csv,noheader
  stamp "train (timeout ${MIC_GPU_TIMEOUT:-420} s: SIGTERM stops after the batch and still writes the best epoch)"
  start=$(date +%s)
  # Run 4's recipe (docs/trainer.md) at 96 px, from ImageNet weights.
  timeout "${MIC_GPU_TIMEOUT:-420}" dotnet "$work/app/mic-train.dll" train -d "fashion-mnist:$work/fashion-mnist" -s 96 \
    --freeze-epochs 1 -e 12 --bs 64 --lr 2e-3 --lr-mult 3 --min-scale 0.75 --seed 42 --device cuda \
    -o "$work/run" --model-version fashion-mnist-96-e12-cuda >"$work/train.log" 2>&1
  echo "exit $? after $(( $(date +%s) - start )) s"
  grep -v "ETA" "$work/train.log" | grep -v "^[0-9:]*$" | tail -n 40
  cp "$work/train.log" "$work/run/" 2>/dev/null
  tar -C "$work" -cf - run | split -b 15000000 - "$OUT/run.tar.part-"
  ls -la "$OUT"
  stamp done
  ;;
*)
  echo "usage: $0 stage|train" >&2
  exit 1
  ;;
esac
