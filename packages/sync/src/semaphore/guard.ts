/**
 * The GUARD of a robust semaphore (layout.ts): core's robust guard, held for a few `Atomics` calls, under
 * which VALUE and the holder records change together, with an undo journal so that a holder terminated
 * half-way leaves no half-done change behind.
 *
 * Source: a write-ahead undo log (the old values are written before the change and discarded after it),
 * the recovery that robust-futex users are told to do when they get EOWNERDEAD.
 */

import {
  enterGuard as enterRobustGuard,
  isGuardAbandoned as isRobustGuardAbandoned,
  leaveGuard as leaveRobustGuard,
  type ThreadToken,
} from '@ipc/core';
import { HolderSlot, Journal, NO_SLOT, SemaphoreLayout } from './layout.ts';

/** Takes the GUARD for `token`; taking it over from a dead holder rolls that holder's change back. */
export function enterGuard(i32: Int32Array, token: ThreadToken): void {
  if (enterRobustGuard(i32, SemaphoreLayout.GUARD_INDEX, token)) rollBack(i32);
}

/** True when the GUARD is held by a thread that died (with a change possibly half done). */
export function isGuardAbandoned(i32: Int32Array): boolean {
  return isRobustGuardAbandoned(i32, SemaphoreLayout.GUARD_INDEX);
}

/** Gives the GUARD back. */
export function leaveGuard(i32: Int32Array): void {
  leaveRobustGuard(i32, SemaphoreLayout.GUARD_INDEX);
}

/**
 * Opens the journal before a change: VALUE is `valueBefore`, and the records `slotA`, `slotB` (first
 * words, or NO_SLOT) are about to change. OPEN is stored last, so a journal is only used once complete.
 */
export function openJournal(i32: Int32Array, valueBefore: number, slotA: number, slotB: number): void {
  Atomics.store(i32, Journal.VALUE_BEFORE, valueBefore);
  Atomics.store(i32, Journal.SLOT_A, slotA);
  Atomics.store(i32, Journal.COUNT_A, slotA === NO_SLOT ? 0 : Atomics.load(i32, slotA + HolderSlot.COUNT));
  Atomics.store(i32, Journal.SLOT_B, slotB);
  Atomics.store(i32, Journal.COUNT_B, slotB === NO_SLOT ? 0 : Atomics.load(i32, slotB + HolderSlot.COUNT));
  Atomics.store(i32, Journal.OPEN, 1);
}

/** Closes the journal: the change is complete and stays. */
export function commitJournal(i32: Int32Array): void {
  Atomics.store(i32, Journal.OPEN, 0);
}

/** Undoes the change of a holder that died with its journal open. */
function rollBack(i32: Int32Array): void {
  if (Atomics.load(i32, Journal.OPEN) !== 1) return;
  Atomics.store(i32, SemaphoreLayout.VALUE_INDEX, Atomics.load(i32, Journal.VALUE_BEFORE));
  for (const [slotIndex, countIndex] of [
    [Journal.SLOT_A, Journal.COUNT_A],
    [Journal.SLOT_B, Journal.COUNT_B],
  ] as const) {
    const slot = Atomics.load(i32, slotIndex);
    if (slot !== NO_SLOT) Atomics.store(i32, slot + HolderSlot.COUNT, Atomics.load(i32, countIndex));
  }
  commitJournal(i32);
  // VALUE may have gone back up: waiters parked on the value the dead thread left must look again.
  if (Atomics.load(i32, SemaphoreLayout.WAITERS_INDEX) > 0) Atomics.notify(i32, SemaphoreLayout.VALUE_INDEX);
}
