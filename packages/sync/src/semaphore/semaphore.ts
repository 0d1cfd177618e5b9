import {
  checkCount,
  currentThreadToken,
  defineSharedType,
  InvalidStateError,
  type ParkingSpot,
  SHARED_BLOCK,
  SharedBlock,
  type SharedType,
} from '@ipc/core';
import { Acquirable } from '../acquirable.ts';
import type { Acquisition } from '../lock/lock-algorithm.ts';
import { Patience } from '../recovery.ts';
import {
  BOUNDED_SEMAPHORE_TAG,
  NO_SLOT,
  SEMAPHORE_BYTES,
  SEMAPHORE_LAYOUT_VERSION,
  SEMAPHORE_TAG,
  SEMAPHORE_WORDS,
  SemaphoreLayout,
  UNBOUNDED,
} from './layout.ts';
import { reclaimDeadHolder, returnPermits, tryTakeCount, tryTakeRecorded } from './semaphore-algorithm.ts';

/** Options of a semaphore. */
export interface SemaphoreOptions {
  /**
   * `true` (default): permits are held by the thread that acquired them, and those a thread still holds
   * when it ends (return, throw, `exit()`, `terminate()`) go back to the semaphore; the waiter that takes
   * them over sees `abandoned === true`. Set `false` when the semaphore counts events rather than guards
   * a resource (one thread acquires, another releases), so that a consumer's ending gives nothing back.
   */
  robust?: boolean | undefined;
}

export const SEMAPHORE_TYPE = defineSharedType({
  name: 'ipc.sync.Semaphore',
  tag: SEMAPHORE_TAG,
  version: SEMAPHORE_LAYOUT_VERSION,
  revive: (block) => new Semaphore(block),
  module: import.meta.url,
});

export const BOUNDED_SEMAPHORE_TYPE = defineSharedType({
  name: 'ipc.sync.BoundedSemaphore',
  tag: BOUNDED_SEMAPHORE_TAG,
  version: SEMAPHORE_LAYOUT_VERSION,
  revive: (block) => new BoundedSemaphore(block),
  module: import.meta.url,
});

/**
 * A counting semaphore in shared memory: `acquire` takes one of `value` permits (waiting while there are
 * none), `release(n)` gives permits back. Unbounded: releasing more than was acquired raises the count.
 *
 * **Python equivalent:** `multiprocessing.Semaphore(value=1)` (`threading.Semaphore`).
 *
 * **Better than Python:** permits held by a thread that ends without releasing them are returned (see
 * {@link SemaphoreOptions.robust}); the waiter that takes them sees `abandoned === true`.
 *
 * **Thread rules:** every method may be called from any thread; `acquireSync` blocks the calling thread.
 * `getValue()` is a snapshot.
 *
 * @example
 * ```ts
 * const slots = new Semaphore(3);           // at most 3 workers in the section at once
 * await slots.withLock(() => download(url));
 * ```
 */
export class Semaphore extends Acquirable {
  readonly #i32: Int32Array;
  readonly #spot: ParkingSpot;
  readonly #robust: boolean;
  readonly #bound: number;
  /** Where this thread's holder record was last found (a hint; robust semaphores only). */
  #record: number = NO_SLOT;

  /**
   * A semaphore holding `value` permits (default 1), or (given a block by `revive`) the one in that memory.
   *
   * @throws {RangeError} if `value` is not an integer from 0 to 2^31-1; {TypeError} if it is not a number.
   */
  constructor(value?: number | SharedBlock, options?: SemaphoreOptions) {
    const from = SharedBlock.isBlock(value) ? value : undefined;
    const initial = from === undefined ? checkCount(value === undefined ? 1 : value, 'Semaphore value', 0) : 0;
    super(
      new.target === BoundedSemaphore ? BOUNDED_SEMAPHORE_TYPE : (SEMAPHORE_TYPE as SharedType),
      from ?? SEMAPHORE_BYTES,
    );
    this.#i32 = this[SHARED_BLOCK].int32(0, SEMAPHORE_WORDS);
    if (from === undefined) {
      Atomics.store(this.#i32, SemaphoreLayout.VALUE_INDEX, initial);
      Atomics.store(this.#i32, SemaphoreLayout.BOUND_INDEX, new.target === BoundedSemaphore ? initial : UNBOUNDED);
      Atomics.store(this.#i32, SemaphoreLayout.ROBUST_INDEX, options?.robust === false ? 0 : 1);
    }
    this.#robust = Atomics.load(this.#i32, SemaphoreLayout.ROBUST_INDEX) === 1;
    this.#bound = Atomics.load(this.#i32, SemaphoreLayout.BOUND_INDEX);
    this.#spot = {
      i32: this.#i32,
      valueIndex: SemaphoreLayout.VALUE_INDEX,
      waitersIndex: SemaphoreLayout.WAITERS_INDEX,
    };
  }

  protected override get spot(): ParkingSpot {
    return this.#spot;
  }

  protected override tryAcquire(patience: Patience): Acquisition | undefined {
    if (!this.#robust) return tryTakeCount(this.#i32) ? 'acquired' : undefined;
    const token = currentThreadToken();
    const record = tryTakeRecorded(this.#i32, token, this.#record);
    if (record !== undefined) {
      this.#record = record;
      return 'acquired';
    }
    // Only a waiter that has waited looks for dead holders: a scan is not worth it on every try.
    if (patience === Patience.NEWCOMER) return undefined;
    return reclaimDeadHolder(this.#i32, token, this.#record) ? 'recovered' : undefined;
  }

  /**
   * Returns `n` permits (default 1), waking up to `n` waiters. Any thread may release (a signal).
   *
   * @throws {RangeError} if `n` is not a positive integer; {InvalidStateError} for a `BoundedSemaphore`
   * released above its initial value.
   */
  release(n = 1): void {
    checkCount(n, 'n', 1);
    if (!returnPermits(this.#i32, currentThreadToken(), n, this.#bound, this.#robust)) {
      throw new InvalidStateError(`BoundedSemaphore released too many times (its bound is ${this.#bound})`);
    }
  }

  /** The number of permits available now (a snapshot). **Python equivalent:** `get_value()`. */
  getValue(): number {
    return Atomics.load(this.#i32, SemaphoreLayout.VALUE_INDEX);
  }
}

/**
 * A semaphore that refuses to be released above its initial value: catches a release without a matching
 * acquire.
 *
 * **Python equivalent:** `multiprocessing.BoundedSemaphore(value=1)`; over-release raises `ValueError`
 * there, {@link InvalidStateError} here.
 *
 * @example
 * ```ts
 * const pool = new BoundedSemaphore(2);
 * pool.release();   // throws InvalidStateError: nothing was acquired
 * ```
 */
export class BoundedSemaphore extends Semaphore {}
