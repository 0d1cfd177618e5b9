/**
 * The lock protocol over a lock's words (layout.ts): a futex mutex whose lock word holds the holder's
 * thread token, so that it is robust (a dead holder is taken over) and fair enough (a waiter that waited
 * long gets the lock handed over).
 *
 * Sources: the futex mutex of Drepper, "Futexes Are Tricky" (2011), mutex take 2, with the waiter count
 * kept apart (core wait/park.ts); the owner-in-the-lock-word and takeover of Linux robust futexes
 * (Documentation/locking/robust-futexes.rst), whose EOWNERDEAD becomes our 'recovered'; the hand-over to
 * starving waiters of Go's sync.Mutex (src/sync/mutex.go, "starvation mode").
 *
 * Every operation is an `Atomics` call and therefore sequentially consistent; the comments say why each
 * order matters.
 */

import { isThreadAlive, type ThreadToken } from '@ipc/core';
import { FREE, HANDED_OVER, LockLayout } from './layout.ts';

/** How an acquisition went: taken from a releaser, or taken over from a holder that died. */
export type Acquisition = 'acquired' | 'recovered';

/**
 * One attempt to take the lock for `token`.
 *
 * `patient` is true for a waiter that has parked or waited at least STARVATION_MS. Only a patient waiter
 * may take a lock HANDED_OVER while others are parked (newcomers must not barge past them), raises HUNGRY,
 * and checks whether the holder is alive (a lock taken a moment ago has a live holder; skipping the check
 * keeps the contended path cheap).
 */
export function tryAcquireLock(i32: Int32Array, token: ThreadToken, patient: boolean): Acquisition | undefined {
  const found = Atomics.compareExchange(i32, LockLayout.STATE_INDEX, FREE, token);
  if (found === FREE) return 'acquired';
  if (found === HANDED_OVER) {
    // With nobody parked there is nobody to hand over to (the waiter it was meant for gave up): take it.
    const mayTake = patient || Atomics.load(i32, LockLayout.WAITERS_INDEX) === 0;
    return mayTake && Atomics.compareExchange(i32, LockLayout.STATE_INDEX, HANDED_OVER, token) === HANDED_OVER
      ? 'acquired'
      : undefined;
  }
  if (!patient) return undefined;
  if (Atomics.load(i32, LockLayout.HUNGRY_INDEX) === 0) Atomics.store(i32, LockLayout.HUNGRY_INDEX, 1);
  // The CAS expects the dead token itself: if the lock changed hands meanwhile, nothing is taken over.
  if (!isThreadAlive(found) && Atomics.compareExchange(i32, LockLayout.STATE_INDEX, found, token) === found) {
    return 'recovered';
  }
  return undefined;
}

/** The token of the thread holding the lock, or 0 when it is free or being handed over. */
export function lockHolder(i32: Int32Array): ThreadToken {
  const state = Atomics.load(i32, LockLayout.STATE_INDEX);
  return Math.max(state, 0);
}

/**
 * Releases a held lock (whoever holds it). Returns false, changing nothing, when the lock is not held.
 * Wakes one parked waiter, if any.
 */
export function releaseLock(i32: Int32Array): boolean {
  const holder = Atomics.load(i32, LockLayout.STATE_INDEX);
  if (holder <= 0) return false;
  const hungry = Atomics.load(i32, LockLayout.HUNGRY_INDEX) === 1;
  const handOver = hungry && Atomics.load(i32, LockLayout.WAITERS_INDEX) > 0;
  // A CAS, not a store: of two threads releasing at once, exactly one succeeds.
  if (Atomics.compareExchange(i32, LockLayout.STATE_INDEX, holder, handOver ? HANDED_OVER : FREE) !== holder) {
    return false;
  }
  // The state changes before WAITERS is read again (as in wakeParked, core wait/park.ts): a waiter that
  // registered after that read sees the new state before it sleeps, so no wake-up is lost.
  const woken = Atomics.load(i32, LockLayout.WAITERS_INDEX) > 0 ? Atomics.notify(i32, LockLayout.STATE_INDEX, 1) : 0;
  if (woken === 0 && hungry) {
    // Nobody was asleep to take it: WAITERS counted a waiter that is spinning, leaving, or was terminated
    // while parked (its count is never given back). Free the lock instead of handing it to nobody, and
    // leave hand-over mode; a waiter that still starves raises HUNGRY again. If a waiter took the
    // hand-over meanwhile, this CAS fails and changes nothing.
    Atomics.compareExchange(i32, LockLayout.STATE_INDEX, HANDED_OVER, FREE);
    Atomics.store(i32, LockLayout.HUNGRY_INDEX, 0);
  }
  return true;
}
