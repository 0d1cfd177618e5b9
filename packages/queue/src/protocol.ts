/**
 * What the data structures under the queue classes (ring/ for Queue, table/ for LifoQueue and PriorityQueue)
 * share with them: how a try that could not do its work says why, and how a take is given a decoder.
 */

/** A put found no room: `maxsize` messages queued, or a store that cannot grow further. */
export const FULL = Symbol('full');
/** A put found the queue shut down (under its guard, so no put commits after an immediate shutdown). */
export const SHUT = Symbol('shut');
/** A take found no message. */
export const EMPTY = Symbol('empty');

/** How a take turns the bytes `source[start..end)` into a message (they are reused once it returns). */
export type Decoder<T> = (source: Uint8Array, start: number, end: number) => T;
