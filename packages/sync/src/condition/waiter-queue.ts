/**
 * The waiters of a Condition (layout.ts): a table of slots, each with the waiter's ticket, that `notify`
 * serves oldest ticket first. Every function here runs while the calling thread holds the condition's
 * lock, except the waiter's own check of its mark; the lock orders the table updates, and `Atomics` make
 * them visible to the waiter parked on its mark.
 *
 * Source: Python's `threading.Condition` (a FIFO of waiters; `notify(n)` releases the first n), with the
 * per-waiter lock replaced by a per-waiter futex word. A slot is freed as soon as its waiter leaves (or is
 * found dead), so only waiters present at once count against the table's size.
 */

import { isThreadAlive, type ThreadToken } from '@ipc/core';
import { ConditionLayout, FREE, QUEUE_SLOTS, SIGNALLED, WAITER_SLOT_WORDS, WaiterSlot } from './layout.ts';

/** A waiting thread's slot (its first word) and the mark it waits to see replaced. */
export interface QueuedWaiter {
  readonly slot: number;
  readonly mark: number;
}

function slotAt(index: number): number {
  return ConditionLayout.FIRST_SLOT_INDEX + index * WAITER_SLOT_WORDS;
}

/** A positive mark for a ticket, distinct from FREE and SIGNALLED. */
function ticketMark(ticket: number): number {
  return (ticket & 0x3fffffff) + 1;
}

/** Frees a slot whose waiter died, whatever state it left it in; true if it did. */
function freeIfDead(i32: Int32Array, slot: number): boolean {
  const mark = Atomics.load(i32, slot + WaiterSlot.MARK);
  if (mark === FREE || isThreadAlive(Atomics.load(i32, slot + WaiterSlot.TOKEN))) return false;
  if (mark > 0) Atomics.sub(i32, ConditionLayout.WAITING_INDEX, 1);
  Atomics.store(i32, slot + WaiterSlot.MARK, FREE);
  return true;
}

/** Adds the calling thread as a waiter; undefined when every slot is taken by a live waiter. */
export function enqueueWaiter(i32: Int32Array, token: ThreadToken): QueuedWaiter | undefined {
  const ticket = Atomics.load(i32, ConditionLayout.NEXT_TICKET_INDEX);
  for (let probe = 0; probe < QUEUE_SLOTS; probe++) {
    const slot = slotAt((ticket + probe) & (QUEUE_SLOTS - 1));
    if (Atomics.load(i32, slot + WaiterSlot.MARK) !== FREE && !freeIfDead(i32, slot)) continue;
    const mark = ticketMark(ticket);
    // TOKEN and TICKET before MARK: a notifier that sees the mark reads this waiter's token and ticket.
    Atomics.store(i32, slot + WaiterSlot.TOKEN, token);
    Atomics.store(i32, slot + WaiterSlot.TICKET, ticket);
    Atomics.store(i32, slot + WaiterSlot.MARK, mark);
    Atomics.add(i32, ConditionLayout.WAITING_INDEX, 1);
    Atomics.store(i32, ConditionLayout.NEXT_TICKET_INDEX, (ticket + 1) | 0);
    return { slot, mark };
  }
  return undefined;
}

/** True once the waiter was notified (its mark was replaced). Called without the lock. */
export function isNotified(i32: Int32Array, waiter: QueuedWaiter): boolean {
  return Atomics.load(i32, waiter.slot + WaiterSlot.MARK) !== waiter.mark;
}

/**
 * With the lock held again after a wait: frees the waiter's slot, and returns whether it had been notified
 * (a notify may reach a waiter whose timeout or abort raced with it).
 */
export function leaveQueue(i32: Int32Array, waiter: QueuedWaiter): boolean {
  const { slot, mark } = waiter;
  const withdrawn = Atomics.compareExchange(i32, slot + WaiterSlot.MARK, mark, FREE) === mark;
  if (withdrawn) {
    Atomics.sub(i32, ConditionLayout.WAITING_INDEX, 1);
    return false;
  }
  Atomics.store(i32, slot + WaiterSlot.MARK, FREE);
  return true;
}

/** The waiting slot with the oldest ticket whose thread is alive (dead ones are freed), or -1. */
function oldestWaiter(i32: Int32Array): number {
  let oldest = -1;
  let oldestTicket = 0;
  for (let index = 0; index < QUEUE_SLOTS; index++) {
    const slot = slotAt(index);
    if (Atomics.load(i32, slot + WaiterSlot.MARK) <= 0 || freeIfDead(i32, slot)) continue;
    const ticket = Atomics.load(i32, slot + WaiterSlot.TICKET);
    // Tickets wrap as Int32: compare by difference.
    if (oldest === -1 || ((ticket - oldestTicket) | 0) < 0) {
      oldest = slot;
      oldestTicket = ticket;
    }
  }
  return oldest;
}

function signal(i32: Int32Array, slot: number): void {
  Atomics.store(i32, slot + WaiterSlot.MARK, SIGNALLED);
  Atomics.sub(i32, ConditionLayout.WAITING_INDEX, 1);
  Atomics.notify(i32, slot + WaiterSlot.MARK);
}

/** Wakes the `n` oldest live waiters (all of them for `Infinity`); returns how many it woke. */
export function notifyWaiters(i32: Int32Array, n: number): number {
  let woken = 0;
  if (n === Number.POSITIVE_INFINITY) {
    for (let index = 0; index < QUEUE_SLOTS && Atomics.load(i32, ConditionLayout.WAITING_INDEX) > 0; index++) {
      const slot = slotAt(index);
      if (Atomics.load(i32, slot + WaiterSlot.MARK) <= 0 || freeIfDead(i32, slot)) continue;
      signal(i32, slot);
      woken++;
    }
    return woken;
  }
  while (woken < n && Atomics.load(i32, ConditionLayout.WAITING_INDEX) > 0) {
    const slot = oldestWaiter(i32);
    if (slot === -1) break;
    signal(i32, slot);
    woken++;
  }
  return woken;
}
