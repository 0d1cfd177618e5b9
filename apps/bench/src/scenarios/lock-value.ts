/**
 * design.md §8: Lock + Value increment, 2 workers contending: each takes the lock, adds 1 to a shared int32
 * under it, and releases, `iterations` times. @ipc/shared's `Value('i', 0, { lock: new Lock() })` through
 * `getLock()` / `getObj()` (the row the target is about: CPython's side is the same Lock + Value), the same
 * with the Value's own RLock (Python's default `Value('i')`), CPython's `multiprocessing.Lock()` around
 * `Value('i', lock=False)` in two processes, and the raw floor: a compare-and-swap lock on Atomics (spin, then
 * wait) around a plain int32. Every run checks the final count.
 */

import type { ScenarioFactory } from '../scenario.ts';
import { single } from '../scenario.ts';
import { valueIncrements } from '../suites/shared/increments.ts';
import { cpythonLockIncrements, lockIncrements } from '../suites/sync/lock-increments.ts';
import { cpythonRow } from './cpython-row.ts';
import { countText } from './workload.ts';

export const lockValue: ScenarioFactory = {
  id: 'lock-value',
  create(_mode, python) {
    // A contended lock needs long runs to settle (quick mode's 200k gave half the full run's ratio): one count.
    const iterations = 1_000_000;
    const warm = 100_000;
    const cpython = cpythonRow(
      python,
      "multiprocessing.Lock() + Value('i', lock=False)",
      async () => (await cpythonLockIncrements(iterations, warm)).rate,
    );
    return {
      id: this.id,
      title: 'Lock + Value increment, 2 workers contending',
      unit: 'increments/s',
      about:
        "Two threads (CPython: processes) take the lock, add 1 to a shared int32 Value under it and release it; the second @ipc row uses the Value's own lock, an RLock as in Python. The floor is a compare-and-swap lock on Atomics (spin, then wait) around a plain int32; postMessage has no counterpart (a lock is shared memory). Every run checks the final count.",
      workload: countText(iterations, 'increments per worker', warm),
      measurements: [
        single('ipc', "@ipc Value('i', { lock: new Lock() }), getLock() + value += 1", () =>
          valueIncrements('lock', iterations, warm),
        ),
        single('ipc', "@ipc Value('i') (its own RLock), getLock() + value += 1", () =>
          valueIncrements('rlock', iterations, warm),
        ),
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
