/**
 * The managed Lock and RLock: Python's `threading.Lock` and `RLock` in the server. The owner is the
 * connection that took it (one per client thread, as Python's manager serves each client thread on its own
 * connection). A lock whose owner's connection ends is released, and the next acquirer is told it was
 * abandoned (design §6: Python's manager keeps it locked for ever).
 *
 * `acquire` answers 0 (not acquired: timed out or `block: false`), 1 (acquired) or 2 (acquired, abandoned).
 */

import { deadlineAfter, InvalidStateError, planWait, type WaitOptions } from '@ipc/core';
import { type Caller, managedType, type SessionHooks } from '../managed-type.ts';
import { WaitList } from '../wait-list.ts';

export const ACQUIRED = { NO: 0, YES: 1, ABANDONED: 2 } as const;

const FOREVER = deadlineAfter(undefined);

/** A lock served to many connections; the base of Lock and RLock. */
export class ServedLock {
  readonly reentrant: boolean;
  owner: SessionHooks | undefined;
  depth = 0;
  #abandoned = false;
  readonly #waiters = new WaitList();

  constructor(reentrant: boolean) {
    this.reentrant = reentrant;
  }

  /** Takes the lock for `caller`, waiting as `options` say; see ACQUIRED. */
  async acquire(caller: Caller, options: WaitOptions | undefined): Promise<number> {
    const { deadline } = planWait(options);
    const { session } = caller;
    if (this.reentrant && this.owner === session) {
      this.depth++;
      return ACQUIRED.YES;
    }
    while (this.owner !== undefined) {
      if (deadline.expired() || !(await this.#waiters.wait(deadline, caller.signal))) {
        if (this.owner !== undefined) return ACQUIRED.NO;
      }
    }
    return this.take(session, 1);
  }

  /**
   * Takes the lock back for `session` at `depth` after a Condition wait, waiting as long as it takes.
   *
   * @throws the reason the session ended, if it ends first (the lock is not taken then).
   */
  async reacquire(session: SessionHooks, depth: number): Promise<void> {
    // Fix: checked before each look at the lock, not only while waiting for it. A wait given up because its
    // connection ended found the lock free and took it for the dead session, whose end (and so the release
    // of what it owns) had already run: the lock stayed locked for good.
    for (;;) {
      if (session.ended.aborted) throw session.ended.reason;
      if (this.owner === undefined) break;
      await this.#waiters.wait(FOREVER, session.ended);
    }
    this.take(session, depth);
  }

  /** Makes `session` the owner at `depth`; see ACQUIRED. */
  take(session: SessionHooks, depth: number): number {
    this.owner = session;
    this.depth = depth;
    session.onEnd(this, () => this.#abandon(session));
    const abandoned = this.#abandoned;
    this.#abandoned = false;
    return abandoned ? ACQUIRED.ABANDONED : ACQUIRED.YES;
  }

  /** @throws {InvalidStateError} for an unlocked lock, or an RLock released by another connection. */
  release(session: SessionHooks): void {
    // Python's messages: Lock's "release unlocked lock", RLock's "cannot release un-acquired lock".
    if (this.owner === undefined) {
      throw new InvalidStateError(this.reentrant ? 'cannot release un-acquired lock' : 'release unlocked lock');
    }
    if (this.reentrant) {
      if (this.owner !== session)
        throw new InvalidStateError('cannot release un-acquired lock (another client owns it)');
      if (--this.depth > 0) return;
    }
    this.#free();
  }

  /** Releases an owned lock whatever its depth, for Condition.wait; returns the depth to restore. */
  releaseAll(session: SessionHooks): number {
    if (this.owner !== session) throw new InvalidStateError('cannot wait on un-acquired lock');
    const depth = this.depth;
    this.#free();
    return depth;
  }

  locked(): boolean {
    return this.owner !== undefined;
  }

  #free(): void {
    this.owner?.offEnd(this);
    this.owner = undefined;
    this.depth = 0;
    this.#waiters.wakeOne();
  }

  #abandon(session: SessionHooks): void {
    if (this.owner !== session) return;
    this.#abandoned = true;
    this.owner = undefined;
    this.depth = 0;
    this.#waiters.wakeOne();
  }
}

const lockMethods = {
  acquire: (lock: ServedLock, [options]: unknown[], caller: Caller) => lock.acquire(caller, options as WaitOptions),
  release: (lock: ServedLock, _args: unknown[], caller: Caller) => lock.release(caller.session),
  locked: (lock: ServedLock) => lock.locked(),
};

export const LOCK_TYPE = managedType<ServedLock>('Lock', () => new ServedLock(false), lockMethods);
export const RLOCK_TYPE = managedType<ServedLock>('RLock', () => new ServedLock(true), lockMethods);
