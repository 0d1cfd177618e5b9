/**
 * The options every blocking call takes (design.md §4), checked once at the call and turned into what the
 * wait loop needs: a monotonic deadline and the abort signal.
 */

import { type Deadline, deadlineAfter } from '../deadline.ts';

/**
 * Options of a blocking call: `acquire`, `wait`, and the rest.
 *
 * **Python equivalent:** `acquire(block=True, timeout=None)`, with `timeout` in **milliseconds**.
 */
export interface WaitOptions {
  /** `false` tries once and returns at once; the timeout is then ignored (`multiprocessing`'s rule; `threading` raises instead). Default `true`. */
  block?: boolean | undefined;
  /** Milliseconds to wait at most; `undefined` waits for ever; a negative timeout counts as 0. */
  timeout?: number | undefined;
  /** Aborting it rejects the pending call (or throws, for the `*Sync` form) with the signal's `reason`. */
  signal?: AbortSignal | undefined;
}

/** A checked wait: when to give up, and what can cut it short. */
export interface WaitPlan {
  readonly deadline: Deadline;
  readonly signal: AbortSignal | undefined;
}

const TRY_ONCE = deadlineAfter(0);
/** The plan of a call without options, shared (plans are never modified): no allocation per call. */
const WAIT_FOREVER: WaitPlan = Object.freeze({ deadline: deadlineAfter(undefined), signal: undefined });

/**
 * Checks a timeout given in milliseconds: a finite number (negative counts as 0), or `undefined`/`null`
 * for no limit.
 *
 * @throws {TypeError} for a non-number, {RangeError} for NaN or an infinite timeout (Python refuses them too).
 */
export function checkTimeout(timeout: unknown, name = 'timeout'): number | undefined {
  if (timeout === undefined || timeout === null) return undefined;
  if (typeof timeout !== 'number')
    throw new TypeError(`${name} must be a number of milliseconds, got ${typeof timeout}`);
  if (!Number.isFinite(timeout)) {
    throw new RangeError(`${name} must be a finite number of milliseconds, got ${timeout}; omit it to wait for ever`);
  }
  return timeout;
}

/** What a `wait(timeout)` call also accepts in place of the timeout: the timeout and an abort signal. */
export interface TimedWaitOptions {
  /** Milliseconds to wait at most; omitted waits for ever; a negative timeout counts as 0. */
  timeout?: number | undefined;
  /** Aborting it rejects the pending call (or throws, for the `*Sync` form) with the signal's `reason`. */
  signal?: AbortSignal | undefined;
}

/**
 * Turns the argument of `wait(timeout)` (a number of milliseconds, or `{ timeout, signal }`) into a plan.
 *
 * @throws {TypeError}/{RangeError} for a bad timeout or signal.
 */
export function planTimed(timeoutOrOptions: number | TimedWaitOptions | undefined): WaitPlan {
  if (typeof timeoutOrOptions === 'object' && timeoutOrOptions !== null) {
    const { timeout, signal } = timeoutOrOptions;
    if (signal !== undefined && !(signal instanceof AbortSignal)) throw new TypeError('signal must be an AbortSignal');
    return { deadline: deadlineAfter(checkTimeout(timeout)), signal };
  }
  return { deadline: deadlineAfter(checkTimeout(timeoutOrOptions)), signal: undefined };
}

/**
 * Turns options into a plan.
 *
 * @throws {TypeError} if `options` is not an object or a field has the wrong type; {RangeError} for a bad
 * timeout.
 */
export function planWait(options: WaitOptions | undefined): WaitPlan {
  if (options === undefined) return WAIT_FOREVER;
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`options must be an object like { block, timeout, signal }, got ${typeof options}`);
  }
  const { block, timeout, signal } = options;
  if (block !== undefined && typeof block !== 'boolean')
    throw new TypeError(`block must be a boolean, got ${typeof block}`);
  if (signal !== undefined && !(signal instanceof AbortSignal)) throw new TypeError('signal must be an AbortSignal');
  const checked = checkTimeout(timeout);
  return { deadline: block === false ? TRY_ONCE : deadlineAfter(checked), signal };
}

/**
 * Checks a count argument (a semaphore's value, `release(n)`, `notify(n)`, a barrier's parties).
 *
 * @throws {TypeError} for a non-number, {RangeError} for a non-integer or a value out of `min..max`.
 */
export function checkCount(value: unknown, name: string, min: number, max = 2 ** 31 - 1): number {
  if (typeof value !== 'number') throw new TypeError(`${name} must be an integer, got ${typeof value}`);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`${name} must be an integer from ${min} to ${max}, got ${value}`);
  }
  return value;
}
