/**
 * This suite's runs: worker threads on worker.mjs (which loads the built package) and CPython on cpython.py,
 * through the harness (scenario-threads.ts).
 */

import type { TransferListItem } from 'node:worker_threads';
import { runPythonScenario, runScenarioThreads } from '../../harness/scenario-threads.ts';
import type { ThreadReport } from '../../harness/worker-run.ts';

export type { ThreadReport };

/** One thread of a run: its role and what only it gets (a MessagePort, moved to it). */
export interface ThreadSpec {
  readonly role: 'producer' | 'consumer';
  readonly data?: Record<string, unknown>;
  readonly transfer?: readonly TransferListItem[];
}

const WORKER_URL = new URL('./worker.mjs', import.meta.url);
const PYTHON_URL = new URL('./cpython.py', import.meta.url);

/** Starts one worker per spec on `scenario` with `data`, and returns their reports (at most `guardMs`). */
export function runThreads(
  scenario: string,
  specs: readonly ThreadSpec[],
  data: Record<string, unknown>,
  guardMs: number,
): Promise<ThreadReport[]> {
  const threads = specs.map((spec) => ({ data: { ...spec.data, role: spec.role }, transfer: spec.transfer }));
  return runScenarioThreads(WORKER_URL, scenario, threads, data, guardMs);
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

/** Runs `cpython.py scenario args...` (at most `timeoutMs`) and returns its report. */
export function runPython(
  scenario: string,
  args: readonly (string | number)[],
  timeoutMs: number,
): Promise<PythonReport> {
  return runPythonScenario<PythonReport>(PYTHON_URL, scenario, args, timeoutMs);
}
