/**
 * @ipc/queue: Python's `multiprocessing.Queue`, `JoinableQueue` and `SimpleQueue`, and the `queue` module's
 * `LifoQueue` and `PriorityQueue`, over shared memory, for worker threads.
 */

// The errors this package throws, re-exported where they are used (design.md §4).
export { Empty, Full, InvalidStateError, ShutDown } from '@ipc/core';
export { JoinableQueue } from './joinable-queue.ts';
export { LifoQueue } from './lifo-queue.ts';
export {
  type PriorityItem,
  PriorityQueue,
  type PriorityQueueArgs,
  type PriorityQueueOptions,
} from './priority-queue.ts';
export { DEFAULT_CAPACITY_BYTES, Queue, type QueueOptions } from './queue.ts';
export { SimpleQueue } from './simple-queue.ts';
export { type Compare, DEFAULT_TABLE_CAPACITY, type TableQueueOptions } from './table-queue.ts';
