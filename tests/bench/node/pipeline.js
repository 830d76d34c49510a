'use strict';
// Node's side of the pipeline rows in tests/bench/run:
// `node pipeline.js direct|pipe BYTES` runs `head -c BYTES /dev/zero | wc -c`, wiring head's
// stdout straight into wc (stdio: [a.stdout, ...]) or relaying it with a.stdout.pipe(b.stdin).
const cp = require('child_process');

const [mode, bytes] = process.argv.slice(2);
const a = cp.spawn('head', ['-c', bytes, '/dev/zero'], { stdio: ['ignore', 'pipe', 'inherit'] });
let b;
if (mode === 'direct') {
  b = cp.spawn('wc', ['-c'], { stdio: [a.stdout, 'inherit', 'inherit'] });
} else {
  b = cp.spawn('wc', ['-c'], { stdio: ['pipe', 'inherit', 'inherit'] });
  a.stdout.pipe(b.stdin);
}
b.on('close', (code) => process.exit(code));
