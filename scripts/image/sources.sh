# Sourced by the image build scripts: is an image already built from exactly these sources?
#   image_sources_hash PATH...          a short hash over every file under the paths (bin/ and obj/ left out)
#   image_is_current IMAGE HASH         true when IMAGE exists with label mic.sources=HASH (buildah, vfs storage)
image_sources_hash() {
  { find "$@" -type f -not -path '*/bin/*' -not -path '*/obj/*' -print0 | sort -z | xargs -0 sha256sum; } | sha256sum | cut -c1-16
}

image_is_current() {
  [ "$(buildah --storage-driver vfs inspect --type image \
    --format '{{index .ImageAnnotations "mic.sources"}}{{index .OCIv1.Config.Labels "mic.sources"}}' "$1" 2>/dev/null)" = "$2" ]
}
