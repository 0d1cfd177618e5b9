import {
  defineSharedType,
  type ParkingSpot,
  parkUntil,
  parkUntilSync,
  planTimed,
  SHARED_BLOCK,
  type SharedBlock,
  SharedHandle,
  type TimedWaitOptions,
  wakeParked,
} from '@ipc/core';
import { EVENT_BYTES, EVENT_LAYOUT_VERSION, EVENT_TAG, EVENT_WORDS, EventLayout, RAISE, SET_BIT } from './layout.ts';

const EVENT_TYPE = defineSharedType({
  name: 'ipc.sync.Event',
  tag: EVENT_TAG,
  version: EVENT_LAYOUT_VERSION,
  revive: (block) => new Event(block),
  module: import.meta.url,
});

/**
 * A flag in shared memory that threads can wait for: `set()` wakes every waiter, `clear()` resets it.
 *
 * **Python equivalent:** `multiprocessing.Event` (`threading.Event`): `set`, `clear`, `is_set` → `isSet`,
 * `wait(timeout)` with the timeout in milliseconds.
 *
 * **Thread rules:** every method may be called from any thread; `waitSync` blocks the calling thread,
 * `wait` never blocks the event loop. `isSet()` is a snapshot.
 *
 * @example
 * ```ts
 * const ready = new Event();
 * new Process({ target: worker, args: [ready] }).start();   // the worker calls ready.set()
 * if (await ready.wait(1000)) console.log('worker is ready');
 * ```
 */
export class Event extends SharedHandle {
  readonly #i32: Int32Array;
  readonly #spot: ParkingSpot;

  /** A new, clear event (or, given a block by `revive`, the event in that memory). */
  constructor(from?: SharedBlock) {
    super(EVENT_TYPE, from ?? EVENT_BYTES);
    this.#i32 = this[SHARED_BLOCK].int32(0, EVENT_WORDS);
    this.#spot = { i32: this.#i32, valueIndex: EventLayout.STATE_INDEX, waitersIndex: EventLayout.WAITERS_INDEX };
  }

  /** True while the flag is set. **Python equivalent:** `is_set()`. */
  isSet(): boolean {
    return (Atomics.load(this.#i32, EventLayout.STATE_INDEX) & SET_BIT) !== 0;
  }

  /** Sets the flag and wakes every waiter. */
  set(): void {
    let state = Atomics.load(this.#i32, EventLayout.STATE_INDEX);
    while ((state & SET_BIT) === 0) {
      // Raising the flag also counts one more set(), in the same CAS: a waiter compares that count.
      const found = Atomics.compareExchange(this.#i32, EventLayout.STATE_INDEX, state, (state + RAISE) & 0x7fffffff);
      if (found === state) {
        // The CAS comes before wakeParked's load of WAITERS (core wait/park.ts): no waiter is missed.
        wakeParked(this.#spot);
        return;
      }
      state = found;
    }
  }

  /** Clears the flag; later waits block until the next `set()`. */
  clear(): void {
    Atomics.and(this.#i32, EventLayout.STATE_INDEX, ~SET_BIT);
  }

  /**
   * Waits, without blocking the event loop, until the flag is set. Resolves `true` once it is (at once if
   * it already is), `false` when the timeout passed first (Python returns the flag, which is the same).
   *
   * @throws the signal's `reason` (rejects) when `signal` aborts; {RangeError} for a NaN or infinite timeout.
   */
  async wait(timeoutOrOptions?: number | TimedWaitOptions): Promise<boolean> {
    const { deadline, signal } = planTimed(timeoutOrOptions);
    return (await parkUntil(this.#spot, this.#setSince(), { deadline, signal })) === true;
  }

  /** The blocking form of {@link Event.wait}: blocks the calling thread. */
  waitSync(timeoutOrOptions?: number | TimedWaitOptions): boolean {
    const { deadline, signal } = planTimed(timeoutOrOptions);
    return parkUntilSync(this.#spot, this.#setSince(), { deadline, signal }) === true;
  }

  /** An attempt that succeeds once the flag is set, or once a set() happened since the wait began. */
  #setSince(): () => true | undefined {
    const start = Atomics.load(this.#i32, EventLayout.STATE_INDEX);
    const startSets = start >>> 1;
    return () => {
      const state = Atomics.load(this.#i32, EventLayout.STATE_INDEX);
      return (state & SET_BIT) !== 0 || state >>> 1 !== startSets ? true : undefined;
    };
  }
}
