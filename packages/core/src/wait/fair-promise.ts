/**
 * Promises for values already at hand (a `get` that found a message, a `send` that found room) that do not
 * starve the event loop: resolving them at once, a loop like `for await (const m of queue)` over a queue
 * that never runs dry would run in microtasks for ever, and no timer, I/O callback or `setImmediate` of the
 * thread would run. So, when such promises have been handed out for a few milliseconds without a turn of the
 * event loop, the next one resolves after one (`setImmediate`), at a cost of a few microseconds every
 * YIELD_AFTER_MS.
 */

/** Time between forced turns of the event loop, under a steady stream of values at hand. */
const YIELD_AFTER_MS = 4;
/** The clock is read once per this many promises (reading it costs about as much as the promise). */
const CHECK_EVERY = 64;

let handedOut = 0;
let since = performance.now();

/** A settled promise: `settled` itself, when given, for the common case that needs no new one. */
export function fairlyResolved<T>(value: T, settled?: Promise<T>): Promise<T> {
  if (++handedOut % CHECK_EVERY === 0) {
    const now = performance.now();
    if (now - since >= YIELD_AFTER_MS) {
      since = now;
      return new Promise((resolve) => setImmediate(resolve, value));
    }
  }
  return settled ?? Promise.resolve(value);
}
