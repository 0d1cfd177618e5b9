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
 * A waiter that has waited this long (ms) asks for hand-over and may take over from a dead holder. Below
 * it, a waiter neither checks liveness (a holder that just took the lock is alive) nor blocks newcomers.
 * The 1 ms threshold is Go's `starvationThresholdNs` (src/sync/mutex.go).
 */
export const STARVATION_MS = 1;
