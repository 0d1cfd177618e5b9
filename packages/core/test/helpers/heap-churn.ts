import { startFixture } from './workers.ts';

/** Runs `threads` workers that churn the heap at once; returns what each saw. */
export async function churnHeap(threads: number, rounds: number, seed: number, guardMs?: number) {
  const workers = Array.from({ length: threads }, (_, i) =>
    startFixture('heap-churn-worker', { seed: seed + i * 7919, rounds, canary: i + 1, maxLive: 64 }, guardMs),
  );
  const reports = await Promise.all(workers.map((w) => w.message<{ corrupt: number; heapId: number }>()));
  await Promise.all(workers.map((w) => w.exit()));
  return reports;
}
