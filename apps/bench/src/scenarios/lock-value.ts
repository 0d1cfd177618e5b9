/**
 * design.md §8: Lock + Value increment, 2 workers contending: each takes the lock, adds 1 to a plain shared
 * int32 under it, and releases, `iterations` times. @ipc/sync's `Lock` around a plain counter, @ipc/shared's
 * `Value('i')` with its own `getLock()`, CPython's `multiprocessing.Lock()` around `Value('i', lock=False)`
 * in two processes, and the raw floor: a compare-and-swap lock on Atomics (spin, then wait). Every run checks
 * the final counter.
 */

import type { ScenarioFactory } from '../scenario.ts';
import { single } from '../scenario.ts';
import { valueIncrements } from '../suites/shared/increments.ts';
import { cpythonLockIncrements, lockIncrements } from '../suites/sync/lock-increments.ts';
import { cpythonRow } from './cpython-row.ts';
import { countText } from './workload.ts';

export const lockValue: ScenarioFactory = {
  id: 'lock-value',
  create(mode, python) {
    const iterations = mode === 'full' ? 1_000_000 : 200_000;
    const warm = mode === 'full' ? 100_000 : 30_000;
    const cpython = cpythonRow(
      python,
      "multiprocessing.Lock() + Value('i', lock=False)",
      () => cpythonLockIncrements(iterations, warm).rate,
    );
    return {
      id: this.id,
      title: 'Lock + Value increment, 2 workers contending',
      unit: 'increments/s',
      about:
        "Two threads (CPython: processes) take the lock, add 1 to a shared int32 under it and release it; @ipc's Value row uses the Value's own lock. The floor is a compare-and-swap lock on Atomics (spin, then wait); postMessage has no counterpart (a lock is shared memory). Every run checks the final count.",
      workload: countText(iterations, 'increments per worker', warm),
      measurements: [
        single('ipc', '@ipc Lock acquireSync / release around a shared int32', async () => {
          return (await lockIncrements('lock-ipc', iterations, warm)).rate;
        }),
        single('ipc', "@ipc Value('i'), getLock() + value += 1", () => valueIncrements('lock', iterations, warm)),
        ...cpython.measurements,
        single('floor', 'raw Atomics CAS lock (spin, then wait)', async () => {
          return (await lockIncrements('lock-raw', iterations, warm)).rate;
        }),
      ],
      skipped: cpython.skipped,
      targets: [{ kind: 'ratio', baseline: 'floor', ratio: 0.8 }],
    };
  },
};
