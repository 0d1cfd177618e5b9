/**
 * @ipc/sync: Python's `multiprocessing` synchronisation primitives over shared memory: `Lock`, `RLock`,
 * `Semaphore`, `BoundedSemaphore`, `Event`, `Condition` and `Barrier`. Each works from any worker it
 * reaches (Process args, queue and pipe messages, `share()`), has a Promise and a `*Sync` form of every
 * blocking call, and survives a holder that dies (see `abandoned`).
 */

export type { TimedWaitOptions, WaitOptions } from '@ipc/core';
// The errors this package throws, re-exported where they are used (design.md §4).
export { BrokenBarrierError, InvalidStateError, TimeoutError } from '@ipc/core';
export { Acquirable } from './acquirable.ts';
export { Barrier, type BarrierOptions } from './barrier/barrier.ts';
export { Condition } from './condition/condition.ts';
export { Event } from './event/event.ts';
export { Lock } from './lock/lock.ts';
export { RLock } from './lock/rlock.ts';
export { LIVENESS_POLL_MS } from './recovery.ts';
export { BoundedSemaphore, Semaphore, type SemaphoreOptions } from './semaphore/semaphore.ts';
