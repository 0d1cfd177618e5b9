/**
 * The futex protocol over one `(Int32Array, valueIndex, waitersIndex)` pair, used by every blocking call:
 * try the operation, spin briefly watching the word, then park on it with `Atomics.wait` (sync) or
 * `Atomics.waitAsync` (async) until it changes, the deadline passes or the signal aborts.
 *
 * Waiter counting: a parker adds itself to the waiters word before it parks, and a waker that changed the
 * value word only calls `Atomics.notify` when that count is non-zero, so an uncontended release costs one
 * load instead of a notify (Drepper, "Futexes Are Tricky", mutex take 2, applied to V8's futex emulation).
 * Why no wake-up is lost: every `Atomics` operation is sequentially consistent. The parker does
 * `add(waiters)` then `wait(value == seen)`; the waker does `store(value)` then `load(waiters)`. If the
 * waker reads 0 waiters, its load came before the parker's add, so its store came before the parker's
 * `wait`, which then sees the new value and returns at once ('not-equal').
 */

import type { Deadline } from '../deadline.ts';
import { holdEventLoop, releaseEventLoop } from './keep-alive.ts';

/** Where a waiter parks: the word it watches and the word that counts parked waiters. */
export interface ParkingSpot {
  readonly i32: Int32Array;
  readonly valueIndex: number;
  readonly waitersIndex: number;
}

/** How a wait loop behaves. */
export interface ParkOptions {
  readonly deadline: Deadline;
  /** Rejects the async form with the signal's reason. The sync form checks it once, before waiting. */
  readonly signal?: AbortSignal | undefined;
  /**
   * Longest single park in ms before `attempt` runs again even without a wake-up. Callers that must notice
   * something no wake-up announces (a lock holder that died) set it; the default parks until woken.
   */
  readonly pollMs?: number | undefined;
  /**
   * Loads of the word before parking, in total between two parks (a word that keeps changing while the
   * attempt keeps failing does not extend it); defaults to {@link DEFAULT_SPIN_SYNC} / {@link DEFAULT_SPIN_ASYNC}.
   */
  readonly spin?: number | undefined;
  /**
   * Called just before parking on a word that read `seen` (after the spin, before the waiter count goes
   * up): returns the value to park on, or `undefined` to run the attempt again instead of parking. For a
   * primitive whose wakers only look at the waiter count when the word carries a mark (a lock's
   * "contended" mark, like state 2 of Drepper's mutex): it sets the mark here, with a CAS from `seen`,
   * and parks on the marked value. Default: park on `seen`.
   */
  readonly beforePark?: ((seen: number) => number | undefined) | undefined;
}

/**
 * One try of the operation a wait loop waits to complete: its result, or `undefined` to keep waiting.
 * `parks` counts how many times this wait has parked (slept) so far, 0 on the first try: a primitive can
 * treat a waiter that has slept differently from a newcomer (e.g. hand a lock over to it).
 */
export type Attempt<T> = (parks: number) => T | undefined;

/**
 * Spin budget before a sync park, in loads of the word (7-14 ns each on Node 20, so 15-28 µs). Measured by
 * core's `pnpm bench` (spin budget table): a park + wake hand-off costs 7-26 µs here, so a spin shorter
 * than that (200 loads) falls into lock-step where every answer finds the other side asleep (~55k round
 * trips/s), while 2000 loads catch nearly every answer (~3M round trips/s, 0% parked); 10000 gains nothing.
 */
export const DEFAULT_SPIN_SYNC = 2000;
/** Spin budget before an async park (~2 µs): small, because spinning blocks the caller's event loop. */
export const DEFAULT_SPIN_ASYNC = 200;

/**
 * After a park, a waiter whose attempt still fails spins this share of its budget before parking again
 * (budget >> AFTER_PARK_SPIN_SHIFT, an eighth). It was woken for a change that someone else took (a
 * contended lock that its holder took back): spinning long then mostly slows the holder, whose lock word
 * the spinner keeps reading. Drepper's mutex (take 2) does not spin at all after a wake-up.
 */
const AFTER_PARK_SPIN_SHIFT = 3;

/**
 * Loads the word until it moves away from `seen`, at most `budget` times. Returns the budget left: > 0
 * when the word moved, 0 when the budget ran out first.
 */
function spinUntilChanged(spot: ParkingSpot, seen: number, budget: number): number {
  for (let left = budget; left > 0; left--) {
    if (Atomics.load(spot.i32, spot.valueIndex) !== seen) return left - 1;
  }
  return 0;
}

/**
 * Runs `attempt` until it returns a value other than `undefined`, parking on the spot's word in between.
 * Returns that value, or `undefined` when the deadline passed first. Blocks the calling thread.
 *
 * `attempt` must be what changes state (a CAS, a dequeue); the word is read before each attempt, so a
 * change that races with a failed attempt makes the park return at once instead of being missed.
 */
export function parkUntilSync<T>(spot: ParkingSpot, attempt: Attempt<T>, options: ParkOptions): T | undefined {
  options.signal?.throwIfAborted();
  const spin = options.spin ?? DEFAULT_SPIN_SYNC;
  const pollMs = options.pollMs ?? Number.POSITIVE_INFINITY;
  let parks = 0;
  // The spin budget is shared by every retry between two parks: a word that keeps changing while the
  // attempt keeps failing (a contended lock) must not keep the caller spinning, and past its deadline.
  let budget = spin;
  for (;;) {
    const seen = Atomics.load(spot.i32, spot.valueIndex);
    const result = attempt(parks);
    if (result !== undefined) return result;
    budget = spinUntilChanged(spot, seen, budget);
    if (budget > 0) continue;
    const left = options.deadline.remaining();
    if (left <= 0) return undefined;
    const parkOn = options.beforePark === undefined ? seen : options.beforePark(seen);
    if (parkOn === undefined) continue;
    Atomics.add(spot.i32, spot.waitersIndex, 1);
    const slept = Atomics.wait(spot.i32, spot.valueIndex, parkOn, Math.min(left, pollMs)) !== 'not-equal';
    Atomics.sub(spot.i32, spot.waitersIndex, 1);
    // 'not-equal' did not sleep: retry at once, and park without spinning if that fails too.
    if (slept) {
      parks++;
      budget = spin >> AFTER_PARK_SPIN_SHIFT;
    }
  }
}

/** Resolves with the signal's reason marker when it aborts; the listener is removed by `dispose`. */
function abortPromise(signal: AbortSignal): { promise: Promise<typeof ABORTED>; dispose(): void } {
  let onAbort: () => void = () => {};
  const promise = new Promise<typeof ABORTED>((resolve) => {
    onAbort = () => resolve(ABORTED);
    // A listener added to a signal that already aborted never fires: settle at once instead.
    if (signal.aborted) resolve(ABORTED);
    else signal.addEventListener('abort', onAbort, { once: true });
  });
  return { promise, dispose: () => signal.removeEventListener('abort', onAbort) };
}
const ABORTED = Symbol('aborted');

/**
 * The async form of {@link parkUntilSync}: never blocks the event loop (beyond a short spin), keeps the
 * thread alive while parked, and rejects with `signal.reason` when the signal aborts.
 */
export async function parkUntil<T>(
  spot: ParkingSpot,
  attempt: Attempt<T>,
  options: ParkOptions,
): Promise<T | undefined> {
  const { signal } = options;
  signal?.throwIfAborted();
  const spin = options.spin ?? DEFAULT_SPIN_ASYNC;
  const pollMs = options.pollMs ?? Number.POSITIVE_INFINITY;
  let parks = 0;
  // Shared by the retries between two parks, as in parkUntilSync.
  let budget = spin;
  for (;;) {
    // Checked on every round: the signal may abort while this loop runs between two parks.
    signal?.throwIfAborted();
    const seen = Atomics.load(spot.i32, spot.valueIndex);
    const result = attempt(parks);
    if (result !== undefined) return result;
    budget = spinUntilChanged(spot, seen, budget);
    if (budget > 0) continue;
    const left = options.deadline.remaining();
    if (left <= 0) return undefined;
    const parkOn = options.beforePark === undefined ? seen : options.beforePark(seen);
    if (parkOn === undefined) continue;
    Atomics.add(spot.i32, spot.waitersIndex, 1);
    const parked = Atomics.waitAsync(spot.i32, spot.valueIndex, parkOn, Math.min(left, pollMs));
    if (!parked.async) {
      Atomics.sub(spot.i32, spot.waitersIndex, 1);
      continue;
    }
    parks++;
    budget = spin >> AFTER_PARK_SPIN_SHIFT;
    holdEventLoop();
    let abort: ReturnType<typeof abortPromise> | undefined;
    let outcome: Awaited<typeof parked.value> | typeof ABORTED;
    try {
      abort = signal && abortPromise(signal);
      outcome = abort ? await Promise.race([parked.value, abort.promise]) : await parked.value;
    } finally {
      abort?.dispose();
      releaseEventLoop();
      Atomics.sub(spot.i32, spot.waitersIndex, 1);
    }
    if (outcome === ABORTED) {
      // Our waitAsync is still queued in V8 and could swallow a later notify(1) meant for a live waiter.
      // Waking everyone on the word flushes it; the others re-check and park again.
      Atomics.notify(spot.i32, spot.valueIndex);
      throw signal?.reason;
    }
  }
}

/**
 * Wakes up to `count` threads parked on the spot. Call it after changing the value word; costs one load
 * when nobody is parked. Returns the number woken.
 */
export function wakeParked(spot: ParkingSpot, count = Number.POSITIVE_INFINITY): number {
  if (Atomics.load(spot.i32, spot.waitersIndex) === 0) return 0;
  return Atomics.notify(spot.i32, spot.valueIndex, count);
}
