import { Worker } from 'node:worker_threads';
import { Empty, SHARED_BLOCK, type SharedBlock } from '@ipc/core';
import { withGuard } from '../../../tooling/test/guards.ts';
import { HEADER_WORDS, QueueLayout } from '../src/ring/layout.ts';

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
