// One thread of the @ipc/shared benchmark (increments.ts): increments a shared int32 `count` times, under the
// Value's lock or with the atomic helper, after `warm` untimed; meets the other thread before the warm-up and
// before the timed part (so that both contend all along), and posts { index, ms, ops }.
import { parentPort, workerData } from 'node:worker_threads';
import { revive } from '@ipc/core';
import '@ipc/shared';
import { rendezvousOf } from '../../harness/rendezvous.mjs';

const { index, threads, gate, guardMs, mode, count, warm } = workerData;
const rendezvous = rendezvousOf(gate, threads, guardMs, index);
const value = revive(workerData.value);
const raw = value.getObj();
const lock = value.getLock();

function increments(n) {
  if (mode === 'lock') {
    for (let i = 0; i < n; i++) {
      lock.acquireSync();
      raw.value += 1;
      lock.release();
    }
  } else {
    for (let i = 0; i < n; i++) raw.add(1);
  }
}

rendezvous();
increments(warm);
rendezvous();
const started = performance.now();
increments(count);
parentPort.postMessage({ index, ms: performance.now() - started, ops: count });
