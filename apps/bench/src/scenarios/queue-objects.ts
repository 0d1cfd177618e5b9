/**
 * design.md §8: Queue, 1 producer thread → 1 consumer thread, `{ i, s: 'x' }`, maxsize 1024. @ipc's
 * putSync/getSync and `await put()/get()`, Node's postMessage over a MessageChannel (no backpressure: the
 * producer never waits), CPython's `multiprocessing.Queue(1024)` between two processes. Every run checks
 * each item's shape and order, the count and the sum of the item numbers (suites/queue/transfer.ts).
 */

import type { ScenarioFactory } from '../scenario.ts';
import { single } from '../scenario.ts';
import { pythonRate, type Transfer, threadsRate } from '../suites/queue/transfer.ts';
import { cpythonRow } from './cpython-row.ts';
import { countText } from './workload.ts';

export const queueObjects: ScenarioFactory = {
  id: 'queue-objects',
  create(mode, python) {
    const transfer: Transfer = {
      kind: 'objects',
      producers: 1,
      consumers: 1,
      count: mode === 'full' ? 200_000 : 50_000,
      // 300k untimed: the ring wraps several times before timing starts, so V8 compiles nothing in the timed part.
      warm: mode === 'full' ? 300_000 : 100_000,
      cpythonWarm: 20_000,
      maxsize: 1024,
      size: 0,
    };
    const cpython = cpythonRow(python, 'multiprocessing.Queue(1024)', () => pythonRate(transfer));
    return {
      id: this.id,
      title: "Queue 1 producer → 1 consumer, {i, s:'x'}, maxsize 1024",
      unit: 'msg/s',
      about:
        "One producer thread puts, one consumer thread gets; CPython uses two processes, postMessage two threads over a MessageChannel (with no backpressure, its producer never waits). Every run checks each message's shape and order, the count and the sum.",
      workload: countText(transfer.count, 'messages', transfer.warm, transfer.cpythonWarm),
      measurements: [
        single('ipc', '@ipc Queue putSync / getSync', () => threadsRate(transfer, 'sync')),
        single('ipc', '@ipc Queue await put() / await get()', () => threadsRate(transfer, 'async')),
        single('postMessage', 'Node postMessage, MessageChannel (no backpressure)', () =>
          threadsRate(transfer, 'post'),
        ),
        ...cpython.measurements,
      ],
      skipped: cpython.skipped,
      targets: [
        { kind: 'ratio', baseline: 'cpython', ratio: 10 },
        { kind: 'ratio', baseline: 'postMessage', ratio: 3 },
      ],
    };
  },
};
