/**
 * Memory layout of a `Condition`: the lock it uses, and a FIFO queue of waiters, one slot each, so that
 * `notify(n)` wakes exactly n of them (Python keeps a deque of per-waiter locks for the same reason).
 *
 *   word 0   TAG_VERSION  CONDITION_TAG << 16 | CONDITION_LAYOUT_VERSION     written once at allocation
 *   word 1   LOCK_OFFSET  byte offset of the lock's block in the same heap   written once
 *   word 2   LOCK_KIND    LOCK_KIND_LOCK or LOCK_KIND_RLOCK                  written once
 *   word 3   HEAD         ticket of the oldest queued waiter                 notify / wait, holding the lock
 *   word 4   TAIL         ticket the next waiter takes                       wait, holding the lock
 *   word 5   WAITERS      threads parked on a slot                           parkers (core wait/park.ts)
 *   words 6..7  reserved (0)
 *   words 8..   QUEUE_SLOTS waiter slots of 2 words, ticket t in slot t % QUEUE_SLOTS:
 *     +0 MARK   the waiter's mark (ticketMark(t) > 0) while it waits;      the waiter writes it; notify
 *               SIGNALLED (0) once notified; CANCELLED (-1) after a        overwrites it (and wakes the
 *               timeout or abort. The waiter parks on this word.           waiter); the waiter cancels
 *     +1 TOKEN  the waiter's thread token, so notify skips dead waiters    the waiter
 *
 * HEAD and TAIL only change while the condition's lock is held, as in Python, so the queue needs no CAS.
 * Tickets wrap as Int32; QUEUE_SLOTS divides 2^32, so `t & (QUEUE_SLOTS - 1)` stays right across the wrap.
 */

export const CONDITION_TAG = 0x0206;
export const CONDITION_LAYOUT_VERSION = 1;

export const ConditionLayout = {
  LOCK_OFFSET_INDEX: 1,
  LOCK_KIND_INDEX: 2,
  HEAD_INDEX: 3,
  TAIL_INDEX: 4,
  WAITERS_INDEX: 5,
  FIRST_SLOT_INDEX: 8,
} as const;

export const WaiterSlot = {
  MARK: 0,
  TOKEN: 1,
} as const;

export const LOCK_KIND_LOCK = 1;
export const LOCK_KIND_RLOCK = 2;

/** Waiters one condition can queue at once (a power of two). */
export const QUEUE_SLOTS = 256;
export const WAITER_SLOT_WORDS = 2;
export const SIGNALLED = 0;
export const CANCELLED = -1;

export const CONDITION_WORDS = ConditionLayout.FIRST_SLOT_INDEX + QUEUE_SLOTS * WAITER_SLOT_WORDS;
export const CONDITION_BYTES = CONDITION_WORDS * 4;
