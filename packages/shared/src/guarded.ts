/**
 * What `Value` and `SharedArray` share: a small block naming a raw object (a RawValue or a RawArray) and the
 * Lock or RLock that guards it (value/layout.ts, "Value"; the array's layout is the same), made or revived.
 */

import { attachShared, type Heap, SHARED_BLOCK, sharedTypeNamed } from '@ipc/core';
import { Lock, RLock } from '@ipc/sync';
import { LOCK_KIND_LOCK, LOCK_KIND_RLOCK, ValueLayout } from './value/layout.ts';

/** The `lock` option of Value and SharedArray. */
export type LockOption = true | Lock | RLock | undefined;

/** Checks the `lock` option of a guarded object (`false` is handled before: it makes the raw object). */
export function checkLockOption(given: unknown): void {
  if (given !== undefined && given !== true && !(given instanceof Lock) && !(given instanceof RLock)) {
    throw new TypeError('lock must be true, false, or a Lock or RLock of @ipc/sync');
  }
}

/**
 * Records `raw` and the lock (a new RLock unless one is given) in the guarded block's `words`, pinning both:
 * other threads revive them from these offsets, so their memory must outlive every copy (as share() does).
 */
export function recordGuarded<R extends { readonly [SHARED_BLOCK]: { heap: Heap; byteOffset: number } }>(
  words: Int32Array,
  raw: R,
  given: LockOption,
): { raw: R; lock: Lock | RLock } {
  const lock = given instanceof Lock || given instanceof RLock ? given : new RLock();
  for (const part of [raw, lock]) part[SHARED_BLOCK].heap.pin(part[SHARED_BLOCK].byteOffset);
  Atomics.store(words, ValueLayout.RAW_INDEX, raw[SHARED_BLOCK].byteOffset);
  Atomics.store(words, ValueLayout.LOCK_INDEX, lock[SHARED_BLOCK].byteOffset);
  Atomics.store(words, ValueLayout.LOCK_KIND_INDEX, lock instanceof RLock ? LOCK_KIND_RLOCK : LOCK_KIND_LOCK);
  return { raw, lock };
}

/** The raw object (of the shared type named `rawType`) and the lock a revived guarded block names. */
export function reviveGuarded<R>(words: Int32Array, heap: Heap, rawType: string): { raw: R; lock: Lock | RLock } {
  const kind = Atomics.load(words, ValueLayout.LOCK_KIND_INDEX);
  return {
    raw: attachShared(heap, Atomics.load(words, ValueLayout.RAW_INDEX) >>> 0, sharedTypeNamed(rawType)) as R,
    lock: attachShared(
      heap,
      Atomics.load(words, ValueLayout.LOCK_INDEX) >>> 0,
      sharedTypeNamed(kind === LOCK_KIND_RLOCK ? 'ipc.sync.RLock' : 'ipc.sync.Lock'),
    ) as Lock | RLock,
  };
}

/** Runs `fn` holding `lock` (blocking: the accessors it serves are synchronous). */
export function holding<T>(lock: Lock | RLock, fn: () => T): T {
  lock.acquireSync();
  try {
    return fn();
  } finally {
    lock.release();
  }
}
