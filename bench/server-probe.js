// Where does a server spend a request? Starts MIC under several environments and the Node peer, then posts one
// upload to each in turn (interleaved rounds, so all see the same machine load) and reports, per server, the median
// decode + resize time from the answers' timings, and the process's minor page faults and CPU time per request
// (/proc/<pid>/stat). Used to compare malloc settings without a rebuild (docs/benchmarks.md, "Server-side gap").
//   node bench/server-probe.js <bench dir> <MIC build dir> <upload file> [rounds] [requests per round] [variants JSON]
// variants JSON: {"name": {"ENV": "value"}, ...} for MIC; default compares the shipped tuning with glibc's defaults.
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const http = require('node:http');
const { spawn } = require('node:child_process');

const [benchDir, micDir, upload, roundsArg, perRoundArg, variantsArg] = process.argv.slice(2);
const rounds = Number(roundsArg || 6);
const perRound = Number(perRoundArg || 10);
const variants = JSON.parse(variantsArg || '{"shipped": {}, "glibc defaults": {"GLIBC_TUNABLES": "glibc.malloc.check=0"}}');
const store = path.resolve(benchDir, 'store');
const body = fs.readFileSync(upload);
const type = { '.jpg': 'image/jpeg', '.png': 'image/png', '.webp': 'image/webp' }[path.extname(upload)];
const TICK_MS = 10; // USER_HZ = 100 on Linux

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function post(port) {
  return new Promise((resolve, reject) => {
    const request = http.request({ host: '127.0.0.1', port, path: '/classify', method: 'POST', agent: false,
      headers: { 'content-type': type, 'content-length': body.length } }, (response) => {
      const chunks = [];
      response.on('data', (c) => chunks.push(c));
      response.on('end', () => resolve({ status: response.statusCode, body: Buffer.concat(chunks).toString() }));
    });
    request.on('error', reject);
    request.end(body);
  });
}

function stat(pid) {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return { minflt: Number(fields[7]), cpu: (Number(fields[11]) + Number(fields[12])) * TICK_MS };
}

async function start(name, env, port) {
  const child = name === 'peer'
    ? spawn(process.execPath, [path.join(__dirname, 'peer', 'server.js'), store, String(port), '2'], { stdio: ['ignore', 'ignore', 'inherit'] })
    : spawn(path.join(micDir, 'ClassifierFunction'), ['--urls', `http://127.0.0.1:${port}`], {
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { ...process.env, ...env, Mic__ModelStore: store, Mic__IntraOpThreads: '2', Mic__PollIntervalSeconds: '300',
        Mic__CacheDirectory: fs.mkdtempSync(path.join(os.tmpdir(), 'mic-probe-')), Logging__LogLevel__Default: 'Warning' },
    });
  for (let i = 0; i < 3000; i++) {
    try { if ((await post(port)).status === 200) return { name, child, port, decode: [], faults: [], cpu: [] }; } catch { /* starting */ }
    await sleep(20);
  }
  throw new Error(`${name} did not start`);
}

async function main() {
  const servers = [];
  let port = 23000;
  for (const [name, env] of Object.entries(variants)) servers.push(await start(name, env, port++));
  servers.push(await start('peer', {}, port++));
  for (const s of servers) for (let i = 0; i < 5; i++) await post(s.port); // warm-up
  for (let r = 0; r < rounds; r++) {
    for (const s of r % 2 ? [...servers].reverse() : servers) {
      const before = stat(s.child.pid);
      for (let i = 0; i < perRound; i++) {
        const { timings } = JSON.parse((await post(s.port)).body);
        s.decode.push(timings.decodeMs + timings.resizeMs);
      }
      const after = stat(s.child.pid);
      s.faults.push((after.minflt - before.minflt) / perRound);
      s.cpu.push((after.cpu - before.cpu) / perRound);
    }
  }
  console.log(`${path.basename(upload)}: ${rounds} rounds of ${perRound} requests per server, interleaved; load average ${os.loadavg().map((x) => x.toFixed(1)).join(' ')}`);
  console.log('| server | decode + resize ms (median) | minor page faults per request | CPU ms per request (whole process) |');
  console.log('|---|---|---|---|');
  for (const s of servers) {
    console.log(`| ${s.name} | ${median(s.decode).toFixed(1)} | ${median(s.faults).toFixed(0)} | ${median(s.cpu).toFixed(0)} |`);
    s.child.kill('SIGTERM');
  }
}

main().catch((e) => { console.error(e); process.exit(1); });
