/**
 * What `Condition.wait` needs from its lock beyond the public API: release it completely (an RLock at any
 * depth) and later restore the depth. Python's `_release_save` / `_acquire_restore`. Symbols (shared by every copy of the package in a thread) keep these
 * out of the public surface.
 */

/** `[RELEASE_SAVE](): number`: releases the calling thread's holding entirely; returns the depth held. */
export const RELEASE_SAVE = Symbol.for('@ipc/sync.releaseSave');
/** `[RESTORE_DEPTH](depth): void`: after re-acquiring once, restores the depth `RELEASE_SAVE` returned. */
export const RESTORE_DEPTH = Symbol.for('@ipc/sync.restoreDepth');
