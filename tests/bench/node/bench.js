'use strict';
// Node's side of tests/bench/run: `node bench.js WORKLOAD HELPER [COUNT]` prints
// {"value":V,"rss_kb":K}, doing the same work as bench-spawnscope with child_process.
const cp = require('child_process');
const path = require('path');
const readline = require('readline');

const [workload, helper, countText] = process.argv.slice(2);
const count = countText ? Number(countText) : 0;
const now = () => Number(process.hrtime.bigint()) / 1e9;
const fs = require('fs');
// VmHWM, not resourceUsage().maxRSS: the latter survives exec and reports the launcher's peak.
const report = (value) => {
  const hwm = /VmHWM:\s+(\d+)/.exec(fs.readFileSync('/proc/self/status', 'utf8'));
  const rss = hwm ? Number(hwm[1]) : -1;
  process.stdout.write(JSON.stringify({ value, rss_kb: rss }) + '\n');
};
const childScript = path.join(__dirname, 'child.js');

function spawnMany(total, width, done) {
  let started = 0, closed = 0;
  const t0 = now();
  const startOne = () => {
    started++;
    const c = cp.spawn('/bin/true');
    c.on('close', () => {
      if (++closed === total) done(total / (now() - t0));
      else if (started < total) startOne();
    });
  };
  for (let i = 0; i < width && started < total; i++) startOne();
}

switch (workload) {
  case 'spawn-seq': spawnMany(count || 2000, 1, report); break;
  case 'spawn-seq-2g': {
    const ballast = Buffer.allocUnsafeSlow(2 ** 31 - 1);
    ballast.fill(1);
    spawnMany(count || 2000, 1, (v) => { report(v); ballast[0] = 2; });
    break;
  }
  case 'spawn-par64': spawnMany(count || 2000, 64, report); break;
  case 'stdout': {
    const bytes = count || 2 ** 31;
    const t0 = now();
    let received = 0;
    const c = cp.spawn(helper, ['flood', String(bytes)]);
    c.stdout.on('data', (d) => { received += d.length; });
    c.on('close', () => report(received / (now() - t0) / 2 ** 30));
    break;
  }
  case 'exec': {
    const total = count || 500;
    let done = 0;
    const t0 = now();
    const next = () => cp.exec('echo hi', (err, out) => {
      if (++done === total) report((now() - t0) * 1000 / total); else next();
    });
    next();
    break;
  }
  case 'fork-small':
  case 'fork-1mb': {
    const big = workload === 'fork-1mb';
    const total = count || (big ? 200 : 200000);
    const payload = 'x'.repeat(1000 * 1000);
    const c = cp.fork(childScript, ['count']);
    const t0 = now();
    c.on('message', (m) => {
      const s = now() - t0;
      report(big ? total * payload.length / 1e6 / s : total / s);
      c.disconnect();
    });
    for (let i = 0; i < total; i++) c.send(big ? payload : { i });
    c.send({ done: true });
    break;
  }
  case 'pingpong': {
    const total = count || 20000;
    const c = cp.fork(childScript, ['echo']);
    let round = 0;
    const t0 = now();
    c.on('message', () => {
      if (++round === total) { report((now() - t0) * 1e6 / total); c.disconnect(); return; }
      c.send({ i: round });
    });
    c.send({ i: 0 });
    break;
  }
  case 'lines': {
    const total = count || 5000000;
    const t0 = now();
    let lines = 0;
    const c = cp.spawn(helper, ['lines', String(total)]);
    const rl = readline.createInterface({ input: c.stdout, crlfDelay: Infinity });
    rl.on('line', () => { lines++; });
    c.on('close', () => report(lines / (now() - t0) / 1e6));
    break;
  }
  default:
    process.stderr.write(`unknown workload ${workload}\n`);
    process.exit(2);
}
