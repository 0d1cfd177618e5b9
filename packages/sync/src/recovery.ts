/**
 * How the primitives notice a holder that died (design.md §6). A waiter parks at most
 * {@link LIVENESS_POLL_MS} at a time, then asks @ipc/core's liveness table whether the holder is still
 * alive; a dead holder's lock or permits are taken over by that waiter, which is told so (`abandoned`).
 *
 * Bound on the time to notice: the holder's death is recorded when its thread ends by return, throw or
 * `exit()`, at once by `Process.terminate()`/`kill()`, and by the parent's event loop for a raw
 * `worker.terminate()`; from then on a waiter notices within {@link LIVENESS_POLL_MS}.
 */

/** Longest single park of a waiter before it re-checks the holder's liveness, in milliseconds. */
export const LIVENESS_POLL_MS = 50;

/**
 * A waiter that has waited this long (ms) asks for hand-over. The 1 ms threshold is Go's
 * `starvationThresholdNs` (src/sync/mutex.go).
 */
export const STARVATION_MS = 1;

/**
 * How long the caller of one attempt has waited, as the attempt sees it:
 * - NEWCOMER: has not parked yet and waited less than STARVATION_MS. Neither checks liveness (a holder
 *   that just took the lock is alive) nor blocks other newcomers;
 * - PARKED: has parked (slept) at least once: may take a lock handed over to the parked waiters, and
 *   checks whether the holder is alive (a dead holder is noticed after a LIVENESS_POLL_MS park);
 * - STARVING: has waited STARVATION_MS or longer: as PARKED, and also asks for hand-over;
 * - GIVING_UP: the last try of a call about to return false (a `block: false` try, or a timeout): checks
 *   whether the holder is alive, so a try-lock loop ends, but is a newcomer for hand-over.
 */
export const Patience = { NEWCOMER: 0, PARKED: 1, STARVING: 2, GIVING_UP: 3 } as const;
export type Patience = (typeof Patience)[keyof typeof Patience];
