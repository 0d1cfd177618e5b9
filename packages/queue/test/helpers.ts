import { Worker } from 'node:worker_threads';
import { Empty, Heap, SHARED_BLOCK, type SharedBlock } from '@ipc/core';
import { withGuard } from '../../../tooling/test/guards.ts';
import { GrowJournal, HEADER_WORDS, QueueLayout } from '../src/ring/layout.ts';

export { changed, GUARD_MS, joinAll, reached, sleep, withGuard } from '../../../tooling/test/guards.ts';

/** The module that holds the Process targets of these tests. */
export const TARGETS = new URL('./fixtures/targets.mjs', import.meta.url);

/** A Process target reference to `fixtures/targets.mjs`'s export `name`. */
export function target(name: string) {
  return { module: TARGETS, name };
}

/**
 * The liveness token of a thread that has ended: written into a guard word, it stands for a holder that
 * died there (tokens are never reused, so it stays dead).
 */
export async function deadToken(): Promise<number> {
  const worker = new Worker(new URL('./fixtures/token.mjs', import.meta.url));
  // Both listeners at once: the worker may be gone before the token's message is handled.
  const token = new Promise<number>((resolve) => worker.once('message', resolve));
  const exited = new Promise((resolve) => worker.once('exit', resolve));
  await withGuard(exited, 'the worker to end');
  // The parent marks its child's record dead from the child's 'exit' event: let it run.
  await new Promise((resolve) => setImmediate(resolve));
  return withGuard(token, 'the token');
}

/** Gets every message there is now: `getNowait()` until it throws Empty. */
export function drain<T>(q: { getNowait(): T }): T[] {
  const got: T[] = [];
  for (;;) {
    try {
      got.push(q.getNowait());
    } catch (error) {
      if (error instanceof Empty) return got;
      throw error;
    }
  }
}

/** A ring queue's header words and its ring (as Int32 and as bytes), as they are now (ring/layout.ts). */
export function ringMemory(q: { readonly [SHARED_BLOCK]: SharedBlock }) {
  const block = q[SHARED_BLOCK];
  const words = block.int32(0, HEADER_WORDS);
  const ring = (words[QueueLayout.RING_BLOCK_INDEX] as number) >>> 0;
  const capacity = words[QueueLayout.CAPACITY_INDEX] as number;
  return {
    words,
    ints: new Int32Array(block.heap.buffer, ring, capacity / 4),
    bytes: new Uint8Array(block.heap.buffer, ring, capacity),
  };
}

/**
 * Leaves a ring queue's words as a producer that died growing it (both guards held by `grower`) left them,
 * after step `step` of core's growth (ring/layout.ts): 0 = the new block filled, journal not open; 1 = the
 * journal open; 2 = HEAD, TAIL and RING_BLOCK moved; 3 = CAPACITY stored (the commit). The queued records
 * must not wrap. Returns the old and the new ring blocks.
 */
export function stopGrowthAt(
  q: { readonly [SHARED_BLOCK]: SharedBlock },
  grower: number,
  step: number,
): { oldBlock: number; newBlock: number } {
  const heap = Heap.current();
  const { words, bytes } = ringMemory(q);
  const capacity = words[QueueLayout.CAPACITY_INDEX] as number;
  const oldBlock = words[QueueLayout.RING_BLOCK_INDEX] as number;
  const head = words[QueueLayout.HEAD_INDEX] as number;
  const tail = words[QueueLayout.TAIL_INDEX] as number;
  // The new ring, as grow() fills it: the records from HEAD to TAIL, from its start.
  const newBlock = heap.allocate(2 * capacity);
  new Uint8Array(heap.buffer, newBlock, 2 * capacity).set(bytes.subarray(head % capacity, tail % capacity));
  words[QueueLayout.PRODUCER_GUARD_INDEX] = grower;
  words[QueueLayout.CONSUMER_GUARD_INDEX] = grower;
  if (step >= 1) {
    words[GrowJournal.OLD_BLOCK] = oldBlock;
    words[GrowJournal.OLD_CAPACITY] = capacity;
    words[GrowJournal.OLD_HEAD] = head;
    words[GrowJournal.OLD_TAIL] = tail;
    words[GrowJournal.NEW_BLOCK] = newBlock;
    words[GrowJournal.OPEN] = 1;
  }
  if (step >= 2) {
    words[QueueLayout.HEAD_INDEX] = 0;
    words[QueueLayout.TAIL_INDEX] = tail - head;
    words[QueueLayout.RING_BLOCK_INDEX] = newBlock;
  }
  if (step >= 3) words[QueueLayout.CAPACITY_INDEX] = 2 * capacity;
  return { oldBlock, newBlock };
}
