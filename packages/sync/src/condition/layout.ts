/**
 * Memory layout of a `Condition`: the lock it uses, and a table of waiter slots, one per waiting thread,
 * each holding the waiter's ticket, so that `notify(n)` wakes exactly the n oldest waiters (Python keeps a
 * deque of per-waiter locks for the same reason).
 *
 *   word 0   TAG_VERSION  CONDITION_TAG << 16 | CONDITION_LAYOUT_VERSION     written once at allocation
 *   word 1   LOCK_OFFSET  byte offset of the lock's block in the same heap   written once
 *   word 2   LOCK_KIND    LOCK_KIND_LOCK or LOCK_KIND_RLOCK                  written once
 *   word 3   WAITING      slots whose MARK is a waiting mark                 holders of the lock
 *   word 4   NEXT_TICKET  the ticket the next waiter takes (wraps as Int32)  wait, holding the lock
 *   word 5   WAITERS      threads parked on a slot                           parkers (core wait/park.ts)
 *   words 6..7  reserved (0)
 *   words 8..   QUEUE_SLOTS waiter slots of 3 words:
 *     +0 MARK    FREE (0); the waiter's mark (> 0, from its ticket) while    the waiter writes and frees
 *                it waits; SIGNALLED (-1) once notified. The waiter          it; notify signals it (and
 *                parks on this word.                                          wakes the waiter)
 *     +1 TOKEN   the waiter's thread token: notify skips dead waiters, and   the waiter
 *                a dead waiter's slot is free for reuse
 *     +2 TICKET  the waiter's ticket: notify picks the oldest                the waiter
 *
 * Every slot change happens while the condition's lock is held, as in Python, so the table needs no CAS;
 * the waiter's own check of its MARK is the only access without the lock.
 */

export const CONDITION_TAG = 0x0206;
export const CONDITION_LAYOUT_VERSION = 2;

export const ConditionLayout = {
  LOCK_OFFSET_INDEX: 1,
  LOCK_KIND_INDEX: 2,
  WAITING_INDEX: 3,
  NEXT_TICKET_INDEX: 4,
  WAITERS_INDEX: 5,
  FIRST_SLOT_INDEX: 8,
} as const;

export const WaiterSlot = {
  MARK: 0,
  TOKEN: 1,
  TICKET: 2,
} as const;

export const LOCK_KIND_LOCK = 1;
export const LOCK_KIND_RLOCK = 2;

/** Threads (or async tasks) that can wait on one condition at once. */
export const QUEUE_SLOTS = 256;
export const WAITER_SLOT_WORDS = 3;
export const FREE = 0;
export const SIGNALLED = -1;

export const CONDITION_WORDS = ConditionLayout.FIRST_SLOT_INDEX + QUEUE_SLOTS * WAITER_SLOT_WORDS;
export const CONDITION_BYTES = CONDITION_WORDS * 4;
