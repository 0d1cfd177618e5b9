/**
 * The contended-lock run: 2 threads (or CPython processes) each take a lock `iterations` times and add 1 to a
 * plain shared counter under it, after `warm` untimed iterations. The rate counts both sides' iterations over
 * the longer timed part; every run checks the final counter. Used by this suite's report (run.ts) and by the
 * summary (`pnpm bench`, src/scenarios).
 */

import { share } from '@ipc/core';
import { Lock } from '@ipc/sync';
import { expectEqual, InvalidRun } from '../../harness/invalid-run.ts';
import type { Sample } from '../../harness/rows.ts';
import { runPython, runThreads, type ThreadReport } from './threads.ts';

/** A run that has not reported after this long is stuck (a lost wake-up): it is killed and reported. */
export const GUARD_MS = 30_000;

/** Operations per second of a threads run: everything they did over the longest timed part. */
export function rateOf(reports: readonly ThreadReport[]): number {
  const ops = reports.reduce((sum, report) => sum + report.ops, 0);
  return ops / (Math.max(...reports.map((report) => report.ms)) / 1000);
}

/** 2 worker threads on an @ipc/sync Lock (`lock-ipc`) or the raw Atomics CAS lock of raw-lock.mjs (`lock-raw`). */
export async function lockIncrements(
  scenario: 'lock-ipc' | 'lock-raw',
  iterations: number,
  warmIterations: number,
): Promise<Sample> {
  const counter = new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT));
  const lock = scenario === 'lock-ipc' ? share(new Lock()) : undefined;
  const rawLock = new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT);
  const reports = await runThreads(
    scenario,
    2,
    { lock, rawLock, counter: counter.buffer, iterations, warmIterations },
    GUARD_MS,
  );
  expectEqual('the counter', Atomics.load(counter, 0), 2 * (iterations + warmIterations));
  const handOffs = reports.reduce((sum, report) => sum + (report.handOffs ?? 0), 0);
  return { rate: rateOf(reports), handOffs: handOffs / (2 * iterations) };
}

/** 2 CPython processes (fork) on `multiprocessing.Lock()` and `Value('i', lock=False)`. */
export async function cpythonLockIncrements(iterations: number, warmIterations: number): Promise<Sample> {
  const report = await runPython('lock', [GUARD_MS / 2000, iterations, warmIterations], GUARD_MS);
  expectEqual('the Value', report.observed, 2 * (iterations + warmIterations));
  expectEqual('the iterations timed', report.ops, 2 * iterations);
  if (report.method !== 'fork') throw new InvalidRun(`invalid: CPython used ${report.method}, not fork`);
  return { rate: report.ops / (report.ms / 1000), handOffs: (report.handOffs ?? Number.NaN) / report.ops };
}
