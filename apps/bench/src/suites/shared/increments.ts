/**
 * A shared int32 `Value` incremented by 2 worker threads at once, `count` times each after `warm` untimed:
 * under the Value's own lock (`getLock()`, `+= 1`, release) or with the atomic helper (`add(1)`). Used by
 * this suite's report (run.ts) and by the summary (`pnpm bench`, src/scenarios).
 */

import { share } from '@ipc/core';
import { Value } from '@ipc/shared';
import { expectEqual } from '../../harness/invalid-run.ts';
import { runWorkers } from '../../harness/worker-run.ts';

const WORKER = new URL('./worker.mjs', import.meta.url);
/** A run that has not reported after this long is stuck: it is killed and reported. */
export const GUARD_MS = 120_000;

/** Increments per second of 2 workers in `mode`, after checking the final count. */
export async function valueIncrements(mode: 'lock' | 'atomic', count: number, warm: number): Promise<number> {
  const value = new Value('i', 0);
  const reports = await runWorkers(
    WORKER,
    [0, 1].map((index) => ({ workerData: { index, mode, count, warm, value: share(value) } })),
    GUARD_MS,
  );
  expectEqual('the count', value.value, 2 * (count + warm));
  return (2 * count) / (Math.max(...reports.map((r) => r.ms)) / 1000);
}
