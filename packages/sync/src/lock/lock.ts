import { currentThreadToken, defineSharedType, InvalidStateError, type SharedBlock } from '@ipc/core';
import type { Patience } from '../recovery.ts';
import { RELEASE_SAVE, RESTORE_DEPTH } from './condition-hooks.ts';
import { LOCK_LAYOUT_VERSION, LOCK_TAG } from './layout.ts';
import { type Acquisition, releaseLock, tryAcquireLock } from './lock-algorithm.ts';
import { LockBase } from './lock-base.ts';

export const LOCK_TYPE = defineSharedType({
  name: 'ipc.sync.Lock',
  tag: LOCK_TAG,
  version: LOCK_LAYOUT_VERSION,
  revive: (block) => new Lock(block),
  module: import.meta.url,
});

/**
 * A mutual-exclusion lock in shared memory, usable from every worker it reaches (Process args, messages,
 * `share()`).
 *
 * **Python equivalent:** `multiprocessing.Lock` (`threading.Lock`). As in Python any thread may release
 * it, and a thread that acquires it twice waits for itself (use `RLock` to re-enter).
 *
 * **Better than Python:** a holder that dies without releasing does not leave it locked for ever: the
 * next acquirer takes it over (within `LIVENESS_POLL_MS` of the death being recorded) and sees
 * `abandoned === true`.
 *
 * **Fairness:** not strictly FIFO. A free lock goes to whoever asks first (barging, as in Python and
 * pthreads, which keeps throughput high); a waiter that has waited 1 ms makes the next release hand the
 * lock over to a parked waiter, woken in the order they parked, so nobody starves.
 *
 * **Thread rules:** every method may be called from any thread; `acquireSync` blocks the calling thread,
 * `acquire` never blocks the event loop. The holder is a thread: async tasks of one thread share it.
 *
 * @example
 * ```ts
 * const lock = new Lock();
 * await lock.withLock(async () => { counter.value += 1; });
 * using held = lock.guardSync();   // released at the end of the block
 * ```
 */
export class Lock extends LockBase {
  /** A new, unlocked lock (or, given a block by `revive`, the lock in that memory). */
  constructor(from?: SharedBlock) {
    super(LOCK_TYPE, from);
  }

  protected override tryAcquire(patience: Patience): Acquisition | undefined {
    return tryAcquireLock(this.words, currentThreadToken(), patience);
  }

  /**
   * Releases the lock, waking one waiter. Any thread may release it (as in Python).
   *
   * @throws {InvalidStateError} if the lock is not held ("release unlocked lock").
   */
  release(): void {
    if (!releaseLock(this.words, currentThreadToken())) throw new InvalidStateError('release of an unlocked Lock');
  }

  /** Releases the calling thread's holding; a Lock's depth is always 1 (condition-hooks.ts). */
  [RELEASE_SAVE](): number {
    if (!this.isOwned()) throw new InvalidStateError('release of a Lock this thread does not hold');
    this.release();
    return 1;
  }

  /** Nothing to restore for a Lock (condition-hooks.ts). */
  [RESTORE_DEPTH](_depth: number): void {}
}
