import { TimeoutError, type WaitOptions } from '@ipc/core';
import { BaseProxy } from '../proxy.ts';
import { remoteOptions, withHeld } from './options.ts';

/** acquire's answers (server/types/lock.ts). */
const ABANDONED = 2;

/**
 * A proxy of a managed Lock, owned by the connection that took it (one per thread). A lock whose owner's
 * connection ended (its thread or process died) is released; the next `acquire` sets `abandoned`.
 *
 * **Python equivalent:** `manager.Lock()`; `with lock:` is `withLock(fn)`. Python's manager keeps a dead
 * owner's lock locked for ever.
 *
 * @example
 * ```ts
 * const lock = await manager.Lock();
 * await lock.withLock(async () => {
 *   await d.set('n', (await d.get('n', 0)) + 1);
 * });
 * ```
 */
export class LockProxy extends BaseProxy {
  /** True when the last successful `acquire` here took over a lock whose owner died holding it. */
  abandoned = false;

  /** True when acquired; false after `block: false` or the timeout found it held. */
  async acquire(options?: WaitOptions): Promise<boolean> {
    const answer = (await this.callMethod('acquire', [remoteOptions(options)], options?.signal)) as number;
    if (answer !== 0) this.abandoned = answer === ABANDONED;
    return answer !== 0;
  }
  /** @throws {InvalidStateError} when not locked (an RLock: when not owned by this thread). */
  async release(): Promise<void> {
    await this.callMethod('release');
  }
  locked(): Promise<boolean> {
    return this.callMethod('locked') as Promise<boolean>;
  }
  /** Runs `fn` holding the lock, released however `fn` ends. */
  withLock<R>(fn: () => R | Promise<R>): Promise<R> {
    return withHeld(this, fn);
  }
  /**
   * Acquires, and gives a disposable that releases: `await using _ = await lock.guard()`.
   *
   * @throws {TimeoutError} when `block: false` or the timeout left the lock to another.
   */
  async guard(options?: WaitOptions): Promise<AsyncDisposable> {
    if (!(await this.acquire(options))) throw new TimeoutError('guard(): the lock was not acquired');
    return { [Symbol.asyncDispose]: () => this.release() };
  }
}

/**
 * A proxy of a managed RLock: reentrant for the thread that holds it; released by another → InvalidStateError.
 *
 * **Python equivalent:** `manager.RLock()`.
 */
export class RLockProxy extends LockProxy {}
