'use strict';
// The forked child of bench.js: `count` answers {count} after {done:true}; `echo` echoes.
const mode = process.argv[2];
let count = 0;
process.on('message', (m) => {
  if (mode === 'echo') { process.send(m); return; }
  if (m && m.done) process.send({ count }); else count++;
});
