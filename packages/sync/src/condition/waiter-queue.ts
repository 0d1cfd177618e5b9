/**
 * The waiter queue of a Condition (layout.ts). Every function here runs while the calling thread holds the
 * condition's lock, except the waiter's own check of its mark; the lock orders the queue updates, and
 * `Atomics` make them visible to the waiter parked on its mark.
 *
 * Source: Python's `threading.Condition` (a FIFO of waiters; `notify(n)` releases the first n), with the
 * per-waiter lock replaced by a per-waiter futex word.
 */

import { isThreadAlive, type ThreadToken } from '@ipc/core';
import { CANCELLED, ConditionLayout, QUEUE_SLOTS, SIGNALLED, WAITER_SLOT_WORDS, WaiterSlot } from './layout.ts';

/** A queued waiter: its slot's first word and the mark it waits to see replaced. */
export interface QueuedWaiter {
  readonly slot: number;
  readonly mark: number;
}

function slotOf(ticket: number): number {
  return ConditionLayout.FIRST_SLOT_INDEX + (ticket & (QUEUE_SLOTS - 1)) * WAITER_SLOT_WORDS;
}

/** A positive mark for ticket `t`, distinct from SIGNALLED and CANCELLED. */
function ticketMark(ticket: number): number {
  return (ticket & 0x3fffffff) + 1;
}

/** True when the waiter in `slot` no longer needs a wake-up: it gave up, or its thread died. */
function isGone(i32: Int32Array, slot: number): boolean {
  const mark = Atomics.load(i32, slot + WaiterSlot.MARK);
  return mark === CANCELLED || (mark > 0 && !isThreadAlive(Atomics.load(i32, slot + WaiterSlot.TOKEN)));
}

/** Drops the waiters at the front that gave up or died, so their slots can be reused. */
function dropGoneWaiters(i32: Int32Array): void {
  let head = Atomics.load(i32, ConditionLayout.HEAD_INDEX);
  const tail = Atomics.load(i32, ConditionLayout.TAIL_INDEX);
  while (head !== tail && isGone(i32, slotOf(head))) head = (head + 1) | 0;
  Atomics.store(i32, ConditionLayout.HEAD_INDEX, head);
}

/** Queues the calling thread as a waiter; undefined when the queue is full. */
export function enqueueWaiter(i32: Int32Array, token: ThreadToken): QueuedWaiter | undefined {
  let tail = Atomics.load(i32, ConditionLayout.TAIL_INDEX);
  if (((tail - Atomics.load(i32, ConditionLayout.HEAD_INDEX)) | 0) >= QUEUE_SLOTS) {
    dropGoneWaiters(i32);
    if (((tail - Atomics.load(i32, ConditionLayout.HEAD_INDEX)) | 0) >= QUEUE_SLOTS) return undefined;
  }
  const slot = slotOf(tail);
  const mark = ticketMark(tail);
  // TOKEN before MARK: a notifier that sees the mark reads this waiter's token, not a previous one's.
  Atomics.store(i32, slot + WaiterSlot.TOKEN, token);
  Atomics.store(i32, slot + WaiterSlot.MARK, mark);
  tail = (tail + 1) | 0;
  Atomics.store(i32, ConditionLayout.TAIL_INDEX, tail);
  return { slot, mark };
}

/** True once the waiter was notified (its mark was replaced). Called without the lock. */
export function isNotified(i32: Int32Array, waiter: QueuedWaiter): boolean {
  return Atomics.load(i32, waiter.slot + WaiterSlot.MARK) !== waiter.mark;
}

/**
 * After a timeout or abort, with the lock held again: withdraws the waiter unless a notify reached it
 * first. Returns true if it had been notified (the wait then counts as successful).
 */
export function withdrawWaiter(i32: Int32Array, waiter: QueuedWaiter): boolean {
  const { slot, mark } = waiter;
  return Atomics.compareExchange(i32, slot + WaiterSlot.MARK, mark, CANCELLED) !== mark;
}

/** Wakes the first `n` live waiters, in the order they queued; returns how many it woke. */
export function notifyWaiters(i32: Int32Array, n: number): number {
  let head = Atomics.load(i32, ConditionLayout.HEAD_INDEX);
  const tail = Atomics.load(i32, ConditionLayout.TAIL_INDEX);
  let woken = 0;
  while (woken < n && head !== tail) {
    const slot = slotOf(head);
    head = (head + 1) | 0;
    const mark = Atomics.load(i32, slot + WaiterSlot.MARK);
    if (mark <= 0 || !isThreadAlive(Atomics.load(i32, slot + WaiterSlot.TOKEN))) continue;
    // The waiter withdraws only while holding the lock, as we do now, so this CAS cannot fail; it is a CAS
    // so that a slot can never be signalled twice.
    if (Atomics.compareExchange(i32, slot + WaiterSlot.MARK, mark, SIGNALLED) !== mark) continue;
    Atomics.notify(i32, slot + WaiterSlot.MARK);
    woken++;
  }
  Atomics.store(i32, ConditionLayout.HEAD_INDEX, head);
  return woken;
}
