'use strict';
// Node's side of the chain rows in tests/bench/run: `node chain.js N` runs `cat | cat | ...`
// with N stages, each cat's stdout handed to the next as its stdin (stdio: [prev.stdout]), the
// first reading this process's stdin and the last writing to its stdout.
const cp = require('child_process');

const n = Number(process.argv[2]);
let prev = null;
let last = null;
for (let i = 0; i < n; ++i) {
  const stdin = prev ? prev.stdout : 'inherit';
  const stdout = i === n - 1 ? 'inherit' : 'pipe';
  last = cp.spawn('cat', [], { stdio: [stdin, stdout, 'inherit'] });
  prev = last;
}
last.on('close', (code) => process.exit(code));
