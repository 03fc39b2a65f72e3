"""Turns Fashion-MNIST IDX files (gzip) into a folder-per-class PNG dataset for `mic-train --data FOLDER`.

Usage: python3 make_folders.py IMAGES.gz LABELS.gz OUT_DIR"""
import gzip
import os
import sys

import numpy as np
from PIL import Image

CLASSES = ["t-shirt", "trouser", "pullover", "dress", "coat", "sandal", "shirt", "sneaker", "bag", "ankle-boot"]
images_path, labels_path, out = sys.argv[1:4]
with gzip.open(images_path) as f:
    images = np.frombuffer(f.read(), np.uint8, offset=16).reshape(-1, 28, 28)
with gzip.open(labels_path) as f:
    labels = np.frombuffer(f.read(), np.uint8, offset=8)
for name in CLASSES:
    os.makedirs(os.path.join(out, name), exist_ok=True)
for i, (image, label) in enumerate(zip(images, labels)):
    Image.fromarray(image).save(os.path.join(out, CLASSES[label], f"{i:05d}.png"))
print(f"{len(images)} images in {len(CLASSES)} folders under {out}")
