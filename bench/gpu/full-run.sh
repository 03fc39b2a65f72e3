#!/usr/bin/env bash
# The full Fashion-MNIST benchmark recipe trained on a GPU machine with PyTorch (CUDA) but no .NET and no network.
# Its inputs are over the device tool's 64 MiB a call, so it runs as two calls on one warm machine:
#   bench/gpu/full-run.sh stage              (carry .gpu-a: .NET runtime, mic-train, Fashion-MNIST's training set)
#   bench/gpu/full-run.sh train [SIZE...]    (carry .gpu-b: the offline ResNet18, Fashion-MNIST's test set; default 96)
# pack-full.sh makes both folders. Each size is one run of run 4's recipe (docs/trainer.md) from ImageNet weights; its
# log, manifests and report come back in $OUT/results.tgz and its int8 model as $OUT/run<SIZE>.int8.onnx.
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
  shift
  mkdir -p "$work/results"
  for size in "${@:-96}"; do
    stamp "train ${size} px (timeout ${MIC_GPU_TIMEOUT:-420} s: SIGTERM stops after the batch and still writes the best epoch)"
    start=$(date +%s)
    timeout "${MIC_GPU_TIMEOUT:-420}" dotnet "$work/app/mic-train.dll" train -d "fashion-mnist:$work/fashion-mnist" -s "$size" \
      --freeze-epochs 1 -e 12 --bs 64 --lr 2e-3 --lr-mult 3 --min-scale 0.75 --seed 42 --device cuda \
      -o "$work/run$size" --model-version "fashion-mnist-$size-e12-cuda" >"$work/results/run$size.log" 2>&1
    echo "exit $? after $(( $(date +%s) - start )) s"
    grep -v "ETA" "$work/results/run$size.log" | grep -v "^[0-9:]*$" | tail -n 30
    for f in manifest.json report.html int8/manifest.json; do
      [ -f "$work/run$size/$f" ] && cp "$work/run$size/$f" "$work/results/run$size.${f//\//-}"
    done
    [ -f "$work/run$size/int8/model.onnx" ] && cp "$work/run$size/int8/model.onnx" "$OUT/run$size.int8.onnx"
  done
  tar -C "$work/results" -czf "$OUT/results.tgz" .
  ls -la "$OUT"
  stamp done
  ;;
*)
  echo "usage: $0 stage | train [SIZE...]" >&2
  exit 1
  ;;
esac
