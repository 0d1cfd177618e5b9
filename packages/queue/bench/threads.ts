/**
 * Runs one measurement in worker threads (worker.mjs, which loads the built package) and in CPython
 * (cpython.py, in a python3 child process), and returns what each reported. The main thread only starts
 * them and waits; a run that fails or gets stuck is killed and reported, and the benchmark goes on.
 */

import { fileURLToPath } from 'node:url';
import type { TransferListItem } from 'node:worker_threads';
import { commandAvailable, runForReport } from '../../../tooling/bench/child-report.ts';
import { runWorkers, type ThreadReport } from '../../../tooling/bench/worker-run.ts';

export type { ThreadReport };

/** One thread of a run: its role and what only it gets (a MessagePort, moved to it). */
export interface ThreadSpec {
  readonly role: 'producer' | 'consumer';
  readonly data?: Record<string, unknown>;
  readonly transfer?: readonly TransferListItem[];
}

const WORKER_URL = new URL('./worker.mjs', import.meta.url);

/**
 * Starts one worker per spec on `scenario` with `data` (plus each one's `index`, `role` and own data),
 * waits for all reports (at most `guardMs`), and terminates them whatever happens.
 */
export async function runThreads(
  scenario: string,
  specs: readonly ThreadSpec[],
  data: Record<string, unknown>,
  guardMs: number,
): Promise<ThreadReport[]> {
  const gate = new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT);
  const threads = specs.length;
  const starts = specs.map((spec, index) => ({
    workerData: { ...data, ...spec.data, scenario, role: spec.role, index, threads, gate, guardMs: guardMs / 2 },
    transfer: spec.transfer,
  }));
  return runWorkers(WORKER_URL, starts, guardMs);
}

/** What cpython.py prints for one measurement, as JSON on its last line. */
export interface PythonReport {
  readonly version: string;
  readonly method: string;
  /** The timed part: from the processes' second meeting to the last consumer's last item. */
  readonly ms: number;
  /** Items moved in `ms`. */
  readonly ops: number;
  /** Items the consumers received in the timed part, the sum of their `i`, and the items out of order. */
  readonly received: number;
  readonly sum: number;
  readonly disorder: number;
}

const PYTHON_SCRIPT = fileURLToPath(new URL('./cpython.py', import.meta.url));

/** Whether python3 can be run at all (false when it is not installed). */
export function pythonAvailable(): boolean {
  return commandAvailable('python3');
}

/**
 * Runs `cpython.py scenario args...` (at most `timeoutMs`, then SIGKILL) and parses the JSON on its last
 * stdout line.
 */
export function runPython(scenario: string, args: readonly (string | number)[], timeoutMs: number): PythonReport {
  return runForReport<PythonReport>(
    'python3',
    [PYTHON_SCRIPT, scenario, ...args.map(String)],
    { timeoutMs },
    (report) => typeof report.ms === 'number' && typeof report.ops === 'number',
  );
}
