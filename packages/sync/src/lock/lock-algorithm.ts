/**
 * The lock protocol over a lock's words (layout.ts): a futex mutex whose lock word holds the holder's
 * thread token, so that it is robust (a dead holder is taken over) and fair enough (a waiter that waited
 * long gets the lock handed over).
 *
 * Sources: the futex mutex of Drepper, "Futexes Are Tricky" (2011), mutex take 2: the CONTENDED mark
 * (his state 2) set by a waiter before it sleeps, so that only a marked release looks for sleepers, and
 * a waiter that slept takes the lock marked, so that its release wakes the next one; the owner-in-the-lock-
 * word and takeover of Linux robust futexes (Documentation/locking/robust-futexes.rst), whose EOWNERDEAD
 * becomes our 'recovered'; the hand-over to starving waiters of Go's sync.Mutex (src/sync/mutex.go,
 * "starvation mode").
 *
 * Why no waiter sleeps for ever (beyond the LIVENESS_POLL_MS poll, which is the backstop, not the design):
 * 1. a waiter parks only on a marked value (−t or HANDED_OVER), never on FREE or an unmarked t
 *    ({@link markContended}), and `Atomics.wait` sleeps only while STATE still holds that value;
 * 2. STATE leaves a marked value only by a contended release, which CASes STATE and then loads WAITERS
 *    (a parker adds itself to WAITERS before it waits: core wait/park.ts), and notifies one sleeper; or by
 *    a takeover or a taking of HANDED_OVER, which mark the new holding (3);
 * 3. the woken waiter carries the wake-up on for the others: it takes the lock marked (−token), or fails
 *    and marks the holder before parking again, or gives up and wakes the next sleeper (acquirable.ts).
 *
 * Every operation is an `Atomics` call and therefore sequentially consistent; the comments say why each
 * order matters.
 */

import { isThreadAlive, type ThreadToken } from '@ipc/core';
import { Patience } from '../recovery.ts';
import { FREE, HANDED_OVER, LockLayout } from './layout.ts';

/** How an acquisition went: taken from a releaser, or taken over from a holder that died. */
export type Acquisition = 'acquired' | 'recovered';

/** The holder's token in a STATE value (t or −t), or 0 when it is FREE or HANDED_OVER. */
function holderIn(state: number): ThreadToken {
  return state > 0 ? state : state === HANDED_OVER ? 0 : -state;
}

/**
 * One attempt to take the lock for `token`, by a caller that has waited as `patience` says (recovery.ts).
 *
 * A newcomer only tries to take a FREE lock (or a HANDED_OVER one nobody is parked for). A caller that
 * has parked, or starves, takes it marked CONTENDED, since other waiters may still sleep on it; may take a
 * lock HANDED_OVER while others are parked (newcomers must not barge past them); and checks whether the
 * holder is alive (a lock taken a moment ago has a live holder; skipping the check keeps the contended path
 * cheap). A starving caller also raises HUNGRY, so that the next contended release hands over.
 */
export function tryAcquireLock(i32: Int32Array, token: ThreadToken, patience: Patience): Acquisition | undefined {
  const waited = patience === Patience.PARKED || patience === Patience.STARVING;
  const found = Atomics.compareExchange(i32, LockLayout.STATE_INDEX, FREE, waited ? -token : token);
  // The rest is a function of its own, so that this one stays small enough for V8 to inline.
  return found === FREE ? 'acquired' : tryAcquireTaken(i32, token, waited, patience, found);
}

/** The rest of {@link tryAcquireLock}, when STATE was not FREE but `found`. */
function tryAcquireTaken(
  i32: Int32Array,
  token: ThreadToken,
  waited: boolean,
  patience: Patience,
  found: number,
): Acquisition | undefined {
  if (found === HANDED_OVER) {
    // With nobody parked there is nobody to hand over to (the waiter it was meant for gave up): take it.
    // Always marked: a waiter may park on HANDED_OVER right after this load, and must be woken.
    const mayTake = waited || Atomics.load(i32, LockLayout.WAITERS_INDEX) === 0;
    if (!mayTake || Atomics.compareExchange(i32, LockLayout.STATE_INDEX, HANDED_OVER, -token) !== HANDED_OVER) {
      return undefined;
    }
    // Go's rule for leaving starvation mode: the waiter that got the lock did not starve for it.
    if (patience !== Patience.STARVING && Atomics.load(i32, LockLayout.HUNGRY_INDEX) === 1) {
      Atomics.store(i32, LockLayout.HUNGRY_INDEX, 0);
    }
    return 'acquired';
  }
  if (patience === Patience.NEWCOMER) return undefined;
  if (patience === Patience.STARVING && Atomics.load(i32, LockLayout.HUNGRY_INDEX) === 0) {
    Atomics.store(i32, LockLayout.HUNGRY_INDEX, 1);
  }
  // The CAS expects the exact state seen (the dead token, marked or not): if the lock changed hands
  // meanwhile, nothing is taken over. Marked, as others may sleep on the dead holder's lock.
  if (
    !isThreadAlive(holderIn(found)) &&
    Atomics.compareExchange(i32, LockLayout.STATE_INDEX, found, -token) === found
  ) {
    return 'recovered';
  }
  return undefined;
}

/**
 * What a waiter does just before it parks, having seen STATE at `seen` (core's `beforePark`): marks the
 * holding CONTENDED and returns the value to park on, or returns undefined to try again instead (the lock
 * is FREE, or changed before the mark landed). A marked holding (−t) or HANDED_OVER is parked on as is.
 */
export function markContended(i32: Int32Array, seen: number): number | undefined {
  if (seen < 0) return seen;
  if (seen === FREE) return undefined;
  // A CAS from the value seen: the mark must land on that holding, not on a later one or on FREE. It comes
  // before the parker's WAITERS add, so a release that finds the mark also finds the parker (or its wait
  // finds STATE changed and does not sleep).
  return Atomics.compareExchange(i32, LockLayout.STATE_INDEX, seen, -seen) === seen ? -seen : undefined;
}

/** The token of the thread holding the lock, or 0 when it is free or being handed over. */
export function lockHolder(i32: Int32Array): ThreadToken {
  return holderIn(Atomics.load(i32, LockLayout.STATE_INDEX));
}

/**
 * Releases a held lock (whoever holds it; `caller` is the calling thread's token, the likely holder).
 * Returns false, changing nothing, when the lock is not held. Wakes one parked waiter, if any.
 */
export function releaseLock(i32: Int32Array, caller: ThreadToken): boolean {
  // The usual case: the caller holds it, unmarked. Waiters mark a holding before they park, so nobody
  // sleeps on this one: no WAITERS load, no notify. A CAS, so that of two releases exactly one succeeds.
  const state = Atomics.compareExchange(i32, LockLayout.STATE_INDEX, caller, FREE);
  // The rest is a function of its own, so that this one stays small enough for V8 to inline.
  return state === caller || releaseOther(i32, state);
}

/** The rest of {@link releaseLock}, when STATE was not the caller's unmarked token but `found`. */
function releaseOther(i32: Int32Array, found: number): boolean {
  let state = found;
  if (state > 0) {
    // Another thread's unmarked holding: any thread may release a Lock, as in Python.
    const seen = Atomics.compareExchange(i32, LockLayout.STATE_INDEX, state, FREE);
    if (seen === state) return true;
    // Only the CONTENDED mark may have landed on this same holding meanwhile: release it marked.
    if (seen !== -state) return false;
    state = seen;
  }
  if (state === FREE || state === HANDED_OVER) return false;
  // CONTENDED (−t). Hand over while a waiter starves and one is parked to take it. HUNGRY is cleared when
  // nobody is parked (the starving waiter gave up, or spins), so it does not outlive its waiter.
  const hungry = Atomics.load(i32, LockLayout.HUNGRY_INDEX) === 1;
  const handOver = hungry && Atomics.load(i32, LockLayout.WAITERS_INDEX) > 0;
  if (hungry && !handOver) Atomics.store(i32, LockLayout.HUNGRY_INDEX, 0);
  // Nobody else changes a marked holding but a takeover (its holder is dead, so not this call's caller
  // unless released on a dead thread's behalf) or another release: then this one has nothing to release.
  if (Atomics.compareExchange(i32, LockLayout.STATE_INDEX, state, handOver ? HANDED_OVER : FREE) !== state) {
    return false;
  }
  // The STATE CAS comes before the load of WAITERS (wakeParked's contract), so a waiter that registered
  // after our load sees the new state in its wait and does not sleep (core wait/park.ts).
  const woken = Atomics.load(i32, LockLayout.WAITERS_INDEX) > 0 ? Atomics.notify(i32, LockLayout.STATE_INDEX, 1) : 0;
  if (handOver && woken === 0) {
    // Nobody was asleep to take it: WAITERS counted a waiter that is spinning, leaving, or was terminated
    // while parked (its count is never given back). Free the lock instead of handing it to nobody, and
    // leave hand-over mode; a waiter that still starves raises HUNGRY again. If a waiter took the
    // hand-over meanwhile, this CAS fails and changes nothing.
    Atomics.store(i32, LockLayout.HUNGRY_INDEX, 0);
    // A waiter may have parked on HANDED_OVER since our notify: wake it to see the lock free.
    if (Atomics.compareExchange(i32, LockLayout.STATE_INDEX, HANDED_OVER, FREE) === HANDED_OVER) {
      if (Atomics.load(i32, LockLayout.WAITERS_INDEX) > 0) Atomics.notify(i32, LockLayout.STATE_INDEX, 1);
    }
  }
  return true;
}
