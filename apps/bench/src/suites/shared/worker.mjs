// One thread of the @ipc/shared benchmark (run.ts): increments a shared int32 `count` times, under the Value's
// lock or with the atomic helper, after a warm-up, and posts { index, ms, ops }.
import { parentPort, workerData } from 'node:worker_threads';
import { revive } from '@ipc/core';
import '@ipc/shared';

const { index, mode, count, warm } = workerData;
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

increments(warm);
const started = performance.now();
increments(count);
parentPort.postMessage({ index, ms: performance.now() - started, ops: count });
