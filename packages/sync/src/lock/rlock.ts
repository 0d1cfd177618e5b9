import { currentThreadToken, defineSharedType, InvalidStateError, type SharedBlock } from '@ipc/core';
import type { Patience } from '../recovery.ts';
import { RELEASE_SAVE, RESTORE_DEPTH } from './condition-hooks.ts';
import { LOCK_LAYOUT_VERSION, LockLayout, RLOCK_TAG } from './layout.ts';
import { type Acquisition, lockHolder, releaseLock, tryAcquireLock } from './lock-algorithm.ts';
import { LockBase } from './lock-base.ts';

export const RLOCK_TYPE = defineSharedType({
  name: 'ipc.sync.RLock',
  tag: RLOCK_TAG,
  version: LOCK_LAYOUT_VERSION,
  revive: (block) => new RLock(block),
  module: import.meta.url,
});

/**
 * A reentrant lock: the thread that holds it may acquire it again, and must release it as many times.
 * Only the holder may release it.
 *
 * **Python equivalent:** `multiprocessing.RLock` (`threading.RLock`).
 *
 * **Better than Python:** a holder that dies holding it (at any depth) does not leave it locked: the next
 * acquirer takes it over at depth 1 and sees `abandoned === true`. Fairness as for `Lock`.
 *
 * **Thread rules:** as for `Lock`; the holder is a thread, so async tasks of one thread share it.
 *
 * @example
 * ```ts
 * const rlock = new RLock();
 * rlock.acquireSync();
 * rlock.acquireSync();   // same thread: depth 2
 * rlock.release();
 * rlock.release();       // free
 * ```
 */
export class RLock extends LockBase {
  /** A new, unlocked reentrant lock (or, given a block by `revive`, the one in that memory). */
  constructor(from?: SharedBlock) {
    super(RLOCK_TYPE, from);
  }

  protected override tryAcquire(patience: Patience): Acquisition | undefined {
    const token = currentThreadToken();
    // Only the holder writes DEPTH, and only while it holds the lock (STATE is its token, marked contended or not).
    if (lockHolder(this.words) === token) {
      Atomics.add(this.words, LockLayout.DEPTH_INDEX, 1);
      return 'acquired';
    }
    const outcome = tryAcquireLock(this.words, token, patience);
    if (outcome !== undefined) Atomics.store(this.words, LockLayout.DEPTH_INDEX, 1);
    return outcome;
  }

  /**
   * Releases one level; the lock is free when the depth reaches 0.
   *
   * @throws {InvalidStateError} if the calling thread does not hold it ("cannot release un-acquired lock").
   */
  release(): void {
    if (!this.isOwned()) throw new InvalidStateError('release of an RLock this thread does not hold');
    if (Atomics.sub(this.words, LockLayout.DEPTH_INDEX, 1) === 1) releaseLock(this.words, currentThreadToken());
  }

  /** How many times the holder has acquired it (0 when free). */
  get depth(): number {
    return lockHolder(this.words) === 0 ? 0 : Atomics.load(this.words, LockLayout.DEPTH_INDEX);
  }

  /** Releases every level at once and returns the depth (condition-hooks.ts). */
  [RELEASE_SAVE](): number {
    if (!this.isOwned()) throw new InvalidStateError('release of an RLock this thread does not hold');
    const depth = Atomics.exchange(this.words, LockLayout.DEPTH_INDEX, 0);
    releaseLock(this.words, currentThreadToken());
    return depth;
  }

  /** Sets the depth after re-acquiring once (condition-hooks.ts). */
  [RESTORE_DEPTH](depth: number): void {
    Atomics.store(this.words, LockLayout.DEPTH_INDEX, depth);
  }
}
