// Cold start and warm per-request latency of the published function, under the @vercel/fun Runtime API peer and
// on Kestrel, with the same model store and image.
//
//   node scripts/lambda/measure.js <publish-dir> <store-dir> <image> [runs=5] [warm=40] > /dev/null
//
// Cold: process start → first classification answered (fun: invoke of a new function instance; Kestrel: spawn,
// then POST /classify retried every 10 ms until it answers 200). Warm: sequential requests to the same process.
// The report goes to stderr (the function's own JSON log lines go to stdout).
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const http = require('node:http');
const { spawn } = require('node:child_process');
const { createFunction } = require('@vercel/fun');

const [publish, store, imagePath, runsText = '5', warmText = '40'] = process.argv.slice(2);
if (!publish || !store || !imagePath) {
  console.error('usage: node measure.js <publish-dir> <store-dir> <image> [runs] [warm]');
  process.exit(2);
}
const runs = Number(runsText);
const warm = Number(warmText);
const image = fs.readFileSync(imagePath);
const now = () => Number(process.hrtime.bigint()) / 1e6;
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
const fmt = (xs) => `median ${median(xs).toFixed(1)} ms (min ${Math.min(...xs).toFixed(1)}, max ${Math.max(...xs).toFixed(1)}, n=${xs.length})`;

function environment() {
  return {
    Mic__ModelStore: path.resolve(store),
    Mic__CacheDirectory: fs.mkdtempSync(path.join(os.tmpdir(), 'mic-measure-cache-')),
    Mic__PollIntervalSeconds: '300',
  };
}

const lambdaEvent = JSON.stringify({
  version: '2.0', routeKey: '$default', rawPath: '/classify', rawQueryString: '',
  headers: { 'content-type': 'image/jpeg' },
  requestContext: { http: { method: 'POST', path: '/classify', sourceIp: '203.0.113.7' }, stage: '$default' },
  body: image.toString('base64'), isBase64Encoded: true,
});

async function lambdaRun() {
  const fn = await createFunction({
    Code: { Directory: path.resolve(publish) }, Handler: 'bootstrap', Runtime: 'provided',
    MemorySize: 2048, Environment: { Variables: environment() },
  });
  const invoke = async () => {
    const result = await fn.invoke({ InvocationType: 'RequestResponse', Payload: lambdaEvent });
    const response = JSON.parse(result.Payload);
    if (result.FunctionError || response.statusCode !== 200) throw new Error(`lambda: ${result.Payload.slice(0, 500)}`);
    return JSON.parse(response.body).timings.totalMs;
  };
  try {
    const start = now();
    await invoke();
    const cold = now() - start;
    const latencies = []; const server = [];
    for (let i = 0; i < warm; i++) {
      const t = now();
      server.push(await invoke());
      latencies.push(now() - t);
    }
    return { cold, latencies, server };
  } finally {
    await fn.destroy();
  }
}

function post(port) {
  return new Promise((resolve, reject) => {
    const request = http.request({ host: '127.0.0.1', port, path: '/classify', method: 'POST',
      headers: { 'content-type': 'image/jpeg', 'content-length': image.length } }, (response) => {
      const chunks = [];
      response.on('data', (c) => chunks.push(c));
      response.on('end', () => resolve({ status: response.statusCode, body: Buffer.concat(chunks).toString() }));
    });
    request.on('error', reject);
    request.end(image);
  });
}

async function kestrelRun() {
  const port = 20000 + Math.floor(Math.random() * 20000);
  const start = now();
  const child = spawn(path.join(publish, 'ClassifierFunction'), ['--urls', `http://127.0.0.1:${port}`],
    { env: { ...process.env, ...environment(), Logging__LogLevel__Default: 'Warning' }, stdio: 'ignore' });
  const exited = new Promise((resolve) => child.on('exit', resolve));
  try {
    let cold;
    for (;;) {
      try {
        const r = await post(port);
        if (r.status === 200) { cold = now() - start; break; }
      } catch { /* not listening yet */ }
      if (now() - start > 60000) throw new Error('kestrel did not answer within 60 s');
      await new Promise((r) => setTimeout(r, 10));
    }
    const latencies = []; const server = [];
    for (let i = 0; i < warm; i++) {
      const t = now();
      const r = await post(port);
      latencies.push(now() - t);
      server.push(JSON.parse(r.body).timings.totalMs);
    }
    return { cold, latencies, server };
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
}

async function main() {
  const report = {};
  for (const [name, run] of [['lambda (fun)', lambdaRun], ['kestrel', kestrelRun]]) {
    const colds = []; const latencies = []; const server = [];
    for (let i = 0; i < runs; i++) {
      const r = await run();
      colds.push(r.cold); latencies.push(...r.latencies); server.push(...r.server);
    }
    report[name] = { colds, latencies, server };
    console.error(`${name}: cold start ${fmt(colds)}`);
    console.error(`${name}: warm request end to end ${fmt(latencies)}; classifier itself ${fmt(server)}`);
    report[name].outside = latencies.map((l, i) => l - server[i]);
    console.error(`${name}: warm time outside the classifier (end to end - timings.totalMs, per request) ${fmt(report[name].outside)}`);
  }
  // Per-request differences cancel the classifier's own noise on a busy machine.
  const overhead = median(report['lambda (fun)'].outside) - median(report['kestrel'].outside);
  console.error(`warm overhead of the Lambda path over Kestrel (difference of the medians outside the classifier): ${overhead.toFixed(1)} ms`);
}

main().catch((e) => { console.error(e); process.exit(1); });
