#!/usr/bin/env bash
# Makes a Ceph RGW bucket send its S3 event notifications for new objects under a prefix to an HTTP endpoint, as the
# stack's bucket sends them to its queue on AWS (RGW delivers them through an SNS-style topic with a push endpoint).
#
# Usage: scripts/rgw/notify.sh <rgw-endpoint> <bucket> <push-url> [<prefix>]     prefix default: uploads/
#
# Runs awscli (on PATH or in ~/.pyenv/shims) with its usual credentials, e.g. AWS_ACCESS_KEY_ID and
# AWS_SECRET_ACCESS_KEY of the RGW user that owns the bucket. Prints the topic's ARN.
set -euo pipefail
if [ $# -lt 3 ] || [ $# -gt 4 ]; then
  echo "usage: $0 <rgw-endpoint> <bucket> <push-url> [<prefix>]" >&2
  exit 2
fi
endpoint="$1" bucket="$2" push="$3" prefix="${4:-uploads/}"
aws="$(command -v aws || echo "$HOME/.pyenv/shims/aws")"
[ -x "$aws" ] || { echo "notify.sh: awscli (aws) not found on PATH or in ~/.pyenv/shims" >&2; exit 1; }
export AWS_DEFAULT_REGION="${AWS_DEFAULT_REGION:-us-east-1}"

topic="$("$aws" --endpoint-url "$endpoint" sns create-topic --name "$bucket-uploads" \
  --attributes "{\"push-endpoint\":\"$push\"}" --query TopicArn --output text)"
"$aws" --endpoint-url "$endpoint" s3api put-bucket-notification-configuration --bucket "$bucket" --notification-configuration \
  "{\"TopicConfigurations\":[{\"Id\":\"classify-uploads\",\"TopicArn\":\"$topic\",\"Events\":[\"s3:ObjectCreated:*\"],\"Filter\":{\"Key\":{\"FilterRules\":[{\"Name\":\"prefix\",\"Value\":\"$prefix\"}]}}}]}"
echo "$topic"
