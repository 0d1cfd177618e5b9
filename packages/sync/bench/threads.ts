/**
 * Runs one measurement in worker threads (worker.mjs, which loads the built package) and in CPython
 * (cpython.py, in a python3 child process), and returns what each reported. The main thread only starts
 * them and waits; a run that fails or gets stuck is killed and reported, and the benchmark goes on.
 */

import { fileURLToPath } from 'node:url';
import { commandAvailable, runForReport } from '../../../tooling/bench/child-report.ts';
import { runWorkers, type ThreadReport } from '../../../tooling/bench/worker-run.ts';

export type { ThreadReport };

const WORKER_URL = new URL('./worker.mjs', import.meta.url);

/**
 * Starts `threads` workers on `scenario` with `data` (plus each one's `index`), waits for all reports
 * (at most `guardMs`), and terminates them whatever happens.
 */
export async function runThreads(
  scenario: string,
  threads: number,
  data: Record<string, unknown>,
  guardMs: number,
): Promise<ThreadReport[]> {
  const gate = new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT);
  const starts = Array.from({ length: threads }, (_, index) => ({
    workerData: { ...data, scenario, index, threads, gate, guardMs: guardMs / 2 },
  }));
  return runWorkers(WORKER_URL, starts, guardMs);
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
