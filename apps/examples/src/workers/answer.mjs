// Worker of core-share-a-futex.ts: stores the answer in the shared Futex and wakes the main thread.
import { workerData } from 'node:worker_threads';
import { revive } from '@ipc/core';

const answer = revive(workerData.answer);
console.log(`worker: storing ${workerData.value}`);
answer.store(workerData.value);
answer.notify();
