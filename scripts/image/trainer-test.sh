#!/usr/bin/env bash
# CI's trainer-image step: builds src/Trainer/Dockerfile (scripts/image/trainer-build.sh; CPU libtorch), runs the
# image's entry point with --help, then `retrain` once, on CPU, against a throwaway Ceph RGW (scripts/rgw/start.sh)
# with a tiny two-class dataset, and checks that its JSON summary says published and that models/latest.json exists.
# The container runs with buildah's chroot isolation, as the function's image test does (this machine's container
# runtime may not set rlimits), so it shares the host's network. Needs root, Ceph and the test assets.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
export PATH="$HOME/.pyenv/shims:$PATH"
start=$SECONDS
image="$(bash scripts/image/trainer-build.sh)"
echo "trainer image ready after $((SECONDS - start)) s" >&2
storage=(--storage-driver vfs)
ctr="$(buildah "${storage[@]}" from --pull=never "$image")"
read -r -a entrypoint <<<"$(buildah "${storage[@]}" inspect --format '{{range .OCIv1.Config.Entrypoint}}{{.}} {{end}}' "$image")"
in_image() { buildah "${storage[@]}" run --isolation chroot "${env[@]}" "$ctr" -- "${entrypoint[@]}" "$@"; }
env=()

help="$(in_image --help)"
grep -q "retrain" <<<"$help" || { echo "trainer-test: --help does not list retrain:" >&2; echo "$help" >&2; exit 1; }
echo "trainer image: --help lists retrain, submit and jobs" >&2

data="$(mktemp -d)"
port=$(( 20000 + RANDOM % 20000 ))
trap 'bash scripts/rgw/stop.sh "$data/rgw" >/dev/null 2>&1 || true; rm -rf "$data"; buildah "${storage[@]}" rm "$ctr" >/dev/null 2>&1 || true' EXIT
eval "$(bash scripts/rgw/start.sh "$data/rgw" "$port")"
export AWS_ACCESS_KEY_ID="$MIC_RGW_ACCESS_KEY" AWS_SECRET_ACCESS_KEY="$MIC_RGW_SECRET_KEY" AWS_DEFAULT_REGION=us-east-1
bucket="mic-trainer-image-test"
aws --endpoint-url "$MIC_RGW_ENDPOINT" s3 mb "s3://$bucket" >/dev/null
photos=".cache/test-assets/python3-skimage/usr/lib/python3/dist-packages/skimage/data"
for i in 1 2 3; do
  aws --endpoint-url "$MIC_RGW_ENDPOINT" s3 cp "$photos/chelsea.png" "s3://$bucket/datasets/tiny/cats/$i.png" >/dev/null
  aws --endpoint-url "$MIC_RGW_ENDPOINT" s3 cp "$photos/motorcycle_left.png" "s3://$bucket/datasets/tiny/bikes/$i.png" >/dev/null
done

set +e
env=(--env "AWS_ACCESS_KEY_ID=$AWS_ACCESS_KEY_ID" --env "AWS_SECRET_ACCESS_KEY=$AWS_SECRET_ACCESS_KEY" \
  --env AWS_BATCH_JOB_ID=ci-image --env AWS_BATCH_JOB_ATTEMPT=1)
output="$(in_image retrain --store "s3://$bucket" --dataset tiny --s3-service-url "$MIC_RGW_ENDPOINT" --image-size 32 --epochs 1 \
  --freeze-epochs 0 --batch-size 2 --valid-pct 0.34 --device cpu --max-accuracy-drop 100 2>&1)"
code=$?
set -e
echo "$output" | tail -15 >&2
summary="$(grep '^{"mic":"retrain-summary"' <<<"$output" | tail -1)"
if [ "$code" -ne 0 ] || ! grep -q '"outcome":"published"' <<<"$summary"; then
  echo "trainer-test: retrain in the container exited $code; summary: ${summary:-none}" >&2
  exit 1
fi
aws --endpoint-url "$MIC_RGW_ENDPOINT" s3 ls "s3://$bucket/models/latest.json" >/dev/null \
  || { echo "trainer-test: no models/latest.json after a publish" >&2; exit 1; }
echo "trainer image step: retrain in the container published to RGW; $((SECONDS - start)) s" >&2
