/**
 * Callers waiting on a server object (a lock's acquirers, a queue's getters), woken first come first served.
 * The server runs on one thread, so a woken waiter re-checks its condition and either proceeds or waits
 * again: nothing is handed over between the wake-up and the check.
 */

import type { Deadline } from '@ipc/core';

/** The longest delay setTimeout takes. */
const MAX_TIMER_MS = 2 ** 31 - 1;

interface Waiter {
  wake(): void;
}

export class WaitList {
  /** In arrival order (a Set keeps insertion order and removes in O(1)). */
  readonly #waiters = new Set<Waiter>();

  get size(): number {
    return this.#waiters.size;
  }

  /**
   * Resolves true when woken, false when `deadline` passes first; rejects with the signal's reason when it is
   * aborted first (the client cancelled the call, or its connection ended).
   */
  wait(deadline: Deadline, signal: AbortSignal): Promise<boolean> {
    if (signal.aborted) return Promise.reject(signal.reason);
    if (deadline.expired()) return Promise.resolve(false);
    return new Promise<boolean>((resolve, reject) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      // setTimeout takes at most 2^31 - 1 ms (longer fires at once): a longer wait re-arms until its deadline.
      const arm = (): void => {
        const remaining = deadline.remaining();
        if (!Number.isFinite(remaining)) return;
        timer = setTimeout(() => (deadline.expired() ? settle(false) : arm()), Math.min(remaining, MAX_TIMER_MS));
      };
      arm();
      const onAbort = (): void => {
        this.#waiters.delete(waiter);
        clearTimeout(timer);
        reject(signal.reason);
      };
      const settle = (woken: boolean): void => {
        this.#waiters.delete(waiter);
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        resolve(woken);
      };
      const waiter: Waiter = { wake: () => settle(true) };
      this.#waiters.add(waiter);
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Wakes the longest waiting caller; false when nobody waits. */
  wakeOne(): boolean {
    for (const waiter of this.#waiters) {
      waiter.wake();
      return true;
    }
    return false;
  }

  /** Wakes up to `n` callers, longest waiting first; returns how many. */
  wake(n: number): number {
    let woken = 0;
    while (woken < n && this.wakeOne()) woken++;
    return woken;
  }

  wakeAll(): void {
    this.wake(this.#waiters.size);
  }
}
