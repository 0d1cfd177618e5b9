/**
 * Memory layout of a `Lock` and an `RLock` (one layout, two type tags).
 *
 *   word 0  TAG_VERSION  LOCK_TAG or RLOCK_TAG << 16 | LOCK_LAYOUT_VERSION      written once at allocation
 *   word 1  STATE        FREE (0), the holder's thread token (> 0), or          acquirers (CAS), the holder
 *                        HANDED_OVER (-1): released to the parked waiters         (store on release)
 *   word 2  WAITERS      threads parked on STATE                                 parkers (core wait/park.ts)
 *   word 3  HUNGRY       1 once a waiter has waited STARVATION_MS: the next      waiters set, releasers clear
 *                        release hands the lock over to a parked waiter
 *   word 4  DEPTH        RLock only: recursion depth of the holder               the holder only
 *
 * The holder's token (core's liveness table) doubles as the lock word, so taking the lock and recording
 * who holds it are one atomic step: no thread can die between the two, and a waiter that finds the token
 * dead can take the lock over with one CAS.
 */

export const LOCK_TAG = 0x0201;
export const RLOCK_TAG = 0x0202;
export const LOCK_LAYOUT_VERSION = 1;

export const LockLayout = {
  STATE_INDEX: 1,
  WAITERS_INDEX: 2,
  HUNGRY_INDEX: 3,
  DEPTH_INDEX: 4,
} as const;

/** STATE when nobody holds the lock. */
export const FREE = 0;
/** STATE after a release that hands the lock to a parked waiter rather than to whoever comes first. */
export const HANDED_OVER = -1;

export const LOCK_WORDS = 5;
export const LOCK_BYTES = LOCK_WORDS * 4;
