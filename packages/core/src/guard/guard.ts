/**
 * A robust guard: a spin lock over one shared Int32 word that holds its holder's thread token, for critical
 * sections of a few `Atomics` calls or one memory copy. A waiter that finds the holder dead takes the guard
 * over and is told so, to repair what the dead holder left half done (its journal, kept by the caller).
 *
 * Used where two or more shared words must change together although a thread can be terminated between any
 * two `Atomics` calls (a semaphore's count and holder records, a queue's tail and count).
 *
 * Sources: the owner-token takeover of Linux robust futexes (Documentation/locking/robust-futexes.rst),
 * whose EOWNERDEAD is `enterGuard`'s `true`; spin-then-sleep as in glibc's adaptive mutexes.
 */

import { isThreadAlive } from '../liveness/current-thread.ts';
import type { ThreadToken } from '../liveness/table.ts';

/** Spins between two liveness checks of the guard's holder. */
const CHECK_EVERY = 64;
/**
 * How long a holder must have been seen dead before its guard is taken over. A thread is recorded dead
 * when `Process.terminate()` is called, and V8 stops it at its next interrupt check, which can be some
 * microseconds later (a long copy); the grace keeps a taker from working beside a holder still running.
 */
const TAKEOVER_GRACE_MS = 5;
/** Spins before a waiter sleeps 1 ms at a time (the holder was descheduled, or copies a large message). */
const SPINS_BEFORE_SLEEP = 1024;

/**
 * Takes the guard at `index` for `token`. Returns true when it took it over from a holder that died:
 * the caller must then repair what that holder may have left half done, before anything else.
 *
 * @example
 * ```ts
 * if (enterGuard(words, GUARD, currentThreadToken())) rollBack(words);
 * try { ...change the words... } finally { leaveGuard(words, GUARD); }
 * ```
 */
export function enterGuard(i32: Int32Array, index: number, token: ThreadToken): boolean {
  let deadHolder = 0;
  let deadSince = 0;
  for (let spins = 1; ; spins++) {
    const holder = Atomics.compareExchange(i32, index, 0, token);
    if (holder === 0) return false;
    if (spins % CHECK_EVERY === 0 && !isThreadAlive(holder)) {
      if (holder !== deadHolder) {
        deadHolder = holder;
        deadSince = performance.now();
      } else if (
        performance.now() - deadSince >= TAKEOVER_GRACE_MS &&
        // The CAS expects the dead token: of two threads taking over at once, one succeeds.
        Atomics.compareExchange(i32, index, holder, token) === holder
      ) {
        return true;
      }
    }
    if (spins > SPINS_BEFORE_SLEEP) Atomics.wait(i32, index, holder, 1);
  }
}

/** Gives the guard back. Its sleepers wake by their 1 ms timeout: a release that rare needs no notify. */
export function leaveGuard(i32: Int32Array, index: number): void {
  Atomics.store(i32, index, 0);
}

/** True when the guard is held by a thread that died (and left its change possibly half done). */
export function isGuardAbandoned(i32: Int32Array, index: number): boolean {
  const holder = Atomics.load(i32, index);
  return holder !== 0 && !isThreadAlive(holder);
}
