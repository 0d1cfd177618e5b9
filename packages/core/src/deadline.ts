/**
 * Monotonic deadlines for every timed wait (design.md §5): a timeout becomes an absolute time on
 * `performance.now()`'s clock once, and each retry after a spurious wake-up asks what is left, so a loop of
 * short waits never sleeps longer than asked in total, and wall-clock changes do not matter.
 */

/** A point on the monotonic clock, or none (wait forever). */
export interface Deadline {
  /** Milliseconds left, never negative; `Infinity` when there is no deadline. */
  remaining(): number;
  /** True once the deadline has passed. */
  expired(): boolean;
}

const FOREVER: Deadline = { remaining: () => Number.POSITIVE_INFINITY, expired: () => false };

/**
 * Turns a timeout in milliseconds into a deadline. `undefined`, `null` and `Infinity` mean no deadline; a
 * negative timeout counts as 0 (Python's rule for `acquire` and `wait`).
 *
 * @throws {TypeError} if `timeoutMs` is not a number, {RangeError} if it is NaN.
 */
export function deadlineAfter(timeoutMs: number | null | undefined, name = 'timeout'): Deadline {
  if (timeoutMs === undefined || timeoutMs === null || timeoutMs === Number.POSITIVE_INFINITY) return FOREVER;
  if (typeof timeoutMs !== 'number') {
    throw new TypeError(`${name} must be a number of milliseconds, got ${typeof timeoutMs}`);
  }
  if (Number.isNaN(timeoutMs)) throw new RangeError(`${name} must be a number of milliseconds, got NaN`);
  const end = performance.now() + Math.max(0, timeoutMs);
  return {
    remaining: () => Math.max(0, end - performance.now()),
    expired: () => performance.now() >= end,
  };
}
