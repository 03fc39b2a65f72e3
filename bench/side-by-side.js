// MIC and the Node peer (bench/peer) side by side on one machine, interleaved so both see the same noise.
// Run through bench/run.sh, which builds everything first; writes the markdown section for docs/benchmarks.md to
// <output> (stdout carries the functions' own logs on the Lambda path).
//   node bench/side-by-side.js <bench dir with store/ and inputs/> <MIC build dir> <output>
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const http = require('node:http');
const { spawn, execFileSync } = require('node:child_process');

const [benchDir, micDir, output] = process.argv.slice(2).map((p) => path.resolve(p));
const startLoad = os.loadavg()[0].toFixed(1); // the machine's load when the run began, printed with the table
const root = path.resolve(__dirname, '..');
const { createFunction } = require(path.join(root, 'node_modules', '@vercel', 'fun'));
const store = path.join(benchDir, 'store');
const inputs = [
  ['JPEG 640x480', 'jpeg-640x480.jpg', 'image/jpeg'],
  ['JPEG 4032x3024 (phone)', 'jpeg-4032x3024.jpg', 'image/jpeg'],
  ['PNG 1600x1200', 'png-1600x1200.png', 'image/png'],
  ['WebP 2560x1600', 'webp-2560x1600.webp', 'image/webp'],
].map(([name, file, type]) => ({ name, file, type, body: fs.readFileSync(path.join(benchDir, 'inputs', file)) }));
const phone = inputs[1];
const small = inputs[0];
const THREADS = '2';
const HEY_SECONDS = Number(process.env.BENCH_HEY_SECONDS || 10);
const SEQUENTIAL = Number(process.env.BENCH_SEQUENTIAL || 60);
const COLD_RUNS = Number(process.env.BENCH_COLD_RUNS || 5);
const LOAD_SECONDS = Number(process.env.BENCH_LOAD_SECONDS || 60);
// AWS Lambda list prices, us-east-1, first tier (checked 2026-12-03): duration per GB-second and requests.
const PRICE = { x86_64: 0.0000166667, arm64: 0.0000133334, perMillionRequests: 0.20 };
const MEMORY_MB = 2048; // template.yaml's MemorySize default

const now = () => Number(process.hrtime.bigint()) / 1e6;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const quantile = (xs, q) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor(q * s.length))]; };
const median = (xs) => quantile(xs, 0.5);
const f1 = (x) => (x >= 100 ? x.toFixed(0) : x.toFixed(1));
const ratio = (mic, peer, lowerIsBetter = true) => {
  const r = mic / peer;
  const better = lowerIsBetter ? r <= 1 : r >= 1;
  return `${r.toFixed(2)}${better ? '' : ' ⚠'}`;
};
const log = (...a) => console.error(`[${new Date().toISOString().slice(11, 19)}]`, ...a);

function environment() {
  return {
    Mic__ModelStore: store,
    Mic__CacheDirectory: fs.mkdtempSync(path.join(os.tmpdir(), 'mic-bench-cache-')),
    Mic__PollIntervalSeconds: '300',
    Mic__IntraOpThreads: THREADS,
    Logging__LogLevel__Default: 'Warning',
  };
}

const servers = {
  mic: (port) => spawn(path.join(micDir, 'ClassifierFunction'), ['--urls', `http://127.0.0.1:${port}`],
    { env: { ...process.env, ...environment() }, stdio: ['ignore', 'ignore', 'inherit'] }),
  peer: (port) => spawn(process.execPath, [path.join(__dirname, 'peer', 'server.js'), store, String(port), THREADS],
    { stdio: ['ignore', 'ignore', 'inherit'] }),
};

function post(port, input) {
  return new Promise((resolve, reject) => {
    const request = http.request({ host: '127.0.0.1', port, path: '/classify', method: 'POST', agent: false,
      headers: { 'content-type': input.type, 'content-length': input.body.length } }, (response) => {
      const chunks = [];
      response.on('data', (c) => chunks.push(c));
      response.on('end', () => resolve({ status: response.statusCode, body: Buffer.concat(chunks).toString() }));
    });
    request.on('error', reject);
    request.end(input.body);
  });
}

function memory(pid) {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key) => Number(status.match(new RegExp(`${key}:\\s+(\\d+)`))[1]);
  return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
}

async function start(kind, port) {
  const t0 = now();
  const child = servers[kind](port);
  const exited = new Promise((resolve) => child.on('exit', resolve));
  for (;;) {
    try {
      const r = await post(port, small);
      if (r.status === 200) break;
    } catch { /* not listening yet */ }
    if (child.exitCode !== null) throw new Error(`${kind} exited with ${child.exitCode}`);
    if (now() - t0 > 60000) throw new Error(`${kind} did not answer within 60 s`);
    await sleep(5);
  }
  const cold = now() - t0;
  return { child, cold, port, stop: async () => { child.kill('SIGTERM'); await exited; } };
}

async function sequential(server, input, n) {
  const e2e = []; const stage = { decode: [], resize: [], inference: [] };
  for (let i = 0; i < n; i++) {
    const t = now();
    const r = await post(server.port, input);
    e2e.push(now() - t);
    if (r.status !== 200) throw new Error(`status ${r.status}: ${r.body.slice(0, 300)}`);
    const { timings } = JSON.parse(r.body);
    stage.decode.push(timings.decodeMs + timings.resizeMs); // both decode pixels inside the resize step
    stage.inference.push(timings.inferenceMs);
  }
  return { e2e, decode: stage.decode, inference: stage.inference };
}

async function hey(port, input, clients, seconds) {
  const file = path.join(os.tmpdir(), `mic-bench-${input.file}`);
  fs.writeFileSync(file, input.body);
  const child = spawn('hey', ['-z', `${seconds}s`, '-c', String(clients), '-m', 'POST', '-T', input.type, '-D', file,
    '-t', '60', '-o', 'csv', `http://127.0.0.1:${port}/classify`], { stdio: ['ignore', 'pipe', 'inherit'] });
  const chunks = [];
  child.stdout.on('data', (c) => chunks.push(c));
  const code = await new Promise((resolve) => child.on('exit', resolve));
  if (code !== 0) throw new Error(`hey exited with ${code}`);
  const rows = Buffer.concat(chunks).toString().trim().split('\n').slice(1).map((l) => l.split(','));
  const latencies = rows.map((r) => Number(r[0]) * 1000);
  const statuses = {};
  for (const r of rows) statuses[r[6]] = (statuses[r[6]] || 0) + 1;
  return { rps: rows.length / seconds, latencies, statuses };
}

async function lambdaCold(kind, n) {
  const code = kind === 'mic'
    ? { Code: { Directory: micDir }, Handler: 'bootstrap', Runtime: 'provided', Environment: { Variables: environment() } }
    : { Code: { Directory: path.join(__dirname, 'peer') }, Handler: 'lambda.handler', Runtime: 'nodejs',
      Environment: { Variables: { MIC_PEER_STORE: store, MIC_PEER_THREADS: THREADS } } };
  const event = (input) => JSON.stringify({
    version: '2.0', routeKey: '$default', rawPath: '/classify', rawQueryString: '',
    headers: { 'content-type': input.type },
    requestContext: { http: { method: 'POST', path: '/classify', sourceIp: '203.0.113.7' }, stage: '$default' },
    body: input.body.toString('base64'), isBase64Encoded: true,
  });
  const fn = await createFunction({ ...code, MemorySize: MEMORY_MB });
  try {
    const invoke = async (input) => {
      const t = now();
      const result = await fn.invoke({ InvocationType: 'RequestResponse', Payload: event(input) });
      const ms = now() - t;
      const response = JSON.parse(result.Payload);
      if (result.FunctionError || response.statusCode !== 200) throw new Error(`${kind} lambda: ${String(result.Payload).slice(0, 300)}`);
      return ms;
    };
    const cold = await invoke(small);
    const warm = {};
    for (const input of inputs) {
      warm[input.file] = [];
      for (let i = 0; i < n; i++) warm[input.file].push(await invoke(input));
    }
    return { cold, warm };
  } finally {
    await fn.destroy();
  }
}

async function loadRun(server, seconds) {
  let peak = 0;
  const sampler = setInterval(() => { try { peak = Math.max(peak, memory(server.child.pid).rss); } catch { /* exited */ } }, 250);
  const result = await hey(server.port, phone, 16, seconds);
  clearInterval(sampler);
  return { ...result, peakRss: Math.max(peak, memory(server.child.pid).peak) };
}

async function main() {
  const report = { cold: { mic: [], peer: [] }, lambda: { mic: [], peer: [] }, rows: [] };
  log(`cold start locally, ${COLD_RUNS} runs each`);
  for (let i = 0; i < COLD_RUNS; i++) {
    for (const kind of i % 2 ? ['peer', 'mic'] : ['mic', 'peer']) {
      const s = await start(kind, 21000 + i * 2 + (kind === 'mic' ? 0 : 1));
      report.cold[kind].push(s.cold);
      await s.stop();
    }
  }

  const mic = await start('mic', 22000);
  const peer = await start('peer', 22001);
  const pair = { mic, peer };
  for (const input of inputs) report.rows.push({ input, mic: {}, peer: {} });
  for (const [k, input] of inputs.entries()) {
    const order = k % 2 ? ['peer', 'mic'] : ['mic', 'peer'];
    const row = report.rows[k];
    log(`${input.name}: sequential ${SEQUENTIAL} requests, then hey ${HEY_SECONDS} s at 1 and 4 clients`);
    for (const kind of order) row[kind].seq = await sequential(pair[kind], input, SEQUENTIAL);
    for (const kind of [...order].reverse()) row[kind].c1 = await hey(pair[kind].port, input, 1, HEY_SECONDS);
    for (const kind of order) row[kind].c4 = await hey(pair[kind].port, input, 4, HEY_SECONDS);
  }
  report.memory = { mic: memory(mic.child.pid), peer: memory(peer.child.pid) };

  log(`${LOAD_SECONDS} s at 16 clients with the phone JPEG`);
  report.load = { mic: await loadRun(mic, LOAD_SECONDS), peer: await loadRun(peer, LOAD_SECONDS) };
  await mic.stop();
  await peer.stop();

  log('Lambda path (@vercel/fun Runtime API): cold start, then 20 warm invocations per input');
  for (let i = 0; i < 3; i++) {
    for (const kind of i % 2 ? ['peer', 'mic'] : ['mic', 'peer']) report.lambda[kind].push(await lambdaCold(kind, i === 0 ? 20 : 0));
  }
  fs.writeFileSync(output, render(report));
}

function render(r) {
  const cpu = execFileSync('sh', ['-c', "lscpu | grep 'Model name' | sed 's/Model name:[ ]*//'"]).toString().trim();
  const lines = [];
  const add = (s = '') => lines.push(s);
  add(`Measured ${new Date().toISOString().slice(0, 10)} on ${cpu} (${os.cpus().length} logical cores), load average ${startLoad} at the start;`);
  add(`.NET ${execFileSync('dotnet', ['--version']).toString().trim()} SDK, Node ${process.version}. Both servers: the int8 ResNet18-224 bundle, ONNX Runtime`);
  add(`with ${THREADS} intra-op threads and spin-waiting off, one libvips thread per pipeline, operation cache off. Ratios are MIC / peer:`);
  add('below 1 is MIC faster or smaller (for throughput, above 1 is MIC better); ⚠ marks a row where MIC is behind.');
  add();
  add('| input | bytes | stage / measure | MIC p50 | MIC p99 | peer p50 | peer p99 | MIC / peer (p50) |');
  add('|---|---|---|---|---|---|---|---|');
  for (const row of r.rows) {
    const { input, mic, peer } = row;
    const stat = (name, a, b) => add(`| ${input.name} | ${input.body.length.toLocaleString('en')} | ${name} | ${f1(median(a))} | ${f1(quantile(a, 0.99))} | ${f1(median(b))} | ${f1(quantile(b, 0.99))} | ${ratio(median(a), median(b))} |`);
    stat('decode + resize ms', mic.seq.decode, peer.seq.decode);
    stat('inference ms', mic.seq.inference, peer.seq.inference);
    stat('end to end ms, 1 client', mic.seq.e2e, peer.seq.e2e);
    stat('end to end ms, 4 clients', mic.c4.latencies, peer.c4.latencies);
    add(`| ${input.name} | | throughput req/s, 1 client | ${mic.c1.rps.toFixed(1)} | | ${peer.c1.rps.toFixed(1)} | | ${ratio(mic.c1.rps, peer.c1.rps, false)} |`);
    add(`| ${input.name} | | throughput req/s, 4 clients | ${mic.c4.rps.toFixed(1)} | | ${peer.c4.rps.toFixed(1)} | | ${ratio(mic.c4.rps, peer.c4.rps, false)} |`);
  }
  add();
  const cold = (a, b) => `${f1(median(a))} ms (${f1(Math.min(...a))}–${f1(Math.max(...a))}) | ${f1(median(b))} ms (${f1(Math.min(...b))}–${f1(Math.max(...b))}) | ${ratio(median(a), median(b))}`;
  const lambdaCold = (kind) => r.lambda[kind].map((x) => x.cold);
  add('| start-up and memory | MIC | peer | MIC / peer |');
  add('|---|---|---|---|');
  add(`| process start → first answer, Kestrel / node http (median, range, ${r.cold.mic.length} runs) | ${cold(r.cold.mic, r.cold.peer)} |`);
  add(`| first invocation of a new function → answer, Lambda path (@vercel/fun, ${r.lambda.mic.length} runs) | ${cold(lambdaCold('mic'), lambdaCold('peer'))} |`);
  add(`| peak RSS after the runs above | ${r.memory.mic.peak.toFixed(0)} MB | ${r.memory.peer.peak.toFixed(0)} MB | ${ratio(r.memory.mic.peak, r.memory.peer.peak)} |`);
  add();
  add(`Cost per million classifications on Lambda at ${MEMORY_MB} MB (template.yaml's default), from the median warm invocation on the`);
  add(`Lambda path (20 invocations per input; includes base64 and event translation) at $${PRICE.x86_64}/GB-s (x86_64) and`);
  add(`$${PRICE.arm64}/GB-s (arm64) plus $${PRICE.perMillionRequests.toFixed(2)} per million requests (AWS list prices, us-east-1, checked 2026-12-03). Lambda gives`);
  add('2048 MB about 1.2 vCPUs, this machine has 2 cores: the durations, and so the costs, are this machine\'s.');
  add();
  add('| input | MIC ms | peer ms | MIC $ x86_64 / arm64 | peer $ x86_64 / arm64 | MIC / peer |');
  add('|---|---|---|---|---|---|');
  const cost = (ms, price) => (Math.ceil(ms) / 1000) * (MEMORY_MB / 1024) * price * 1e6 + PRICE.perMillionRequests;
  for (const input of inputs) {
    const a = median(r.lambda.mic[0].warm[input.file]); const b = median(r.lambda.peer[0].warm[input.file]);
    add(`| ${input.name} | ${f1(a)} | ${f1(b)} | ${cost(a, PRICE.x86_64).toFixed(2)} / ${cost(a, PRICE.arm64).toFixed(2)} | ${cost(b, PRICE.x86_64).toFixed(2)} / ${cost(b, PRICE.arm64).toFixed(2)} | ${ratio(cost(a, PRICE.x86_64), cost(b, PRICE.x86_64))} |`);
  }
  add();
  add(`${LOAD_SECONDS} s at 16 clients, phone JPEG (hey; MIC's concurrency limit queues, then answers 503 with Retry-After):`);
  add();
  add('| server | requests | status codes | p50 ms | p99 ms | req/s | peak RSS during the run |');
  add('|---|---|---|---|---|---|---|');
  for (const kind of ['mic', 'peer']) {
    const l = r.load[kind];
    const codes = Object.entries(l.statuses).map(([c, n]) => `${c}: ${n}`).join(', ');
    add(`| ${kind === 'mic' ? 'MIC' : 'peer'} | ${l.latencies.length} | ${codes} | ${f1(median(l.latencies))} | ${f1(quantile(l.latencies, 0.99))} | ${l.rps.toFixed(1)} | ${l.peakRss.toFixed(0)} MB |`);
  }
  add();
  return lines.join('\n') + '\n';
}

main().catch((e) => { console.error(e); process.exit(1); });
