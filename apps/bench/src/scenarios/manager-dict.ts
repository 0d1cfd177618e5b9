/**
 * design.md §8: Manager dict set + get from a child: `await d.set(k, i); await d.get(k)` (two round trips to
 * the server) on a dict made by the main thread. @ipc from one worker thread (a Process: shared-memory pipes
 * to the server thread) and from a child OS process over the server's Unix socket, CPython's
 * `Manager().dict()` from one forked child. Every run checks each get's value and the key's final value.
 */

import { Manager } from '@ipc/manager';
import type { ScenarioFactory } from '../scenario.ts';
import { single } from '../scenario.ts';
import { cpythonDictLoop, dictLoopChild, dictLoopThreads, type Iterations } from '../suites/manager/dict-loop.ts';
import { cpythonRow } from './cpython-row.ts';
import { countText } from './workload.ts';

export const managerDict: ScenarioFactory = {
  id: 'manager-dict',
  create(_mode, python) {
    // The loop takes ~2,000 iterations to reach its pace: quick mode keeps the full count.
    const iterations: Iterations = { count: 10_000, warm: 2_000 };
    let manager: Manager | undefined;
    const started = (): Manager => {
      if (manager === undefined) throw new Error('the Manager is not started');
      return manager;
    };
    const cpython = cpythonRow(
      python,
      'Manager().dict(), 1 child',
      async () => (await cpythonDictLoop(1, iterations)).rate,
    );
    return {
      id: this.id,
      title: 'Manager dict set + get from a child',
      unit: 'iterations/s',
      about:
        "await d.set(k, i); await d.get(k) on a managed dict: from a worker thread on a dict the main thread made (the row the target is about), from a child OS process on its own dict over the server's Unix socket, and (CPython) from one forked child. Every run checks each get and the key's final value.",
      workload: countText(iterations.count, 'set + get iterations', iterations.warm),
      measurements: [
        single('ipc', '@ipc Manager dict, 1 worker thread', () => dictLoopThreads(started(), 1, iterations)),
        single('ipc', '@ipc Manager dict, child OS process (Unix socket)', () => dictLoopChild(started(), iterations)),
        ...cpython.measurements,
      ],
      skipped: cpython.skipped,
      targets: [{ kind: 'ratio', baseline: 'cpython', ratio: 5 }],
      async setUp() {
        manager = await Manager.start();
      },
      async tearDown() {
        await manager?.shutdown();
        manager = undefined;
      },
    };
  },
};
