/**
 * @ipc/queue: Python's `multiprocessing.Queue` (and, to come, JoinableQueue, SimpleQueue, LifoQueue and
 * PriorityQueue) over shared memory, for worker threads.
 */

// The errors this package throws, re-exported where they are used (design.md §4).
export { Empty, Full, InvalidStateError, ShutDown } from '@ipc/core';
export { DEFAULT_CAPACITY_BYTES, Queue, type QueueOptions } from './queue.ts';
