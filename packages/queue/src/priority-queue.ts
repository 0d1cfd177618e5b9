import { defineSharedType, type SharedBlock } from '@ipc/core';
import { PRIORITY_QUEUE_TAG, TABLE_LAYOUT_VERSION } from './table/layout.ts';
import { TableQueue, type TableQueueOptions } from './table-queue.ts';

const PRIORITY_QUEUE_TYPE = defineSharedType({
  name: 'ipc.queue.PriorityQueue',
  tag: PRIORITY_QUEUE_TAG,
  version: TABLE_LAYOUT_VERSION,
  revive: (block) => new PriorityQueue(block),
  module: import.meta.url,
});

/**
 * A queue that hands out the lowest priority first, in shared memory, with the `Queue` surface. Items are
 * `[priority, ...rest]` tuples with a number priority, as in Python's idiom; equal priorities come out in
 * the order they were put (stable, unlike Python's heap, which compares the rest of the tuple).
 *
 * **Python equivalent:** `queue.PriorityQueue(maxsize=0)` with `(priority, item)` tuples.
 *
 * @example
 * ```ts
 * const jobs = new PriorityQueue<[number, string]>();
 * jobs.putSync([5, 'later']);
 * jobs.putSync([1, 'first']);
 * jobs.getSync();   // [1, 'first']
 * ```
 */
export class PriorityQueue<T extends readonly [number, ...unknown[]] = [number, unknown]> extends TableQueue<T> {
  /** A new priority queue (maxsize, or options), or (given a block by `revive`) the one in that memory. */
  constructor(maxsizeOrOptions?: number | TableQueueOptions | SharedBlock) {
    super(PRIORITY_QUEUE_TYPE, maxsizeOrOptions, 'lowest');
  }

  /** @throws {TypeError} unless the item is an array whose first element is a number (not NaN). */
  protected override keyOf(item: T): number {
    const priority: unknown = Array.isArray(item) ? item[0] : undefined;
    if (typeof priority !== 'number' || Number.isNaN(priority)) {
      throw new TypeError('a PriorityQueue item is a [priority, ...] array whose priority is a number');
    }
    return priority;
  }
}
