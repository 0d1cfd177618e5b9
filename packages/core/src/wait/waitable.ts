/**
 * The readiness protocol: how `wait(objects, timeout)` (in @ipc/pipe, Python's
 * `multiprocessing.connection.wait`) waits on things of different kinds at once: connections, process
 * sentinels, and whatever later packages add. Each exposes a readiness check and the futex word that
 * changes whenever readiness may have changed, so a waiter can park on it and re-check.
 */

import type { ParkingSpot } from './park.ts';

/** The property under which an object exposes its readiness, shared by every copy of @ipc/core. */
export const WAITABLE = Symbol.for('@ipc/core.waitable');

/** How to wait for one object. */
export interface Readiness {
  /** True when the object is ready (a connection has data or is closed, a process has ended). */
  ready(): boolean;
  /** The word that changes, with a wake-up, whenever `ready()` may have become true. */
  readonly spot: ParkingSpot;
}

/** An object `wait()` accepts. */
export interface Waitable {
  readonly [WAITABLE]: Readiness;
}

/** True for an object that implements the readiness protocol. */
export function isWaitable(value: unknown): value is Waitable {
  return typeof value === 'object' && value !== null && WAITABLE in value;
}
