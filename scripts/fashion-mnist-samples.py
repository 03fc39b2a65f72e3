#!/usr/bin/env python3
"""Writes the first N images of Fashion-MNIST's official test set as PNG files named <index>-<label>.png.

Standard library only (gzip, zlib, struct): the quickstart uses these as photos to classify.
Usage: fashion-mnist-samples.py <dataset dir with t10k-*-ubyte.gz> <output dir> [N]
"""
import gzip
import os
import struct
import sys
import zlib

LABELS = ["t-shirt-top", "trouser", "pullover", "dress", "coat", "sandal", "shirt", "sneaker", "bag", "ankle-boot"]


def png(width, height, gray_rows):
    raw = b"".join(b"\x00" + row for row in gray_rows)

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)  # 8-bit grayscale
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


def main():
    source, output = sys.argv[1], sys.argv[2]
    count = int(sys.argv[3]) if len(sys.argv) > 3 else 10
    with gzip.open(os.path.join(source, "t10k-images-idx3-ubyte.gz")) as f:
        _, n, rows, cols = struct.unpack(">IIII", f.read(16))
        images = f.read(count * rows * cols)
    with gzip.open(os.path.join(source, "t10k-labels-idx1-ubyte.gz")) as f:
        f.read(8)
        labels = f.read(count)
    os.makedirs(output, exist_ok=True)
    for i in range(min(count, n)):
        pixels = images[i * rows * cols:(i + 1) * rows * cols]
        path = os.path.join(output, f"{i}-{LABELS[labels[i]]}.png")
        with open(path, "wb") as out:
            out.write(png(cols, rows, [pixels[r * cols:(r + 1) * cols] for r in range(rows)]))
        print(path)


if __name__ == "__main__":
    main()
