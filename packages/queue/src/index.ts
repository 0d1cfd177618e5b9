/**
 * @ipc/queue: Python's `multiprocessing.Queue`, `JoinableQueue` and `SimpleQueue` over shared memory, for
 * worker threads (LifoQueue and PriorityQueue to come).
 */

// The errors this package throws, re-exported where they are used (design.md §4).
export { Empty, Full, InvalidStateError, ShutDown } from '@ipc/core';
export { JoinableQueue } from './joinable-queue.ts';
export { DEFAULT_CAPACITY_BYTES, Queue, type QueueOptions } from './queue.ts';
export { SimpleQueue } from './simple-queue.ts';
