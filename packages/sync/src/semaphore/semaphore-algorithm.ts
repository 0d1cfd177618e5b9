/**
 * The semaphore protocol over a semaphore's words (layout.ts): a futex counting semaphore (Drepper,
 * "Futexes Are Tricky", with the waiter count of core wait/park.ts). A plain semaphore changes VALUE by CAS
 * alone. A robust one also keeps a record per holder thread, so that the permits of a thread that ends
 * without releasing them go back (design.md §6); VALUE and the records then change together under the
 * GUARD with an undo journal (guard.ts), because a thread can be terminated between any two `Atomics`
 * calls.
 *
 * Waiters never take the GUARD to wait: they park on VALUE, which every change stores before the releaser
 * loads WAITERS (the order core wait/park.ts relies on).
 */

import { isThreadAlive, type ThreadToken } from '@ipc/core';
import { commitJournal, enterGuard, isGuardAbandoned, leaveGuard, openJournal } from './guard.ts';
import { HOLDER_SLOT_WORDS, HOLDER_SLOTS, HolderSlot, NO_SLOT, SemaphoreLayout } from './layout.ts';

function slotAt(index: number): number {
  return SemaphoreLayout.FIRST_SLOT_INDEX + index * HOLDER_SLOT_WORDS;
}

/**
 * With the GUARD held: `token`'s record (first word), claiming one if it has none; NO_SLOT when every
 * slot is taken. `hint` is where the caller found it last time. A thread has at most one record: it is
 * looked for in every slot before a free one is claimed. A dead thread's empty record counts as free.
 */
function recordOf(i32: Int32Array, token: ThreadToken, hint: number): number {
  if (hint !== NO_SLOT && Atomics.load(i32, hint + HolderSlot.TOKEN) === token) return hint;
  const home = token % HOLDER_SLOTS;
  let free = NO_SLOT;
  for (let probe = 0; probe < HOLDER_SLOTS; probe++) {
    const slot = slotAt((home + probe) % HOLDER_SLOTS);
    const found = Atomics.load(i32, slot + HolderSlot.TOKEN);
    if (found === token) return slot;
    if (free !== NO_SLOT) continue;
    const empty = found === 0 || (Atomics.load(i32, slot + HolderSlot.COUNT) === 0 && !isThreadAlive(found));
    if (empty) free = slot;
  }
  // Claimed before the journal opens: a thread that dies here leaves an empty record, which is free.
  if (free !== NO_SLOT) {
    Atomics.store(i32, free + HolderSlot.COUNT, 0);
    Atomics.store(i32, free + HolderSlot.TOKEN, token);
  }
  return free;
}

/** Takes one permit by CAS if any is available (a semaphore that is not robust). */
export function tryTakeCount(i32: Int32Array): boolean {
  let value = Atomics.load(i32, SemaphoreLayout.VALUE_INDEX);
  for (;;) {
    if (value <= 0) return false;
    const found = Atomics.compareExchange(i32, SemaphoreLayout.VALUE_INDEX, value, value - 1);
    if (found === value) return true;
    value = found;
  }
}

/**
 * Takes one permit for `token` if any is available, and records it (a robust semaphore). Returns the
 * record used (for the caller's next `hint`), NO_SLOT if it took a permit it could not record, or
 * undefined if no permit was available.
 */
export function tryTakeRecorded(i32: Int32Array, token: ThreadToken, hint: number): number | undefined {
  // Without a permit in sight there is nothing to guard: waiters do not contend for the GUARD.
  if (Atomics.load(i32, SemaphoreLayout.VALUE_INDEX) <= 0) return undefined;
  enterGuard(i32, token);
  const value = Atomics.load(i32, SemaphoreLayout.VALUE_INDEX);
  if (value <= 0) {
    leaveGuard(i32);
    return undefined;
  }
  const slot = recordOf(i32, token, hint);
  openJournal(i32, value, slot, NO_SLOT);
  Atomics.store(i32, SemaphoreLayout.VALUE_INDEX, value - 1);
  if (slot !== NO_SLOT) Atomics.add(i32, slot + HolderSlot.COUNT, 1);
  commitJournal(i32);
  leaveGuard(i32);
  return slot;
}

/**
 * Returns `n` permits: adds `n` to VALUE, lowers `token`'s record by up to `n` (a thread may also release
 * permits it never took: a signal), and wakes up to `n` waiters. With `bound` >= 0, refuses (returns
 * false, changing nothing) when VALUE would exceed it.
 */
export function returnPermits(i32: Int32Array, token: ThreadToken, n: number, bound: number, robust: boolean): boolean {
  if (robust) {
    enterGuard(i32, token);
    const value = Atomics.load(i32, SemaphoreLayout.VALUE_INDEX);
    if (bound >= 0 && value + n > bound) {
      leaveGuard(i32);
      return false;
    }
    const slot = findRecord(i32, token);
    const held = slot === NO_SLOT ? 0 : Atomics.load(i32, slot + HolderSlot.COUNT);
    openJournal(i32, value, held > 0 ? slot : NO_SLOT, NO_SLOT);
    Atomics.store(i32, SemaphoreLayout.VALUE_INDEX, value + n);
    if (held > 0) Atomics.store(i32, slot + HolderSlot.COUNT, held - Math.min(held, n));
    commitJournal(i32);
    leaveGuard(i32);
  } else if (!addCount(i32, n, bound)) {
    return false;
  }
  // VALUE changed before WAITERS is loaded (core wait/park.ts): a waiter registered later sees the change.
  if (Atomics.load(i32, SemaphoreLayout.WAITERS_INDEX) > 0) Atomics.notify(i32, SemaphoreLayout.VALUE_INDEX, n);
  return true;
}

/** Adds `n` to VALUE by CAS, refusing when it would exceed `bound` (>= 0). */
function addCount(i32: Int32Array, n: number, bound: number): boolean {
  let value = Atomics.load(i32, SemaphoreLayout.VALUE_INDEX);
  for (;;) {
    if (bound >= 0 && value + n > bound) return false;
    const found = Atomics.compareExchange(i32, SemaphoreLayout.VALUE_INDEX, value, value + n);
    if (found === value) return true;
    value = found;
  }
}

/** With the GUARD held: `token`'s record, or NO_SLOT (it never recorded a permit, or the table was full). */
function findRecord(i32: Int32Array, token: ThreadToken): number {
  const home = token % HOLDER_SLOTS;
  for (let probe = 0; probe < HOLDER_SLOTS; probe++) {
    const slot = slotAt((home + probe) % HOLDER_SLOTS);
    if (Atomics.load(i32, slot + HolderSlot.TOKEN) === token) return slot;
  }
  return NO_SLOT;
}

/** The first record of a dead thread that still holds permits, or NO_SLOT. */
function deadHolderRecord(i32: Int32Array): number {
  for (let index = 0; index < HOLDER_SLOTS; index++) {
    const slot = slotAt(index);
    const holder = Atomics.load(i32, slot + HolderSlot.TOKEN);
    if (holder > 0 && Atomics.load(i32, slot + HolderSlot.COUNT) > 0 && !isThreadAlive(holder)) return slot;
  }
  return NO_SLOT;
}

/**
 * Takes back the permits of one holder that died holding some, keeps one for `token` (recorded: its
 * acquisition) and makes the rest available, waking waiters for them. Returns false if no dead holder held
 * any.
 */
export function reclaimDeadHolder(i32: Int32Array, token: ThreadToken, hint: number): boolean {
  // Looked for first without the GUARD (reads only), so that waiters of an exhausted semaphore do not
  // contend for it; found again under the GUARD, where the records cannot change. A GUARD left by a dead
  // thread is taken too: taking it rolls back a change that thread left half done (its permit may be
  // neither in VALUE nor in its record).
  if (!isGuardAbandoned(i32) && deadHolderRecord(i32) === NO_SLOT) return false;
  enterGuard(i32, token);
  const dead = deadHolderRecord(i32);
  if (dead === NO_SLOT) {
    leaveGuard(i32);
    return false;
  }
  const count = Atomics.load(i32, dead + HolderSlot.COUNT);
  const value = Atomics.load(i32, SemaphoreLayout.VALUE_INDEX);
  const mine = recordOf(i32, token, hint);
  openJournal(i32, value, dead, mine);
  Atomics.store(i32, dead + HolderSlot.COUNT, 0);
  Atomics.store(i32, SemaphoreLayout.VALUE_INDEX, value + count - 1);
  if (mine !== NO_SLOT) Atomics.add(i32, mine + HolderSlot.COUNT, 1);
  commitJournal(i32);
  leaveGuard(i32);
  if (count > 1 && Atomics.load(i32, SemaphoreLayout.WAITERS_INDEX) > 0) {
    Atomics.notify(i32, SemaphoreLayout.VALUE_INDEX, count - 1);
  }
  return true;
}
