import {
  currentThreadToken,
  defineSharedType,
  InvalidStateError,
  type ParkingSpot,
  SHARED_BLOCK,
  type SharedBlock,
} from '@ipc/core';
import { Acquirable } from '../acquirable.ts';
import type { Patience } from '../recovery.ts';
import { RELEASE_SAVE, RESTORE_DEPTH } from './condition-hooks.ts';
import { LOCK_BYTES, LOCK_LAYOUT_VERSION, LOCK_TAG, LockLayout } from './layout.ts';
import { type Acquisition, lockHolder, markContended, releaseLock, tryAcquireLock } from './lock-algorithm.ts';

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
export class Lock extends Acquirable {
  readonly #i32: Int32Array;
  readonly #spot: ParkingSpot;
  readonly #beforePark: (seen: number) => number | undefined;

  /** A new, unlocked lock (or, given a block by `revive`, the lock in that memory). */
  constructor(from?: SharedBlock) {
    super(LOCK_TYPE, from ?? LOCK_BYTES);
    this.#i32 = this[SHARED_BLOCK].int32(0, LockLayout.DEPTH_INDEX);
    this.#spot = { i32: this.#i32, valueIndex: LockLayout.STATE_INDEX, waitersIndex: LockLayout.WAITERS_INDEX };
    const i32 = this.#i32;
    this.#beforePark = (seen) => markContended(i32, seen);
  }

  protected override get spot(): ParkingSpot {
    return this.#spot;
  }

  protected override get beforePark(): (seen: number) => number | undefined {
    return this.#beforePark;
  }

  protected override tryAcquire(patience: Patience): Acquisition | undefined {
    return tryAcquireLock(this.#i32, currentThreadToken(), patience);
  }

  /**
   * Releases the lock, waking one waiter. Any thread may release it (as in Python).
   *
   * @throws {InvalidStateError} if the lock is not held ("release unlocked lock").
   */
  release(): void {
    if (!releaseLock(this.#i32, currentThreadToken())) throw new InvalidStateError('release of an unlocked Lock');
  }

  /** True while some thread holds the lock (a snapshot: it may change right after). */
  locked(): boolean {
    return lockHolder(this.#i32) !== 0;
  }

  /** True when the calling thread holds the lock. */
  isOwned(): boolean {
    return lockHolder(this.#i32) === currentThreadToken();
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
