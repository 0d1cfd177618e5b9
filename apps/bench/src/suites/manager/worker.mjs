// One thread of the @ipc/manager benchmark (run.ts): `count` iterations of `await d.set(key, i); await
// d.get(key)` on a managed dict that arrived through share(), after `warm` untimed ones and a barrier with
// the other threads of the run; posts { index, ms, ops, started, ended, errors } (times on the epoch clock).
import { parentPort, workerData } from 'node:worker_threads';
import { revive } from '@ipc/core';
import '@ipc/manager';

const { index, count, warm, key, barrier, parties } = workerData;
const dict = revive(workerData.dict);
const gate = new Int32Array(barrier);

async function loop(n) {
  let errors = 0;
  for (let i = 0; i < n; i++) {
    await dict.set(key, i);
    if ((await dict.get(key)) !== i) errors++;
  }
  return errors;
}

let errors = await loop(warm);
// Every thread starts timing together: the last one to arrive wakes the others.
if (Atomics.add(gate, 0, 1) + 1 === parties) Atomics.notify(gate, 0);
for (let seen = Atomics.load(gate, 0); seen < parties; seen = Atomics.load(gate, 0)) Atomics.wait(gate, 0, seen);
const started = performance.timeOrigin + performance.now();
errors += await loop(count);
const ended = performance.timeOrigin + performance.now();
parentPort.postMessage({ index, ms: ended - started, ops: count, started, ended, errors });
