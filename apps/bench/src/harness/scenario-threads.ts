/**
 * Runs one measurement of a suite whose worker script and CPython script each serve several scenarios by
 * name (suites/queue, suites/sync): the threads meet on a shared gate (rendezvous.mjs), the CPython script
 * prints one JSON report. The main thread only starts them and waits; a run that fails or gets stuck is
 * killed and reported, and the benchmark goes on.
 */

import { fileURLToPath } from 'node:url';
import type { TransferListItem } from 'node:worker_threads';
import { runForReport } from './child-report.ts';
import { runWorkers, type ThreadReport } from './worker-run.ts';

/** One thread of a run: what only it gets in its workerData, and what moves to it (a MessagePort). */
export interface ThreadStart {
  readonly data?: Record<string, unknown>;
  readonly transfer?: readonly TransferListItem[] | undefined;
}

/**
 * Starts one worker of `workerUrl` per entry of `threads` on `scenario`, each with `data`, its own data, its
 * `index`, the thread count and the gate, waits for all reports (at most `guardMs`; each thread's own waits
 * give up after half of it), and terminates them whatever happens.
 */
export async function runScenarioThreads(
  workerUrl: URL,
  scenario: string,
  threads: readonly ThreadStart[],
  data: Record<string, unknown>,
  guardMs: number,
): Promise<ThreadReport[]> {
  const gate = new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT);
  const starts = threads.map((thread, index) => ({
    workerData: { ...data, ...thread.data, scenario, index, threads: threads.length, gate, guardMs: guardMs / 2 },
    transfer: thread.transfer,
  }));
  return runWorkers(workerUrl, starts, guardMs);
}

/**
 * Runs `python3 script scenario args...` (at most `timeoutMs`, then SIGKILL) and returns the JSON report on
 * its last stdout line, which must time something (`ms` and `ops`).
 */
export function runPythonScenario<Report extends { readonly ms: number; readonly ops: number }>(
  scriptUrl: URL,
  scenario: string,
  args: readonly (string | number)[],
  timeoutMs: number,
): Promise<Report> {
  return runForReport<Report>(
    'python3',
    [fileURLToPath(scriptUrl), scenario, ...args.map(String)],
    { timeoutMs },
    (report) => typeof report.ms === 'number' && typeof report.ops === 'number',
  );
}
