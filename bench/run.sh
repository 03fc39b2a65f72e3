#!/usr/bin/env bash
# MIC against the Node service a web developer would deploy instead (bench/peer: sharp + onnxruntime-node), side by
# side on this machine, in one run; rewrites the marked section of docs/benchmarks.md. Self-contained: builds MIC
# (Release, ReadyToRun), installs the peer's pinned npm packages, writes the int8 ResNet18 store and the four uploads,
# then measures (about 15 minutes on 2 cores).
#   bench/run.sh                       # needs: .NET 10 SDK, Node >= 20.9, hey; test assets (scripts/test-assets.sh)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
bench="$root/artifacts/bench"
doc="$root/docs/benchmarks.md"
command -v hey >/dev/null || { echo "bench/run.sh: hey is missing (apt-get install hey)" >&2; exit 2; }

echo "== building MIC (Release, ReadyToRun) and the benchmark tools" >&2
dotnet build -c Release src/ClassifierFunction/ClassifierFunction.csproj -nologo -v quiet >&2
dotnet build -c Release bench/Mic.Bench/Mic.Bench.csproj -nologo -v quiet >&2
[ -d node_modules/@vercel/fun ] || npm ci --no-audit --no-fund --loglevel=error >&2
# The peer's own lock file; install scripts off (onnxruntime-node's would only fetch GPU providers).
(cd bench/peer && npm ci --no-audit --no-fund --loglevel=error --ignore-scripts >&2)

if [ ! -f "$bench/store/models/latest.json" ]; then
  echo "== writing the int8 ResNet18 store and the uploads to $bench" >&2
  rm -rf "$bench"
  dotnet bench/Mic.Bench/bin/Release/net10.0/Mic.Bench.dll prepare "$bench" >&2
fi

echo "== side by side (servers, load, Lambda path)" >&2
section="$bench/side-by-side.md"
node bench/side-by-side.js "$bench" src/ClassifierFunction/bin/Release/net10.0 "$section" > "$bench/server-logs.txt"
echo "== allocation per classification" >&2
{
  echo
  echo 'Managed allocation per classification (Mic.Core'"'"'s ImageClassifier in process, the code a request runs; native'
  echo 'libvips and ONNX Runtime buffers are not counted here, peak RSS above covers them):'
  echo
  dotnet bench/Mic.Bench/bin/Release/net10.0/Mic.Bench.dll alloc "$bench/store" "$bench/inputs" 200
} >> "$section"

# Replace what lies between the markers in docs/benchmarks.md; everything else in the file is kept.
begin='<!-- bench/run.sh: begin -->'
end='<!-- bench/run.sh: end -->'
grep -qF "$begin" "$doc" || { echo "bench/run.sh: $doc has no '$begin' marker" >&2; exit 2; }
awk -v begin="$begin" -v end="$end" -v section="$section" '
  $0 == begin { print; while ((getline line < section) > 0) print line; skip = 1; next }
  $0 == end { skip = 0 }
  !skip { print }' "$doc" > "$doc.new"
mv "$doc.new" "$doc"
echo "== wrote $doc" >&2
