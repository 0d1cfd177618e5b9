/**
 * `wait()`: which of several objects are ready (connections with a message or a closed peer, ended
 * processes' sentinels, anything that implements core's readiness protocol). Atomics can park on one word at
 * a time, so the async form parks on all the objects' words at once with `Atomics.waitAsync` and wakes at
 * the first change, and the sync form parks on the first object's word in short slices, looking at all of
 * them between.
 *
 * Each object's waiter count is raised before its word is read and its readiness checked, so that a
 * notifier that changes the word after the check sees a waiter and wakes it (core wait/park.ts).
 */

import { deadlineAfter, isWaitable, type ParkingSpot, type Readiness, WAITABLE, type Waitable } from '@ipc/core';

/** Longest park before looking again: a peer that died announces nothing. */
const POLL_MS = 50;
/** Longest park of the sync form on one object's word while others may become ready unannounced to it. */
const SYNC_SLICE_MS = 1;

function readinessOf(objects: Iterable<Waitable>): { objects: Waitable[]; readiness: Readiness[] } {
  if (objects === null || typeof objects !== 'object' || !(Symbol.iterator in objects)) {
    throw new TypeError('wait() takes an array (or iterable) of connections and process sentinels');
  }
  const list = [...objects];
  const readiness = list.map((object, index) => {
    if (!isWaitable(object)) {
      throw new TypeError(`wait(): item ${index} is not a Connection or a process sentinel`);
    }
    return object[WAITABLE];
  });
  return { objects: list, readiness };
}

function readyOnes<T>(objects: readonly T[], readiness: readonly Readiness[]): T[] {
  return objects.filter((_, index) => (readiness[index] as Readiness).ready());
}

function register(spots: readonly ParkingSpot[], by: number): void {
  for (const spot of spots) Atomics.add(spot.i32, spot.waitersIndex, by);
}

/**
 * Waits until at least one of `objects` is ready, or `timeout` ms have passed (none or `null`: for ever), and
 * returns the ready ones, in the order given (empty on timeout). Never blocks the event loop.
 *
 * **Python equivalent:** `multiprocessing.connection.wait(object_list, timeout=None)`.
 *
 * @example
 * ```ts
 * const ready = await wait([connA, connB, proc.sentinel], 1_000);
 * for (const conn of ready) if (conn instanceof Connection) console.log(await conn.recv());
 * ```
 */
export async function wait<T extends Waitable>(objects: Iterable<T>, timeout: number | null = null): Promise<T[]> {
  const { objects: list, readiness } = readinessOf(objects);
  const deadline = deadlineAfter(timeout);
  const spots = readiness.map((r) => r.spot);
  for (;;) {
    register(spots, 1);
    try {
      const seen = spots.map((spot) => Atomics.load(spot.i32, spot.valueIndex));
      const ready = readyOnes(list as T[], readiness);
      if (ready.length > 0 || deadline.expired()) return ready;
      const slice = Math.min(deadline.remaining(), POLL_MS);
      await Promise.race(
        spots.map((spot, index) => Atomics.waitAsync(spot.i32, spot.valueIndex, seen[index] as number, slice).value),
      );
    } finally {
      register(spots, -1);
    }
  }
}

/** The blocking form of {@link wait}: blocks the calling thread. */
export function waitSync<T extends Waitable>(objects: Iterable<T>, timeout: number | null = null): T[] {
  const { objects: list, readiness } = readinessOf(objects);
  const deadline = deadlineAfter(timeout);
  const spots = readiness.map((r) => r.spot);
  const first = spots[0];
  for (;;) {
    const ready = readyOnes(list as T[], readiness);
    if (ready.length > 0 || deadline.expired() || first === undefined) return ready;
    register(spots, 1);
    try {
      const seen = Atomics.load(first.i32, first.valueIndex);
      if (readyOnes(list as T[], readiness).length === 0) {
        Atomics.wait(first.i32, first.valueIndex, seen, Math.min(deadline.remaining(), SYNC_SLICE_MS));
      }
    } finally {
      register(spots, -1);
    }
  }
}
