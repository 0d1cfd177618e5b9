/**
 * This suite's runs: worker threads on worker.mjs (which loads the built package) and CPython on cpython.py,
 * through the harness (scenario-threads.ts).
 */

import { runPythonScenario, runScenarioThreads } from '../../harness/scenario-threads.ts';
import type { ThreadReport } from '../../harness/worker-run.ts';

export type { ThreadReport };

const WORKER_URL = new URL('./worker.mjs', import.meta.url);
const PYTHON_URL = new URL('./cpython.py', import.meta.url);

/** Starts `threads` workers on `scenario` with `data`, and returns their reports (at most `guardMs`). */
export function runThreads(
  scenario: string,
  threads: number,
  data: Record<string, unknown>,
  guardMs: number,
): Promise<ThreadReport[]> {
  return runScenarioThreads(
    WORKER_URL,
    scenario,
    Array.from({ length: threads }, () => ({})),
    data,
    guardMs,
  );
}

/** What cpython.py prints for one measurement, as JSON on its last line. */
export interface PythonReport {
  readonly version: string;
  readonly method: string;
  readonly ms: number;
  readonly ops: number;
  /** The value the run's check expects, and the one it saw. */
  readonly expected: number;
  readonly observed: number;
  /** The contended lock only: acquisitions that found the Value last written by the other process. */
  readonly handOffs?: number;
}

/** Runs `cpython.py scenario args...` (at most `timeoutMs`) and returns its report. */
export function runPython(
  scenario: string,
  args: readonly (string | number)[],
  timeoutMs: number,
): Promise<PythonReport> {
  return runPythonScenario<PythonReport>(PYTHON_URL, scenario, args, timeoutMs);
}
