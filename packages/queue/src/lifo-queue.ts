import { defineSharedType, type SharedBlock } from '@ipc/core';
import { LIFO_QUEUE_TAG, TABLE_LAYOUT_VERSION } from './table/layout.ts';
import { ON_TOP, releaseTable } from './table/table.ts';
import { type TableOrder, TableQueue, type TableQueueOptions } from './table-queue.ts';

const LIFO_QUEUE_TYPE = defineSharedType({
  name: 'ipc.queue.LifoQueue',
  tag: LIFO_QUEUE_TAG,
  version: TABLE_LAYOUT_VERSION,
  revive: (block) => new LifoQueue(block),
  module: import.meta.url,
  releaseOwned: (block) => releaseTable(block.int32(), block.heap),
});

/**
 * A last-in, first-out queue (a stack) in shared memory, with the `Queue` surface, usable from every worker
 * it reaches.
 *
 * **Python equivalent:** `queue.LifoQueue(maxsize=0)` — for threads there, for worker threads here.
 *
 * @example
 * ```ts
 * const stack = new LifoQueue<number>();
 * stack.putSync(1);
 * stack.putSync(2);
 * stack.getSync();   // 2
 * ```
 */
export class LifoQueue<T = unknown> extends TableQueue<T> {
  /** A new LIFO queue (maxsize, or options), or (given a block by `revive`) the one in that memory. */
  constructor(maxsizeOrOptions?: number | TableQueueOptions | SharedBlock) {
    super(LIFO_QUEUE_TYPE, maxsizeOrOptions);
  }

  /** Every put goes on top: a get takes the last one put. */
  protected override orderOf(_item: T): TableOrder<T> {
    return ON_TOP;
  }
}
