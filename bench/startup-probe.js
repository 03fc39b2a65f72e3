// Process start → first answer, MIC under several environments and the Node peer, interleaved (each round starts
// every server once, in an order that rotates), medians of the rounds. For comparing start-up settings without a
// rebuild (docs/benchmarks.md, "Start-up"); bench/run.sh measures the shipped settings. The process's CPU time up to
// the answer (all threads) is reported too: on a loaded machine it moves far less than the wall-clock time.
//   node bench/startup-probe.js <bench dir> <MIC build dir> [rounds] [variants JSON]
// variants JSON: {"name": {"ENV": "value"}, ...} for MIC; default: the shipped settings only.
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const http = require('node:http');
const { spawn } = require('node:child_process');

const [benchDir, micDir, roundsArg, variantsArg] = process.argv.slice(2);
const rounds = Number(roundsArg || 5);
const variants = JSON.parse(variantsArg || '{"MIC": {}}');
const store = path.resolve(benchDir, 'store');
const body = fs.readFileSync(path.resolve(benchDir, 'inputs', 'jpeg-640x480.jpg'));

const now = () => Number(process.hrtime.bigint()) / 1e6;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function post(port) {
  return new Promise((resolve, reject) => {
    const request = http.request({ host: '127.0.0.1', port, path: '/classify', method: 'POST', agent: false,
      headers: { 'content-type': 'image/jpeg', 'content-length': body.length } }, (response) => {
      response.resume();
      response.on('end', () => resolve(response.statusCode));
    });
    request.on('error', reject);
    request.end(body);
  });
}

function spawnServer(name, port) {
  if (name === 'peer') {
    return spawn(process.execPath, [path.join(__dirname, 'peer', 'server.js'), store, String(port), '2'], { stdio: 'ignore' });
  }

  return spawn(path.join(micDir, 'ClassifierFunction'), ['--urls', `http://127.0.0.1:${port}`], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, ...variants[name], Mic__ModelStore: store, Mic__IntraOpThreads: '2', Mic__PollIntervalSeconds: '300',
      Mic__CacheDirectory: fs.mkdtempSync(path.join(os.tmpdir(), 'mic-startup-')), Logging__LogLevel__Default: 'Warning' },
  });
}

async function firstAnswer(name, port) {
  const t0 = now();
  const child = spawnServer(name, port);
  const exited = new Promise((resolve) => child.on('exit', resolve));
  for (;;) {
    try { if (await post(port) === 200) break; } catch { /* not listening yet */ }
    if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}`);
    if (now() - t0 > 60000) throw new Error(`${name} did not answer within 60 s`);
    await sleep(5);
  }
  const ms = now() - t0;
  const fields = fs.readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1].split(' ');
  const cpu = (Number(fields[11]) + Number(fields[12])) * 10; // utime + stime, USER_HZ = 100
  child.kill('SIGTERM');
  await exited;
  return { ms, cpu };
}

async function main() {
  const names = [...Object.keys(variants), 'peer'];
  const times = Object.fromEntries(names.map((n) => [n, []]));
  const cpu = Object.fromEntries(names.map((n) => [n, []]));
  const load = os.loadavg()[0];
  let port = 25000;
  for (let r = 0; r < rounds; r++) {
    for (let k = 0; k < names.length; k++) {
      const name = names[(k + r) % names.length];
      const result = await firstAnswer(name, port++);
      times[name].push(result.ms);
      cpu[name].push(result.cpu);
    }
  }
  console.log(`process start → first answer (640x480 JPEG), ${rounds} rounds interleaved; load average ${load.toFixed(1)} → ${os.loadavg()[0].toFixed(1)}`);
  console.log('| server | median ms | range ms | / peer | CPU ms until the answer (median, all threads) |');
  console.log('|---|---|---|---|---|');
  for (const n of names) {
    const t = times[n];
    console.log(`| ${n} | ${median(t).toFixed(0)} | ${Math.min(...t).toFixed(0)}–${Math.max(...t).toFixed(0)} | ${(median(t) / median(times.peer)).toFixed(2)} | ${median(cpu[n]).toFixed(0)} |`);
  }
}

main().catch((e) => { console.error(e); process.exit(1); });
