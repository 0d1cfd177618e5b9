/**
 * design.md §8: Queue of 1 MiB payloads, 1 producer thread → 1 consumer thread, maxsize 16 (16 MiB in
 * flight at most on every side). @ipc sync and await forms, postMessage (a structured-clone copy, no
 * backpressure), CPython's `multiprocessing.Queue(16)` of bytes, and a memcpy floor (memcpy.ts): the copy in
 * and the copy out that any shared-memory queue makes, by one thread. Every run checks each payload's
 * length, last byte and number, in order.
 */

import type { ScenarioFactory } from '../scenario.ts';
import { single } from '../scenario.ts';
import { pythonRate, type Transfer, threadsRate } from '../suites/queue/transfer.ts';
import { cpythonRow } from './cpython-row.ts';
import { copyRate } from './memcpy.ts';
import { countText } from './workload.ts';

const MIB = 1 << 20;

export const queueBytes: ScenarioFactory = {
  id: 'queue-bytes',
  create(mode, python) {
    const transfer: Transfer = {
      kind: 'bytes',
      producers: 1,
      consumers: 1,
      count: mode === 'full' ? 500 : 100,
      warm: 20,
      cpythonWarm: 20,
      maxsize: 16,
      size: MIB,
    };
    // Rates are payloads/s; 1 MiB each, so they read as MiB/s.
    const cpython = cpythonRow(python, 'multiprocessing.Queue(16) of bytes', () => pythonRate(transfer));
    return {
      id: this.id,
      title: 'Queue of 1 MiB payloads, 1 → 1, maxsize 16',
      unit: 'MiB/s',
      about:
        "The same with 1 MiB payloads (Uint8Array / bytes); postMessage copies them (no transfer). The floor copies each payload in and out through a 16 MiB ring in one thread. Every run checks each payload's length, last byte and number, in order.",
      workload: countText(transfer.count, '1 MiB payloads', transfer.warm),
      measurements: [
        single('ipc', '@ipc Queue putSync / getSync', () => threadsRate(transfer, 'sync')),
        single('ipc', '@ipc Queue await put() / await get()', () => threadsRate(transfer, 'async')),
        single('postMessage', 'Node postMessage, MessageChannel (a copy, no backpressure)', () =>
          threadsRate(transfer, 'post'),
        ),
        ...cpython.measurements,
        single('floor', 'memcpy: 1 thread, copy in + copy out, 16 MiB ring', () =>
          copyRate(MIB, transfer.count, transfer.maxsize),
        ),
      ],
      skipped: cpython.skipped,
      targets: [{ kind: 'ratio', baseline: 'cpython', ratio: 3 }],
    };
  },
};
