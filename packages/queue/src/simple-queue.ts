import { defineSharedType, releaseRing, type SharedBlock, type SharedType } from '@ipc/core';
import { Queue } from './queue.ts';
import { QUEUE_LAYOUT_VERSION, SIMPLE_QUEUE_TAG } from './ring/layout.ts';

const SIMPLE_QUEUE_TYPE = defineSharedType({
  name: 'ipc.queue.SimpleQueue',
  tag: SIMPLE_QUEUE_TAG,
  version: QUEUE_LAYOUT_VERSION,
  revive: (block) => new SimpleQueue(block),
  module: import.meta.url,
  releaseOwned: (block) => releaseRing(block.int32(), block.heap),
});

/**
 * An unbounded queue with Python's simplest surface: `put`, `get`/`getSync`, `empty`, `close` (and, being a
 * `Queue` underneath, the rest too).
 *
 * **Python equivalent:** `multiprocessing.SimpleQueue()`.
 *
 * @example
 * ```ts
 * const q = new SimpleQueue<string>();
 * await q.put('hello');
 * q.getSync();   // 'hello'
 * ```
 */
export class SimpleQueue<T = unknown> extends Queue<T> {
  /** A new simple queue, or (given a block by `revive`) the one in that memory. */
  constructor(from?: SharedBlock) {
    super(from);
  }

  protected static override get sharedType(): SharedType {
    return SIMPLE_QUEUE_TYPE;
  }
}
