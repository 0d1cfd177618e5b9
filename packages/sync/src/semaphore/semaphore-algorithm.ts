/**
 * The semaphore protocol over a semaphore's words (layout.ts): a futex counting semaphore (Drepper,
 * "Futexes Are Tricky", and the waiter count of core wait/park.ts) plus per-thread holder records, so
 * that the permits of a thread that ends without releasing them go back (design.md §6).
 *
 * Taking a permit and recording it are two atomic steps. They sit in one function with no call or loop
 * between them on the usual path (the home slot): V8 stops a terminated thread only at function entries
 * and loop back-edges, so a thread cannot die between the two there. The rare probe past a taken home slot
 * has such a point; a thread terminated exactly there leaks one permit record (its permit is not returned).
 */

import { isThreadAlive, type ThreadToken } from '@ipc/core';
import { HOLDER_SLOT_WORDS, HOLDER_SLOTS, HolderSlot, RECLAIMING, SemaphoreLayout } from './layout.ts';

function homeSlot(token: ThreadToken): number {
  return SemaphoreLayout.FIRST_SLOT_INDEX + (token % HOLDER_SLOTS) * HOLDER_SLOT_WORDS;
}

function slotAt(home: number, probe: number): number {
  const offset = home - SemaphoreLayout.FIRST_SLOT_INDEX;
  return SemaphoreLayout.FIRST_SLOT_INDEX + ((offset + probe * HOLDER_SLOT_WORDS) % (HOLDER_SLOTS * HOLDER_SLOT_WORDS));
}

/** The slot holding `token`'s record, or -1. */
function findSlot(i32: Int32Array, token: ThreadToken): number {
  const home = homeSlot(token);
  for (let probe = 0; probe < HOLDER_SLOTS; probe++) {
    const slot = slotAt(home, probe);
    if (Atomics.load(i32, slot + HolderSlot.TOKEN) === token) return slot;
  }
  return -1;
}

/** Claims a slot for `token` beyond its home slot, freeing dead holders' empty records on the way; -1 if full. */
function claimSlot(i32: Int32Array, token: ThreadToken): number {
  const home = homeSlot(token);
  for (let probe = 0; probe < HOLDER_SLOTS; probe++) {
    const slot = slotAt(home, probe);
    const found = Atomics.load(i32, slot + HolderSlot.TOKEN);
    if (found === token) return slot;
    // A dead holder with nothing held leaves its record behind: free it for reuse.
    if (found > 0 && Atomics.load(i32, slot + HolderSlot.COUNT) === 0 && !isThreadAlive(found)) {
      Atomics.compareExchange(i32, slot + HolderSlot.TOKEN, found, 0);
    }
    if (Atomics.compareExchange(i32, slot + HolderSlot.TOKEN, 0, token) === 0) return slot;
  }
  return -1;
}

/**
 * Takes one permit if any is available and, when the semaphore is robust, records it for `token`.
 * Returns true if it took one.
 */
export function tryTakePermit(i32: Int32Array, token: ThreadToken, robust: boolean): boolean {
  let value = Atomics.load(i32, SemaphoreLayout.VALUE_INDEX);
  for (;;) {
    if (value <= 0) return false;
    const found = Atomics.compareExchange(i32, SemaphoreLayout.VALUE_INDEX, value, value - 1);
    if (found === value) break;
    value = found;
  }
  if (!robust) return true;
  // Straight-line from the CAS above to the record below on the usual path: see the module comment.
  const home = homeSlot(token);
  if (
    Atomics.load(i32, home + HolderSlot.TOKEN) === token ||
    Atomics.compareExchange(i32, home + HolderSlot.TOKEN, 0, token) === 0
  ) {
    Atomics.add(i32, home + HolderSlot.COUNT, 1);
    return true;
  }
  const slot = claimSlot(i32, token);
  if (slot >= 0) Atomics.add(i32, slot + HolderSlot.COUNT, 1);
  return true;
}

/**
 * Returns `n` permits: forgets up to `n` of `token`'s recorded permits (a thread may also release permits
 * it never took: a signal), adds `n` to VALUE and wakes up to `n` waiters. With `bound` >= 0, refuses
 * (returns false, changing nothing) when VALUE would exceed it.
 */
export function returnPermits(i32: Int32Array, token: ThreadToken, n: number, bound: number): boolean {
  if (bound >= 0) {
    // Reserve the room first: of two racing releases only the ones that fit succeed.
    let value = Atomics.load(i32, SemaphoreLayout.VALUE_INDEX);
    for (;;) {
      if (value + n > bound) return false;
      const found = Atomics.compareExchange(i32, SemaphoreLayout.VALUE_INDEX, value, value + n);
      if (found === value) break;
      value = found;
    }
  } else {
    Atomics.add(i32, SemaphoreLayout.VALUE_INDEX, n);
  }
  // The permit is counted as available before the record is lowered: a thread dying in between leaves a
  // record of one permit too many, which the straight-line home-slot path below makes impossible.
  const home = homeSlot(token);
  const slot = Atomics.load(i32, home + HolderSlot.TOKEN) === token ? home : findSlot(i32, token);
  if (slot >= 0) {
    const held = Atomics.load(i32, slot + HolderSlot.COUNT);
    if (held > 0) Atomics.sub(i32, slot + HolderSlot.COUNT, Math.min(held, n));
  }
  if (Atomics.load(i32, SemaphoreLayout.WAITERS_INDEX) > 0) Atomics.notify(i32, SemaphoreLayout.VALUE_INDEX, n);
  return true;
}

/**
 * Takes back the permits of one holder that died holding some. Returns how many (0 if none): the caller
 * owns them, keeps one as its own acquisition and makes the rest available.
 */
export function reclaimDeadHolder(i32: Int32Array): number {
  for (let index = 0; index < HOLDER_SLOTS; index++) {
    const slot = SemaphoreLayout.FIRST_SLOT_INDEX + index * HOLDER_SLOT_WORDS;
    const token = Atomics.load(i32, slot + HolderSlot.TOKEN);
    if (token <= 0 || Atomics.load(i32, slot + HolderSlot.COUNT) === 0 || isThreadAlive(token)) continue;
    // RECLAIMING makes this waiter the only one that takes this record's permits.
    if (Atomics.compareExchange(i32, slot + HolderSlot.TOKEN, token, RECLAIMING) !== token) continue;
    const count = Atomics.exchange(i32, slot + HolderSlot.COUNT, 0);
    Atomics.store(i32, slot + HolderSlot.TOKEN, 0);
    if (count > 0) return count;
  }
  return 0;
}

/** Makes `n` reclaimed permits available and wakes up to `n` waiters. */
export function addPermits(i32: Int32Array, n: number): void {
  Atomics.add(i32, SemaphoreLayout.VALUE_INDEX, n);
  if (Atomics.load(i32, SemaphoreLayout.WAITERS_INDEX) > 0) Atomics.notify(i32, SemaphoreLayout.VALUE_INDEX, n);
}

/** Records one reclaimed permit as `token`'s own (the reclaimer's acquisition). */
export function recordPermit(i32: Int32Array, token: ThreadToken): void {
  const slot = claimSlot(i32, token);
  if (slot >= 0) Atomics.add(i32, slot + HolderSlot.COUNT, 1);
}
