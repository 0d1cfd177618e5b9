/**
 * Scenario: hand a shared primitive to a raw worker thread and wait for it without blocking.
 *
 * Python has no need for this (multiprocessing pickles primitives into children); with plain
 * `worker_threads`, `share()` turns an @ipc primitive into data `workerData` can carry, and `revive()` gives
 * the worker a live object over the same shared memory. Higher-level packages (`Process`, queues) do this
 * for you.
 */
import { Worker } from 'node:worker_threads';
import { Futex, share } from '@ipc/core';

const answer = new Futex(0);
const worker = new Worker(new URL('./workers/answer.mjs', import.meta.url), {
  workerData: { answer: share(answer), value: 42 },
});

console.log('main: waiting for the worker, the event loop stays free');
const answered = await answer.waitWhile(0, { timeout: 5000 });
console.log(`main: worker answered=${answered} value=${answer.load()}`);
await worker.terminate();
