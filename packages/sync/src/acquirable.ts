/**
 * What Lock, RLock, Semaphore and BoundedSemaphore share: both forms of `acquire`, the `with`-statement
 * equivalents (`withLock`, disposable guards), and the `abandoned` report. Each subclass supplies one
 * attempt (its atomic algorithm) and `release`.
 */

import {
  type Attempt,
  type ParkingSpot,
  parkUntil,
  parkUntilSync,
  SHARED_BLOCK,
  type SharedBlock,
  SharedHandle,
  type SharedType,
  TimeoutError,
} from '@ipc/core';
import type { Acquisition } from './lock/lock-algorithm.ts';
import { planWait, type WaitOptions } from './options.ts';
import { LIVENESS_POLL_MS, STARVATION_MS } from './recovery.ts';

/**
 * Wraps a primitive's attempt so that it learns whether the caller is *patient*: it has parked at least
 * once, or has been trying for STARVATION_MS (recovery.ts). The clock is only read after a failed try, so
 * an uncontended acquire never reads it.
 */
function patientAttempt(tryOnce: (patient: boolean) => Acquisition | undefined): Attempt<Acquisition> {
  let firstFailure = -1;
  return (parks) => {
    const patient = parks > 0 || (firstFailure >= 0 && performance.now() - firstFailure >= STARVATION_MS);
    const outcome = tryOnce(patient);
    if (outcome === undefined && firstFailure < 0) firstFailure = performance.now();
    return outcome;
  };
}

/** A lock-like primitive: acquire (two forms), release, and the ways to hold it for a block of code. */
export abstract class Acquirable extends SharedHandle {
  #abandoned = false;

  protected constructor(type: SharedType, from: SharedBlock | number) {
    super(type, from);
  }

  /** The word waiters park on and its waiter count. */
  protected abstract get spot(): ParkingSpot;

  /** One attempt to acquire; `patient` as in lock-algorithm.ts. */
  protected abstract tryAcquire(patient: boolean): Acquisition | undefined;

  /** Releases what this thread acquired. */
  abstract release(): void;

  /**
   * True when this thread's latest successful acquire took over from a holder that died without
   * releasing (return, throw, `exit()` or `terminate()` while holding it), like a pthread robust mutex's
   * `EOWNERDEAD`. What the lock protected may be half-updated: check or repair it. Reset by the next acquire.
   *
   * **Python equivalent:** none; Python's lock stays locked for ever in this case (cpython gh-88304).
   */
  get abandoned(): boolean {
    return this.#abandoned;
  }

  /**
   * Acquires without blocking the event loop. Resolves `true` once acquired, `false` when `block: false`
   * found it taken or the timeout passed first.
   *
   * **Python equivalent:** `acquire(block=True, timeout=None)` (timeout in milliseconds here).
   *
   * @throws the signal's `reason` (rejects) when `signal` aborts; {TypeError}/{RangeError} for bad options.
   */
  async acquire(options?: WaitOptions): Promise<boolean> {
    const plan = planWait(options);
    plan.signal?.throwIfAborted();
    if (plan.deadline.expired()) return this.#settle(this.tryAcquire(false));
    const outcome = await parkUntil(this.spot, patientAttempt(this.tryAcquire.bind(this)), {
      ...plan,
      pollMs: LIVENESS_POLL_MS,
    });
    return this.#settle(outcome);
  }

  /** The blocking form of {@link Acquirable.acquire}: blocks the calling thread. */
  acquireSync(options?: WaitOptions): boolean {
    const plan = planWait(options);
    plan.signal?.throwIfAborted();
    const first = this.tryAcquire(false);
    if (first !== undefined || plan.deadline.expired()) return this.#settle(first);
    const outcome = parkUntilSync(this.spot, patientAttempt(this.tryAcquire.bind(this)), {
      ...plan,
      pollMs: LIVENESS_POLL_MS,
    });
    return this.#settle(outcome);
  }

  /**
   * Records the outcome. A call that gives up (a try, or a timeout) first tries once more as a patient
   * waiter, which checks whether the holder is alive: a try-lock loop on a lock whose holder died
   * takes it over instead of failing for ever.
   */
  #settle(outcome: Acquisition | undefined): boolean {
    outcome ??= this.tryAcquire(true);
    if (outcome === undefined) return false;
    this.#abandoned = outcome === 'recovered';
    return true;
  }

  /**
   * Runs `fn` while holding this primitive and releases it afterwards, even when `fn` throws or rejects.
   *
   * **Python equivalent:** `with lock: ...`.
   *
   * @throws {TimeoutError} when `options` limit the wait and it was not acquired.
   *
   * @example
   * ```ts
   * await lock.withLock(() => { counter.value += 1; });
   * ```
   */
  async withLock<T>(fn: () => T | Promise<T>, options?: WaitOptions): Promise<T> {
    if (!(await this.acquire(options))) throw this.#notAcquired(options);
    try {
      return await fn();
    } finally {
      this.release();
    }
  }

  /**
   * Acquires, and returns a guard whose disposal releases: `using g = await lock.guard();`.
   *
   * **Python equivalent:** `with lock:`.
   *
   * @throws {TimeoutError} when `options` limit the wait and it was not acquired.
   */
  async guard(options?: WaitOptions): Promise<Disposable> {
    if (!(await this.acquire(options))) throw this.#notAcquired(options);
    return this.#guard();
  }

  /** The blocking form of {@link Acquirable.guard}: `using g = lock.guardSync();`. */
  guardSync(options?: WaitOptions): Disposable {
    if (!this.acquireSync(options)) throw this.#notAcquired(options);
    return this.#guard();
  }

  #guard(): Disposable {
    let held = true;
    return {
      [Symbol.dispose]: () => {
        // Disposing twice releases once: a second release could free someone else's holding.
        if (!held) return;
        held = false;
        this.release();
      },
    };
  }

  #notAcquired(options: WaitOptions | undefined): TimeoutError {
    const how = options?.block === false ? 'without blocking' : `within ${options?.timeout} ms`;
    const kind = this[SHARED_BLOCK].type.name.replace('ipc.sync.', '');
    return new TimeoutError(`could not acquire the ${kind} ${how}`);
  }
}
