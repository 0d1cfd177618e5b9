/**
 * A shared int32 `Value` incremented by 2 worker threads at once, `count` times each after `warm` untimed:
 * under the Value's lock (`getLock()`, `getObj().value += 1`, release), or with the atomic helper (`add(1)`).
 * The lock is the Value's own RLock (Python's default) or a plain `Lock` given at construction (Python's
 * `Value('i', lock=Lock())`); against CPython's `Value('i')` under `get_lock()` in 2 forked processes (cpython.py),
 * with the same counts and meetings. Used by this suite's report (run.ts) and by the summary (`pnpm bench`,
 * src/scenarios).
 */

import { fileURLToPath } from 'node:url';
import { share } from '@ipc/core';
import { Value } from '@ipc/shared';
import { Lock } from '@ipc/sync';
import { runForReport } from '../../harness/child-report.ts';
import { expectEqual } from '../../harness/invalid-run.ts';
import { runScenarioThreads } from '../../harness/scenario-threads.ts';

const WORKER = new URL('./worker.mjs', import.meta.url);
/** A run that has not reported after this long is stuck: it is killed and reported. */
export const GUARD_MS = 60_000;

/** How the two threads add: under the Value's RLock, under a plain Lock, or atomically. */
export type IncrementMode = 'rlock' | 'lock' | 'atomic';

/** Increments per second of 2 workers in `mode` (both sides' increments over the longer timed part); checked. */
export async function valueIncrements(mode: IncrementMode, count: number, warm: number): Promise<number> {
  const value = mode === 'lock' ? new Value('i', 0, { lock: new Lock() }) : new Value('i', 0);
  const reports = await runScenarioThreads(
    WORKER,
    mode,
    [{}, {}],
    { mode: mode === 'atomic' ? 'atomic' : 'lock', count, warm, value: share(value) },
    GUARD_MS,
  );
  expectEqual('the count', value.value, 2 * (count + warm));
  return (2 * count) / (Math.max(...reports.map((r) => r.ms)) / 1000);
}

const CPYTHON = new URL('./cpython.py', import.meta.url);

/** CPython's report: the longer timed part, increments in it, and the final value against the expected one. */
interface PythonReport {
  readonly ms: number;
  readonly ops: number;
  readonly observed: number;
  readonly expected: number;
  readonly method: string;
  readonly version: string;
}

/** Increments per second of 2 CPython processes (fork) on `Value('i')` under `get_lock()`, as the threads do. */
export async function cpythonValueIncrements(count: number, warm: number): Promise<{ rate: number; version: string }> {
  const report = await runForReport<PythonReport>(
    'python3',
    [fileURLToPath(CPYTHON), String(count), String(warm), String(GUARD_MS / 2000)],
    { timeoutMs: GUARD_MS },
    (value) => typeof value.ms === 'number',
  );
  expectEqual('the count', report.observed, 2 * (count + warm));
  expectEqual('the increments timed', report.ops, 2 * count);
  if (report.method !== 'fork') throw new Error(`CPython used ${report.method}, not fork`);
  return { rate: report.ops / (report.ms / 1000), version: report.version };
}
