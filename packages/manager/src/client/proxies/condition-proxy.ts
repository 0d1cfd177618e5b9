import { type Deadline, deadlineAfter, type WaitOptions } from '@ipc/core';
import { BaseProxy } from '../proxy.ts';
import { remoteOptions, timedOptions, withHeld } from './options.ts';

/**
 * A proxy of a managed Condition (over a managed Lock or RLock, or its own RLock).
 *
 * **Python equivalent:** `manager.Condition(lock)`; `wait_for` runs here, calling `wait` until the
 * predicate holds, as Python's proxy does.
 *
 * @example
 * ```ts
 * const cond = await manager.Condition();
 * await cond.acquire();
 * await cond.waitFor(async () => (await items.len()) > 0, 1000);
 * await cond.release();
 * ```
 */
export class ConditionProxy extends BaseProxy {
  /** True when acquired; false after `block: false` or the timeout found it held. */
  async acquire(options?: WaitOptions): Promise<boolean> {
    // Fix: the server answers as a lock's acquire does (0 not acquired, 1 acquired, 2 acquired abandoned),
    // which was returned as is: a number, not a boolean.
    const answer = (await this.callMethod('acquire', [remoteOptions(options)], options?.signal)) as number;
    return answer !== 0;
  }
  async release(): Promise<void> {
    await this.callMethod('release');
  }
  /**
   * Releases the lock, waits for a notify (true) or the timeout (false), and takes the lock back.
   *
   * @throws {InvalidStateError} when this thread does not hold the lock.
   */
  wait(timeoutOrOptions?: number | { timeout?: number; signal?: AbortSignal }): Promise<boolean> {
    const { timeout, signal } = timedOptions(timeoutOrOptions);
    return this.callMethod('wait', [timeout], signal) as Promise<boolean>;
  }
  /** Waits until `predicate()` is truthy (checked first), or the timeout passes; returns its last value. */
  async waitFor<R>(predicate: () => R | Promise<R>, timeout?: number): Promise<R> {
    const deadline: Deadline = deadlineAfter(timeout);
    let result = await predicate();
    while (!result) {
      if (deadline.expired()) break;
      const remaining = deadline.remaining();
      await this.wait(Number.isFinite(remaining) ? remaining : undefined);
      result = await predicate();
    }
    return result;
  }
  async notify(n = 1): Promise<void> {
    await this.callMethod('notify', [n]);
  }
  async notifyAll(): Promise<void> {
    await this.callMethod('notifyAll');
  }
  /** Runs `fn` holding the condition's lock. */
  withLock<R>(fn: () => R | Promise<R>): Promise<R> {
    return withHeld(this, fn);
  }
}
