/**
 * design.md §8: JoinableQueue(1024), 1 producer → 2 workers that call taskDone() after each item; the rate
 * counts until the producer's join() returns. @ipc sync and await forms, CPython's
 * `multiprocessing.JoinableQueue(1024)` with 1 producer and 2 worker processes. postMessage has no
 * counterpart (nothing counts tasks done across threads). Every run checks each item, the count and the sum.
 */

import type { ScenarioFactory } from '../scenario.ts';
import { single } from '../scenario.ts';
import { pythonRate, type Transfer, threadsRate } from '../suites/queue/transfer.ts';
import { cpythonRow } from './cpython-row.ts';
import { countText } from './workload.ts';

export const joinable: ScenarioFactory = {
  id: 'joinable',
  create(mode, python) {
    const transfer: Transfer = {
      kind: 'joinable',
      producers: 1,
      consumers: 2,
      count: mode === 'full' ? 200_000 : 50_000,
      warm: mode === 'full' ? 300_000 : 100_000,
      cpythonWarm: 20_000,
      maxsize: 1024,
      size: 0,
    };
    const cpython = cpythonRow(python, 'multiprocessing.JoinableQueue(1024)', () => pythonRate(transfer));
    return {
      id: this.id,
      title: 'JoinableQueue, 1 producer → 2 workers, taskDone + join',
      unit: 'items/s',
      about:
        'One producer puts and ends with join(); two workers get and call taskDone() after each item. The rate counts until join returns. postMessage has no counterpart (nothing counts tasks done across threads). Every run checks each item, the count and the sum.',
      workload: countText(transfer.count, 'items', transfer.warm, transfer.cpythonWarm),
      measurements: [
        single('ipc', '@ipc JoinableQueue putSync, joinSync / getSync, taskDone', () => threadsRate(transfer, 'sync')),
        single('ipc', '@ipc JoinableQueue await put(), join() / await get(), taskDone', () =>
          threadsRate(transfer, 'async'),
        ),
        ...cpython.measurements,
      ],
      skipped: cpython.skipped,
      targets: [{ kind: 'ratio', baseline: 'cpython', ratio: 8 }],
    };
  },
};
