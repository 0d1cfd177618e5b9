/**
 * The managed Barrier: Python's `threading.Barrier(parties, timeout=...)` in the server (no `action`: a
 * function cannot travel to the server). `wait` gives each party its arrival index, 0 .. parties - 1. A
 * wait that times out, is cancelled, or whose connection ends breaks the barrier, as an exception in a
 * Python party does: the others get `BrokenBarrierError` until `reset()`.
 */

import { BrokenBarrierError, checkCount, checkTimeout, planTimed } from '@ipc/core';
import { type Caller, managedType } from '../managed-type.ts';
import { WaitList } from '../wait-list.ts';

/** One filling of the barrier: it ends released (all came) or broken. */
interface Generation {
  released: boolean;
  broken: boolean;
}

class ServedBarrier {
  readonly parties: number;
  readonly timeout: number | undefined;
  count = 0;
  broken = false;
  #generation: Generation = { released: false, broken: false };
  readonly #waiters = new WaitList();

  constructor(parties: number, timeout: number | undefined) {
    this.parties = parties;
    this.timeout = timeout;
  }

  async wait(timeout: unknown, caller: Caller): Promise<number> {
    const { deadline } = planTimed((timeout ?? this.timeout) as number | undefined);
    if (this.broken) throw new BrokenBarrierError('the barrier is broken');
    const generation = this.#generation;
    const index = this.count++;
    if (this.count === this.parties) {
      generation.released = true;
      this.#next();
      return index;
    }
    try {
      while (!generation.released && !generation.broken) {
        if (!(await this.#waiters.wait(deadline, caller.signal)) && !generation.released && !generation.broken) {
          this.#break();
        }
      }
    } catch (error) {
      if (!generation.released) this.#break();
      throw error;
    }
    if (!generation.released) throw new BrokenBarrierError('the barrier was broken or reset while waiting');
    return index;
  }

  /** A new, empty generation; the waiters of the last one are woken. */
  #next(): void {
    this.#generation = { released: false, broken: false };
    this.count = 0;
    this.#waiters.wakeAll();
  }

  #break(): void {
    this.broken = true;
    this.#generation.broken = true;
    this.#next();
  }

  abort(): void {
    this.#break();
  }

  reset(): void {
    this.#generation.broken = true;
    this.broken = false;
    this.#next();
  }
}

export const BARRIER_TYPE = managedType<ServedBarrier>(
  'Barrier',
  ([parties, options]) => {
    const timeout = (options as { timeout?: unknown } | undefined)?.timeout;
    if ((options as { action?: unknown } | undefined)?.action !== undefined) {
      throw new TypeError('a managed Barrier takes no action: a function cannot travel to the server');
    }
    return new ServedBarrier(checkCount(parties, 'parties', 1), checkTimeout(timeout));
  },
  {
    wait: (b, [timeout], caller) => b.wait(timeout, caller),
    reset: (b) => b.reset(),
    abort: (b) => b.abort(),
    parties: (b) => b.parties,
    nWaiting: (b) => b.count,
    broken: (b) => b.broken,
  },
);
