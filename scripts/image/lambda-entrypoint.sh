#!/bin/sh
# Stand-in for the entry point of public.ecr.aws/lambda/provided:al2023, which cannot be pulled on the machines that
# build the image in CI (scripts/image/base-images.sh). It behaves as that one does: the handler name is the one
# argument, and with AWS_LAMBDA_RUNTIME_API set the runtime's bootstrap is run.
if [ $# -ne 1 ]; then
  echo "entrypoint requires the handler name to be the first argument" 1>&2
  exit 142
fi
export _HANDLER="$1"
if [ -z "${AWS_LAMBDA_RUNTIME_API}" ]; then
  # The real image starts its Runtime Interface Emulator here; this stand-in has none.
  echo "AWS_LAMBDA_RUNTIME_API is not set: run this image under a Lambda Runtime API" 1>&2
  exit 143
fi
exec "${LAMBDA_RUNTIME_DIR:-/var/runtime}/bootstrap"
