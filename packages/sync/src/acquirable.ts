/**
 * What Lock, RLock, Semaphore and BoundedSemaphore share: both forms of `acquire`, the `with`-statement
 * equivalents (`withLock`, disposable guards), and the `abandoned` report. Each subclass supplies one
 * attempt (its atomic algorithm) and `release`.
 */

import {
  type Attempt,
  type ParkingSpot,
  type ParkOptions,
  parkUntil,
  parkUntilSync,
  planWait,
  SHARED_BLOCK,
  type SharedBlock,
  SharedHandle,
  type SharedType,
  TimeoutError,
  type WaitOptions,
  type WaitPlan,
  wakeParked,
} from '@ipc/core';
import type { Acquisition } from './lock/lock-algorithm.ts';
import { LIVENESS_POLL_MS, Patience, STARVATION_MS } from './recovery.ts';

/**
 * Wraps a primitive's attempt so that it learns the caller's {@link Patience} (recovery.ts). The clock is
 * only read after a failed try (an uncontended acquire never reads it), then after each park and on every
 * 16th try between parks: a clock read costs as much as several tries, and the 1 ms threshold needs no
 * finer grain.
 */
function patientAttempt(tryOnce: (patience: Patience) => Acquisition | undefined): Attempt<Acquisition> {
  let firstFailure = -1;
  let tries = 0;
  let starving = false;
  return (parks) => {
    if (!starving && firstFailure >= 0 && (parks > 0 || (++tries & 15) === 0)) {
      starving = performance.now() - firstFailure >= STARVATION_MS;
    }
    const outcome = tryOnce(starving ? Patience.STARVING : parks > 0 ? Patience.PARKED : Patience.NEWCOMER);
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

  /** One attempt to acquire, by a caller that has waited as `patience` says (recovery.ts). */
  protected abstract tryAcquire(patience: Patience): Acquisition | undefined;

  /** What a waiter does just before it parks (core's ParkOptions.beforePark); none by default. */
  protected get beforePark(): ((seen: number) => number | undefined) | undefined {
    return undefined;
  }

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
    // Try once before setting up a wait: an uncontended acquire then costs one settled promise.
    const first = this.tryAcquire(Patience.NEWCOMER);
    if (first !== undefined) return this.#settle(first);
    if (plan.deadline.expired()) return this.#giveUp(false);
    let outcome: Acquisition | undefined;
    try {
      outcome = await parkUntil(this.spot, patientAttempt(this.tryAcquire.bind(this)), this.#parkOptions(plan));
    } catch (reason) {
      this.#passWakeUpOn();
      throw reason;
    }
    return this.#settleWait(outcome);
  }

  /** The blocking form of {@link Acquirable.acquire}: blocks the calling thread. */
  acquireSync(options?: WaitOptions): boolean {
    const plan = planWait(options);
    plan.signal?.throwIfAborted();
    const first = this.tryAcquire(Patience.NEWCOMER);
    if (first !== undefined) return this.#settle(first);
    if (plan.deadline.expired()) return this.#giveUp(false);
    return this.#settleWait(
      parkUntilSync(this.spot, patientAttempt(this.tryAcquire.bind(this)), this.#parkOptions(plan)),
    );
  }

  #parkOptions(plan: WaitPlan): ParkOptions {
    return { ...plan, pollMs: LIVENESS_POLL_MS, beforePark: this.beforePark };
  }

  #settle(outcome: Acquisition): true {
    this.#abandoned = outcome === 'recovered';
    return true;
  }

  /** The end of a wait: acquired, or gave up (timeout). */
  #settleWait(outcome: Acquisition | undefined): boolean {
    return outcome === undefined ? this.#giveUp(true) : this.#settle(outcome);
  }

  /**
   * A call that gives up (a try, or a timeout) tries once more as a waiter that has parked, which checks
   * whether the holder is alive: a try-lock loop on a lock whose holder died takes it over instead of
   * failing for ever. A waiter that parked and still leaves without the lock passes a wake-up on.
   */
  #giveUp(parked: boolean): boolean {
    const last = this.tryAcquire(Patience.GIVING_UP);
    if (last !== undefined) return this.#settle(last);
    if (parked) this.#passWakeUpOn();
    return false;
  }

  /**
   * A waiter that leaves without the lock may have been the one a release woke: that wake-up was meant to
   * reach a waiter that will take the lock or mark it again (lock-algorithm.ts), so it goes to the next
   * sleeper. An extra wake-up only makes a waiter try once more.
   */
  #passWakeUpOn(): void {
    wakeParked(this.spot, 1);
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
