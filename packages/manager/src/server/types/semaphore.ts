/**
 * The managed Semaphore and BoundedSemaphore: Python's `threading.Semaphore` and `BoundedSemaphore` in the
 * server. As @ipc/sync's robust semaphores, each connection's acquisitions are counted, and those of a
 * connection that ends without releasing them are given back (`{ robust: false }` for a semaphore used to
 * signal, where one client acquires and another releases).
 */

import { checkCount, InvalidStateError, planWait, type WaitOptions } from '@ipc/core';
import { type Caller, managedType, type SessionHooks } from '../managed-type.ts';
import { WaitList } from '../wait-list.ts';

export class ServedSemaphore {
  value: number;
  readonly bound: number | undefined;
  readonly robust: boolean;
  readonly #waiters = new WaitList();
  /** Permits held per connection (robust semaphores only). */
  readonly #held = new Map<SessionHooks, number>();

  constructor(value: number, bounded: boolean, robust: boolean) {
    this.value = value;
    this.bound = bounded ? value : undefined;
    this.robust = robust;
  }

  async acquire(caller: Caller, options: WaitOptions | undefined): Promise<boolean> {
    const { deadline } = planWait(options);
    while (this.value === 0) {
      if (deadline.expired() || !(await this.#waiters.wait(deadline, caller.signal))) {
        if (this.value === 0) return false;
      }
    }
    this.value--;
    if (this.robust) {
      const { session } = caller;
      this.#held.set(session, (this.#held.get(session) ?? 0) + 1);
      session.onEnd(this, () => this.#giveBack(session));
    }
    return true;
  }

  /** @throws {InvalidStateError} when a BoundedSemaphore would go over its initial value. */
  release(session: SessionHooks, n: number): void {
    if (this.bound !== undefined && this.value + n > this.bound) {
      throw new InvalidStateError('Semaphore released too many times');
    }
    const held = this.#held.get(session);
    if (held !== undefined) {
      if (held <= n) {
        this.#held.delete(session);
        session.offEnd(this);
      } else {
        this.#held.set(session, held - n);
      }
    }
    this.value += n;
    this.#waiters.wake(n);
  }

  #giveBack(session: SessionHooks): void {
    const held = this.#held.get(session) ?? 0;
    this.#held.delete(session);
    // Fix: a BoundedSemaphore never goes past its bound. Permits another client already released for this
    // one (allowed while under the bound) count as given back; before, the value could end up over it.
    const back = this.bound === undefined ? held : Math.min(held, this.bound - this.value);
    this.value += back;
    this.#waiters.wake(back);
  }
}

function create(bounded: boolean) {
  return ([value = 1, options]: unknown[]): ServedSemaphore => {
    const robust = (options as { robust?: unknown } | undefined)?.robust;
    if (robust !== undefined && typeof robust !== 'boolean') throw new TypeError('robust must be a boolean');
    return new ServedSemaphore(checkCount(value, 'value', 0), bounded, robust !== false);
  };
}

const semaphoreMethods = {
  acquire: (s: ServedSemaphore, [options]: unknown[], caller: Caller) => s.acquire(caller, options as WaitOptions),
  release: (s: ServedSemaphore, [n = 1]: unknown[], caller: Caller) => s.release(caller.session, checkCount(n, 'n', 1)),
  getValue: (s: ServedSemaphore) => s.value,
};

export const SEMAPHORE_TYPE = managedType('Semaphore', create(false), semaphoreMethods);
export const BOUNDED_SEMAPHORE_TYPE = managedType('BoundedSemaphore', create(true), semaphoreMethods);
