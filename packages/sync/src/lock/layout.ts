/**
 * Memory layout of a `Lock` and an `RLock` (one layout, two type tags).
 *
 *   word 0  TAG_VERSION  LOCK_TAG or RLOCK_TAG << 16 | LOCK_LAYOUT_VERSION      written once at allocation
 *   word 1  STATE        FREE (0); t > 0: held by the thread whose token is t;  acquirers (CAS), parkers
 *                        −t: held by t and CONTENDED (a waiter may be parked,     (CAS t → −t), releasers
 *                        so the release must look at WAITERS and HUNGRY);         (CAS)
 *                        HANDED_OVER (INT32_MIN): released to the parked waiters
 *   word 2  WAITERS      threads parked on STATE                                 parkers (core wait/park.ts)
 *   word 3  HUNGRY       1 once a waiter has waited STARVATION_MS: the next      waiters set, releasers clear
 *                        contended release hands the lock over to a parked waiter
 *   word 4  DEPTH        RLock only: recursion depth of the holder               the holder only
 *
 * The holder's token (core's liveness table) doubles as the lock word, so taking the lock and recording
 * who holds it are one atomic step: no thread can die between the two, and a waiter that finds the token
 * dead can take the lock over with one CAS. Tokens are 1..2^31−1, so −t is never FREE or HANDED_OVER.
 *
 * The CONTENDED sign is Drepper's state 2 ("Futexes Are Tricky", mutex take 2): a waiter marks the holding
 * before it parks, so a release that finds no mark (its CAS t → FREE succeeds) knows nobody sleeps on the
 * lock and skips the WAITERS load, the HUNGRY load and the notify. Every `Atomics` call is a builtin call
 * on Node 20 (~7-8 ns, not inlined), so an uncontended acquire + release costs two, like a bare CAS lock.
 */

export const LOCK_TAG = 0x0201;
export const RLOCK_TAG = 0x0202;
/** 2: STATE's sign marks a contended holding, and HANDED_OVER moved from −1 to INT32_MIN. */
export const LOCK_LAYOUT_VERSION = 2;

export const LockLayout = {
  STATE_INDEX: 1,
  WAITERS_INDEX: 2,
  HUNGRY_INDEX: 3,
  DEPTH_INDEX: 4,
} as const;

/** STATE when nobody holds the lock. */
export const FREE = 0;
/** STATE after a release that hands the lock to a parked waiter rather than to whoever comes first. */
export const HANDED_OVER = -(2 ** 31);

export const LOCK_WORDS = 5;
export const LOCK_BYTES = LOCK_WORDS * 4;
