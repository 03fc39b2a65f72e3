// Decode → resize → infer, the way a Node developer would write it with sharp and onnxruntime-node, serving a MIC
// model bundle (manifest.json + model.onnx: uint8 [N, H, W, 3] RGB in, float [N, C] probabilities out) and answering
// with MIC's JSON contract (modelVersion, predictions, image, timings).
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const sharp = require('sharp');
const ort = require('onnxruntime-node');

// Same settings as MIC: libvips' operation cache off, libvips threads as MIC's (sharp's own default on glibc Linux
// without jemalloc is 1), ONNX Runtime with the same intra-op threads and spin-waiting off.
sharp.cache(false);
sharp.concurrency(Number(process.env.VIPS_CONCURRENCY || 1));

const ms = (from, to) => Math.round(Number(to - from) / 1e3) / 1e3;

/** The bundle named by <store>/models/latest.json, or a bundle folder itself. */
function bundleDirectory(location) {
  const latest = path.join(location, 'models', 'latest.json');
  if (fs.existsSync(latest)) {
    return path.join(location, 'models', JSON.parse(fs.readFileSync(latest, 'utf8')).version);
  }
  return location;
}

async function load(location, threads) {
  const directory = bundleDirectory(location);
  const manifest = JSON.parse(fs.readFileSync(path.join(directory, 'manifest.json'), 'utf8'));
  const session = await ort.InferenceSession.create(path.join(directory, manifest.model.file), {
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    extra: { session: { intra_op: { allow_spinning: '0' } } },
  });
  const { width, height } = manifest.input;
  const fit = manifest.input.resize === 'stretch' ? 'fill' : 'cover';
  await session.run({ pixels: new ort.Tensor('uint8', new Uint8Array(width * height * 3), [1, height, width, 3]) });

  async function classify(body, top) {
    const start = process.hrtime.bigint();
    const image = sharp(body, { failOn: 'error', limitInputPixels: 50_000_000 });
    const metadata = await image.metadata(); // header only, like MIC's decode step
    const decoded = process.hrtime.bigint();
    const { data, info } = await image
      .rotate() // EXIF orientation
      .flatten({ background: '#ffffff' })
      .resize(width, height, { fit, position: 'centre' })
      .removeAlpha()
      .toColourspace('srgb')
      .raw()
      .toBuffer({ resolveWithObject: true });
    const resized = process.hrtime.bigint();
    if (info.channels !== 3) throw new Error(`expected 3 channels, got ${info.channels}`);
    const output = await session.run({ pixels: new ort.Tensor('uint8', new Uint8Array(data.buffer, data.byteOffset, data.length), [1, height, width, 3]) });
    const inferred = process.hrtime.bigint();
    const probabilities = output.probabilities.data;
    const order = [...probabilities.keys()].sort((a, b) => probabilities[b] - probabilities[a] || a - b);
    return {
      modelVersion: manifest.version,
      predictions: order.slice(0, Math.min(top, order.length)).map((i) => ({ label: manifest.labels[i], probability: probabilities[i] })),
      image: { width: metadata.autoOrient?.width ?? metadata.width, height: metadata.autoOrient?.height ?? metadata.height, format: metadata.format },
      // As in MIC, pixels are decoded inside the resize step (shrink-on-load); decode is the header.
      timings: { decodeMs: ms(start, decoded), resizeMs: ms(decoded, resized), inferenceMs: ms(resized, inferred), totalMs: ms(start, inferred) },
    };
  }

  return { manifest, classify };
}

module.exports = { load };
