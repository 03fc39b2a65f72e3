#!/usr/bin/env bash
# On a GPU machine with PyTorch (CUDA) but no .NET: does mic-train train on CUDA, and how fast? Runs the packed
# mic-train (bench/gpu/pack.sh) against the machine's own libtorch, on Fashion-MNIST's 10k test images as a folder
# dataset, with torchvision's resnet18 (random weights) as the backbone; then PyTorch's own resnet18 training step at
# the same sizes for comparison, and Trainer.Bench's phase-by-phase step timing. Writes logs, manifests and reports to
# $OUT. docs/trainer.md, "GPU build".
# Usage: bench/gpu/cuda-check.sh [all|steps]   (steps: only the step timing and the PyTorch reference)
set -uo pipefail
what=${1:-all}
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
pack="$root/.gpu"
OUT="${OUT:-/tmp/cuda-check}"
work=/tmp/cuda-check-work
results="$work/results"
rm -rf "$work"
mkdir -p "$OUT" "$results" "$work/dotnet" "$work/app"
# Everything kept goes into one archive (the device tool brings back at most 8 files), also when a step fails.
trap 'tar -C "$results" -czf "$OUT/cuda-check.tgz" .' EXIT
step() { echo; echo "== $(date +%T) $*"; }

step unpack
tar -C "$work/dotnet" -xJf "$pack/dotnet.tar.xz" && tar -C "$work/app" -xJf "$pack/app.tar.xz" || exit 1
export DOTNET_ROOT="$work/dotnet" PATH="$work/dotnet:$PATH" DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
# MIC_TORCH_LIB: another libtorch folder (a dry run on a machine without PyTorch).
torchlib=${MIC_TORCH_LIB:-$(python3 -c 'import os, torch; print(os.path.join(os.path.dirname(torch.__file__), "lib"))')}
export LD_LIBRARY_PATH="$torchlib"
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader
python3 -c 'import torch; print("torch", torch.__version__, "cuda", torch.version.cuda, torch.cuda.get_device_name(0))'
dotnet --list-runtimes

step "libtorch symbols libLibTorchSharp.so (built for libtorch 2.10) needs and this libtorch lacks"
if command -v nm >/dev/null; then
  nm -D --undefined-only "$work/app/runtimes/linux-x64/native/libLibTorchSharp.so" | awk '{print $NF}' | sed 's/@.*//' | sort -u >"$work/need"
  nm -D --defined-only "$torchlib"/lib*.so* /lib/x86_64-linux-gnu/libstdc++.so.6 /lib/x86_64-linux-gnu/libc.so.6 \
    /lib/x86_64-linux-gnu/libm.so.6 /lib/x86_64-linux-gnu/libgcc_s.so.1 2>/dev/null | awk '{print $NF}' | sed 's/@.*//' | sort -u >"$work/have"
  comm -23 "$work/need" "$work/have" >"$results/missing-symbols.txt"
  echo "$(wc -l <"$work/need") needed, $(wc -l <"$results/missing-symbols.txt") missing"
  head -n 15 "$results/missing-symbols.txt" | c++filt
else
  echo "nm not found; skipped"
fi

step "data and backbone"
python3 bench/gpu/make_folders.py "$pack/t10k-images-idx3-ubyte.gz" "$pack/t10k-labels-idx1-ubyte.gz" "$work/fm"
python3 bench/gpu/export_resnet18.py "$work/resnet18.onnx"

train() { # NAME DEVICE SIZE BATCH FREEZE EPOCHS [more options]
  local name=$1 device=$2 size=$3 batch=$4 freeze=$5 epochs=$6
  shift 6
  step "mic-train $name: --device $device --image-size $size --batch-size $batch --freeze-epochs $freeze --epochs $epochs $*"
  timeout 150 dotnet "$work/app/mic-train.dll" train --data "$work/fm" --backbone "$work/resnet18.onnx" \
    --normalization imagenet --device "$device" --image-size "$size" --batch-size "$batch" --freeze-epochs "$freeze" \
    --epochs "$epochs" --valid-pct 0.2 --seed 1 --output "$work/$name" "$@" >"$results/$name.log" 2>&1
  echo "exit $?"
  grep -v "ETA" "$results/$name.log" | grep -v "^[0-9:]*$" | tail -n 20
  for f in manifest.json report.html int8/manifest.json; do
    [ -f "$work/$name/$f" ] && cp "$work/$name/$f" "$results/$name.${f//\//-}"
  done
}

if [ "$what" = all ]; then
  train cuda64 cuda 64 128 1 4
  train cuda224 cuda 224 128 0 1 --no-quantize
  train cpu64 cpu 64 128 0 1 --max-train 2000 --no-quantize
fi

for size in 64 224; do
  step "Trainer.Bench steps: ${size}px batch 128 on cuda"
  timeout 120 dotnet "$work/app/Trainer.Bench.dll" steps "$work/resnet18.onnx" "$size" 128 cuda 30 2>&1 | tee -a "$results/steps.txt"
done

step "PyTorch's own resnet18 training step, same sizes"
python3 bench/gpu/torch_reference.py 64 128 | tee "$results/torch-reference.txt"
python3 bench/gpu/torch_reference.py 224 128 | tee -a "$results/torch-reference.txt"
nvidia-smi --query-gpu=memory.used --format=csv,noheader
step done
