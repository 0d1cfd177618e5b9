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
  /** Loads of the word before parking; defaults to {@link DEFAULT_SPIN_SYNC} / {@link DEFAULT_SPIN_ASYNC}. */
  readonly spin?: number | undefined;
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

/** Loads the word up to `spin` times; true when it moved away from `seen`. */
function spinUntilChanged(spot: ParkingSpot, seen: number, spin: number): boolean {
  for (let k = 0; k < spin; k++) {
    if (Atomics.load(spot.i32, spot.valueIndex) !== seen) return true;
  }
  return false;
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
  for (;;) {
    const seen = Atomics.load(spot.i32, spot.valueIndex);
    const result = attempt(parks);
    if (result !== undefined) return result;
    if (spinUntilChanged(spot, seen, spin)) continue;
    const left = options.deadline.remaining();
    if (left <= 0) return undefined;
    Atomics.add(spot.i32, spot.waitersIndex, 1);
    Atomics.wait(spot.i32, spot.valueIndex, seen, Math.min(left, pollMs));
    Atomics.sub(spot.i32, spot.waitersIndex, 1);
    parks++;
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
  for (;;) {
    // Checked on every round: the signal may abort while this loop runs between two parks.
    signal?.throwIfAborted();
    const seen = Atomics.load(spot.i32, spot.valueIndex);
    const result = attempt(parks);
    if (result !== undefined) return result;
    if (spinUntilChanged(spot, seen, spin)) continue;
    const left = options.deadline.remaining();
    if (left <= 0) return undefined;
    Atomics.add(spot.i32, spot.waitersIndex, 1);
    const parked = Atomics.waitAsync(spot.i32, spot.valueIndex, seen, Math.min(left, pollMs));
    if (!parked.async) {
      Atomics.sub(spot.i32, spot.waitersIndex, 1);
      continue;
    }
    parks++;
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
