/**
 * Benchmarks that measure in worker threads: start one worker per thread of a run, wait for each one's
 * report (what it posts once), and terminate them whatever happens, so that a stuck run is killed and the
 * benchmark goes on.
 */

import { type TransferListItem, Worker } from 'node:worker_threads';

/** What every thread of a run posts: its timed part's duration, what it did in it, and its checks. */
export interface ThreadReport {
  readonly index: number;
  readonly ms: number;
  readonly ops: number;
  readonly [check: string]: number;
}

/** One worker to start: its workerData, and what moves to it. */
export interface WorkerStart {
  readonly workerData: Record<string, unknown>;
  readonly transfer?: readonly TransferListItem[] | undefined;
}

/** Waits for one worker's report; rejects on its 'error' or when it exits without reporting. */
function reportOf(worker: Worker): Promise<ThreadReport> {
  return new Promise((resolve, reject) => {
    worker.once('message', (report: ThreadReport) => resolve(report));
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`worker exited with code ${code} before reporting`)));
  });
}

/**
 * Starts a worker on `url` per entry of `starts`, waits for all reports (at most `guardMs`), and
 * terminates them whatever happens. Reports come back sorted by their `index`.
 */
export async function runWorkers(url: URL, starts: readonly WorkerStart[], guardMs: number): Promise<ThreadReport[]> {
  const workers = starts.map(
    ({ workerData, transfer }) =>
      new Worker(url, { workerData, transferList: transfer === undefined ? [] : [...transfer] }),
  );
  let guard: NodeJS.Timeout | undefined;
  const stuck = new Promise<never>((_, reject) => {
    guard = setTimeout(() => reject(new Error(`no report within ${guardMs} ms`)), guardMs);
  });
  try {
    const reports = await Promise.race([Promise.all(workers.map(reportOf)), stuck]);
    return reports.sort((a, b) => a.index - b.index);
  } finally {
    clearTimeout(guard);
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
}
