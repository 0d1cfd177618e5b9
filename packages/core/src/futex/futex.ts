import { type Deadline, deadlineAfter } from '../deadline.ts';
import type { SharedBlock } from '../handle/shared-block.ts';
import { SHARED_BLOCK, SharedHandle } from '../handle/shared-handle.ts';
import { defineSharedType } from '../handle/shared-type.ts';
import { type ParkingSpot, parkUntil, parkUntilSync, wakeParked } from '../wait/park.ts';
import { FUTEX_BYTES, FUTEX_LAYOUT_VERSION, FUTEX_TAG, FutexLayout } from './layout.ts';

/** Options of a futex wait. */
export interface FutexWaitOptions {
  /** Milliseconds; `undefined` waits for ever; negative counts as 0. */
  timeout?: number | undefined;
  /** Aborts the async form with the signal's reason. */
  signal?: AbortSignal | undefined;
}

const FUTEX_TYPE = defineSharedType({
  name: 'ipc.core.Futex',
  tag: FUTEX_TAG,
  version: FUTEX_LAYOUT_VERSION,
  revive: (block) => new Futex(block),
});

function checkInt32(value: number, name: string): number {
  if (!Number.isInteger(value) || value < -(2 ** 31) || value >= 2 ** 31) {
    throw new RangeError(`${name} must be a 32-bit integer, got ${value}`);
  }
  return value;
}

/**
 * One shared 32-bit integer that threads can wait on until it changes: the building block of every @ipc
 * primitive, exported for advanced users who build their own. It crosses threads like any primitive
 * (`share()`/`revive()`, Process args, messages).
 *
 * **Python equivalent:** none (Python's primitives hide their futexes); closest is a `Value('i')` plus a
 * `Condition`.
 *
 * **When to use:** signalling between your own workers with the least overhead; otherwise prefer `Event`,
 * `Lock` or `Queue`.
 *
 * **Thread rules:** every method may be called from any thread; `waitWhileSync` blocks the calling thread
 * (fine in a worker, avoid on the main thread), `waitWhile` never blocks the event loop.
 *
 * @example
 * ```ts
 * const ready = new Futex(0);
 * new Worker(url, { workerData: share(ready) });   // worker: f.store(1); f.notify();
 * await ready.waitWhile(0, { timeout: 1000 });    // true once the worker stored 1
 * ```
 */
export class Futex extends SharedHandle {
  readonly #spot: ParkingSpot;

  /** A new futex holding `initial`, or (given a block by `revive`) the futex over that memory. */
  constructor(initial: number | SharedBlock = 0) {
    super(FUTEX_TYPE, typeof initial === 'number' ? FUTEX_BYTES : initial);
    const i32 = this[SHARED_BLOCK].int32(0, 3);
    this.#spot = { i32, valueIndex: FutexLayout.VALUE_INDEX, waitersIndex: FutexLayout.WAITERS_INDEX };
    if (typeof initial === 'number') Atomics.store(i32, FutexLayout.VALUE_INDEX, checkInt32(initial, 'initial'));
  }

  /** The current value. */
  load(): number {
    return Atomics.load(this.#spot.i32, FutexLayout.VALUE_INDEX);
  }

  /** Sets the value. Does not wake anyone: call `notify()` after. */
  store(value: number): void {
    Atomics.store(this.#spot.i32, FutexLayout.VALUE_INDEX, checkInt32(value, 'value'));
  }

  /** Adds `delta` and returns the previous value. */
  add(delta: number): number {
    return Atomics.add(this.#spot.i32, FutexLayout.VALUE_INDEX, checkInt32(delta, 'delta'));
  }

  /** Sets the value to `replacement` if it is `expected`; returns the value found. */
  compareExchange(expected: number, replacement: number): number {
    return Atomics.compareExchange(
      this.#spot.i32,
      FutexLayout.VALUE_INDEX,
      checkInt32(expected, 'expected'),
      checkInt32(replacement, 'replacement'),
    );
  }

  /** Wakes up to `count` threads waiting on this futex (all by default); returns how many woke. */
  notify(count = Number.POSITIVE_INFINITY): number {
    if (!(count >= 0)) throw new RangeError(`count must be a non-negative number, got ${count}`);
    return wakeParked(this.#spot, count);
  }

  /**
   * Waits, without blocking the event loop, while the value equals `expected`. Resolves `true` once it
   * differs (at once if it already does), `false` when the timeout passed first. Spurious wake-ups are
   * absorbed; the timeout is measured on a monotonic clock.
   *
   * @throws the signal's `reason` (rejects) when `signal` aborts.
   */
  async waitWhile(expected: number, options: FutexWaitOptions = {}): Promise<boolean> {
    const deadline = deadlineAfter(options.timeout);
    const changed = await parkUntil(this.#spot, this.#changedFrom(checkInt32(expected, 'expected')), {
      deadline,
      signal: options.signal,
    });
    return changed === true;
  }

  /** The blocking form of {@link Futex.waitWhile}: blocks the calling thread. */
  waitWhileSync(expected: number, options: FutexWaitOptions = {}): boolean {
    const deadline: Deadline = deadlineAfter(options.timeout);
    const changed = parkUntilSync(this.#spot, this.#changedFrom(checkInt32(expected, 'expected')), {
      deadline,
      signal: options.signal,
    });
    return changed === true;
  }

  #changedFrom(expected: number): () => true | undefined {
    const { i32 } = this.#spot;
    return () => (Atomics.load(i32, FutexLayout.VALUE_INDEX) !== expected ? true : undefined);
  }
}
