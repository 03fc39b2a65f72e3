// Peak RSS of MIC's server under growing load, for comparing memory settings (docs/benchmarks.md, "Start-up and
// memory"). Needs bench/run.sh's artifacts/bench (store and uploads). Extra environment variables for the server
// come as JSON, e.g. '{"DOTNET_gcServer":"1"}'.
//   node bench/memory-probe.js <MIC build dir> [env JSON]
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const http = require('node:http');
const { spawn } = require('node:child_process');

const [micDir, envJson = '{}'] = process.argv.slice(2);
const bench = path.resolve(__dirname, '..', 'artifacts', 'bench');
const uploads = ['jpeg-4032x3024.jpg', 'png-1600x1200.png', 'webp-2560x1600.webp', 'jpeg-640x480.jpg']
  .map((f) => fs.readFileSync(path.join(bench, 'inputs', f)));

const post = (port, body) => new Promise((resolve, reject) => {
  const request = http.request({ host: '127.0.0.1', port, path: '/classify', method: 'POST', agent: false,
    headers: { 'content-type': 'application/octet-stream', 'content-length': body.length } }, (response) => {
    response.resume();
    response.on('end', () => resolve(response.statusCode));
  });
  request.on('error', reject);
  request.end(body);
});

async function main() {
  const port = 24000 + Math.floor(Math.random() * 1000);
  const server = spawn(path.join(micDir, 'ClassifierFunction'), ['--urls', `http://127.0.0.1:${port}`], {
    env: { ...process.env, Mic__ModelStore: path.join(bench, 'store'), Mic__IntraOpThreads: '2',
      Mic__CacheDirectory: fs.mkdtempSync(path.join(os.tmpdir(), 'mic-probe-')), Logging__LogLevel__Default: 'Warning',
      ...JSON.parse(envJson) },
    stdio: 'ignore',
  });
  for (let started = Date.now(); ; await new Promise((r) => setTimeout(r, 20))) {
    try { if (await post(port, uploads[3]) === 200) break; } catch { /* not yet */ }
    if (Date.now() - started > 60000) throw new Error('the server did not answer within 60 s');
  }
  const peak = () => Number(fs.readFileSync(`/proc/${server.pid}/status`, 'utf8').match(/VmHWM:\s+(\d+)/)[1]) / 1024;
  const steps = [['started', peak()]];
  for (const body of uploads) for (let i = 0; i < 10; i++) await post(port, body);
  steps.push(['1 client, 40 uploads', peak()]);
  for (const body of uploads) for (let i = 0; i < 5; i++) await Promise.all([0, 1, 2, 3].map(() => post(port, body)));
  steps.push(['4 clients, 80 uploads', peak()]);
  await Promise.all(Array.from({ length: 16 }, async () => { for (let i = 0; i < 4; i++) await post(port, uploads[0]); }));
  steps.push(['16 clients, 64 phone JPEGs', peak()]);
  server.kill();
  console.log(`${envJson}: peak RSS ${steps.map(([name, mb]) => `${name} ${mb.toFixed(0)} MB`).join(', ')}`);
}

main().catch((e) => { console.error(e); process.exit(1); });
