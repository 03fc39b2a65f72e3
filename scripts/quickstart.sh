#!/usr/bin/env bash
# MIC's main job on your machine, no AWS account needed. The first run trains a default model from Fashion-MNIST
# (Debian package dataset-fashion-mnist: real labelled photos of clothing, 10 classes) at a small image size,
# quantizes it to int8, and publishes it to a local model store; every run then serves the classifier API and the
# upload page. Later runs reuse the published model and start in seconds.
# The recipe (18,000 training images at 32 px, batches of 128, 1 frozen + 3 unfrozen epochs, base rate 4e-3, the body
# at base/3) is
# checked on 4,500 validation images held out of Fashion-MNIST's training images; its test-set accuracy and how long it
# takes are in docs/experiments.md ("The quickstart's model").
#
#   scripts/quickstart.sh                 # store: ./store, URL: http://127.0.0.1:5000
#   MIC_STORE=/srv/mic MIC_PORT=8080 scripts/quickstart.sh
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
store="${MIC_STORE:-$root/store}"
port="${MIC_PORT:-5000}"
data="$root/.cache/test-assets/dataset-fashion-mnist/usr/share/datasets/fashion-mnist"
samples="$root/artifacts/samples"

echo "== building (Release)"
dotnet build -c Release src/Trainer/Trainer.csproj -v quiet -nologo
dotnet build -c Release src/ClassifierFunction/ClassifierFunction.csproj -v quiet -nologo

bash scripts/test-assets.sh dataset-fashion-mnist
python3 scripts/fashion-mnist-samples.py "$data" "$samples" 10 >/dev/null

if [ ! -f "$store/models/latest.json" ]; then
  echo "== no model in $store yet: training the default Fashion-MNIST model (a few minutes on 2 cores)"
  src/Trainer/bin/Release/net10.0/mic-train train \
    --data "fashion-mnist-train:$data" --image-size 32 --batch-size 128 --max-train 18000 \
    --freeze-epochs 1 --epochs 3 --lr 4e-3 --lr-mult 3 \
    --output "$root/artifacts/quickstart-model" --publish "$store" \
    --model-version "fashion-mnist-$(date -u +%Y%m%d-%H%M%S)"
fi

sample=$(ls "$samples"/0-*.png)
cat <<TXT

== serving $store on http://127.0.0.1:$port  (Ctrl+C stops)
   page:     http://127.0.0.1:$port/
   classify: curl -s -H 'Content-Type: image/png' --data-binary @$sample http://127.0.0.1:$port/classify
   model:    curl -s http://127.0.0.1:$port/model
   report:   $root/artifacts/quickstart-model/report.html

TXT
exec dotnet src/ClassifierFunction/bin/Release/net10.0/ClassifierFunction.dll --model-store "$store" --urls "http://127.0.0.1:$port"
