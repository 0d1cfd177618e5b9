import type { WaitOptions } from '@ipc/core';
import { BaseProxy } from '../proxy.ts';
import { remoteOptions, withHeld } from './options.ts';

/**
 * A proxy of a managed Semaphore. Permits a connection took and never gave back are returned when it ends
 * (its thread or process died), unless the semaphore was made with `{ robust: false }` (for signalling,
 * where one side acquires and another releases).
 *
 * **Python equivalent:** `manager.Semaphore(value)`.
 *
 * @example
 * ```ts
 * const slots = await manager.Semaphore(3);
 * await slots.withLock(() => download(url)); // at most 3 at a time, across processes
 * ```
 */
export class SemaphoreProxy extends BaseProxy {
  /** True when a permit was taken; false after `block: false` or the timeout found none. */
  acquire(options?: WaitOptions): Promise<boolean> {
    return this.callMethod('acquire', [remoteOptions(options)], options?.signal) as Promise<boolean>;
  }
  /** Gives `n` permits back. @throws {InvalidStateError} for a BoundedSemaphore past its initial value. */
  async release(n = 1): Promise<void> {
    await this.callMethod('release', [n]);
  }
  getValue(): Promise<number> {
    return this.callMethod('getValue') as Promise<number>;
  }
  /** Runs `fn` holding a permit, given back however `fn` ends. */
  withLock<R>(fn: () => R | Promise<R>): Promise<R> {
    return withHeld(this, fn);
  }
}

/**
 * A proxy of a managed BoundedSemaphore: releasing past the initial value is an InvalidStateError.
 *
 * **Python equivalent:** `manager.BoundedSemaphore(value)`.
 */
export class BoundedSemaphoreProxy extends SemaphoreProxy {}
