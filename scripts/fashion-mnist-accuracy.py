#!/usr/bin/env python3
"""Sends Fashion-MNIST's 10,000 test images, one request each, to a running classifier function and prints its top-1
accuracy: the figure for the model as it is served (int8, through the function's decode and resize).

Standard library only; each image is posted as the 28x28 grey PNG fashion-mnist-samples.py writes, or with `rgb` as
an RGB PNG with the grey value in R, G and B.
Usage: fashion-mnist-accuracy.py <dataset dir with t10k-*-ubyte.gz> [base URL, default http://127.0.0.1:5000] [N] [rgb]
"""
import gzip
import json
import os
import struct
import sys
import urllib.request
import zlib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
samples = __import__("fashion-mnist-samples")


def rgb_png(width, height, gray_rows):
    raw = b"".join(b"\x00" + bytes(v for p in row for v in (p, p, p)) for row in gray_rows)

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit RGB
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


def main():
    source = sys.argv[1]
    url = (sys.argv[2] if len(sys.argv) > 2 else "http://127.0.0.1:5000").rstrip("/") + "/classify?top=1"
    with gzip.open(os.path.join(source, "t10k-images-idx3-ubyte.gz")) as f:
        _, n, rows, cols = struct.unpack(">IIII", f.read(16))
        images = f.read()
    with gzip.open(os.path.join(source, "t10k-labels-idx1-ubyte.gz")) as f:
        f.read(8)
        labels = f.read()
    count = min(n, int(sys.argv[3])) if len(sys.argv) > 3 else n
    encode = rgb_png if len(sys.argv) > 4 and sys.argv[4] == "rgb" else samples.png
    right = 0
    for i in range(count):
        pixels = images[i * rows * cols:(i + 1) * rows * cols]
        body = encode(cols, rows, [pixels[r * cols:(r + 1) * cols] for r in range(rows)])
        request = urllib.request.Request(url, data=body, headers={"Content-Type": "image/png"})
        with urllib.request.urlopen(request) as response:
            answer = json.load(response)
        right += answer["predictions"][0]["label"] == samples.LABELS[labels[i]]
    kind = "RGB" if encode is rgb_png else "grey"
    print(f"{right}/{count} = {100.0 * right / count:.2f} % top-1 on Fashion-MNIST's test images ({kind} PNGs), model {answer['modelVersion']}")


if __name__ == "__main__":
    main()
