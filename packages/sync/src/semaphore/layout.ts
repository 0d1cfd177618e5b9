/**
 * Memory layout of a `Semaphore` and a `BoundedSemaphore` (one layout, two type tags).
 *
 *   word 0   TAG_VERSION  SEMAPHORE_TAG or BOUNDED_SEMAPHORE_TAG << 16 | version      written once
 *   word 1   VALUE        permits available (>= 0)                           acquirers (CAS), releasers (add)
 *   word 2   WAITERS      threads parked on VALUE                            parkers (core wait/park.ts)
 *   word 3   BOUND        BoundedSemaphore: the most VALUE may reach; -1 = unbounded        written once
 *   word 4   ROBUST       1: permits are recorded per thread and returned when the thread    written once
 *                         ends holding them; 0: permits are plain counts (signalling use)
 *   words 5..7  reserved (0)
 *   words 8..   HOLDER_SLOTS holder records of 2 words:
 *     +0 TOKEN   thread token of the holder, 0 = free, RECLAIMING (-1) while a   the holder claims (CAS),
 *                waiter takes a dead holder's permits back                      a reclaimer frees
 *     +1 COUNT   permits the holder acquired and has not released               the holder; a reclaimer
 *                                                                               after the holder died
 *
 * A thread's home slot is its liveness record index modulo HOLDER_SLOTS (records are handed out in
 * order, so live threads rarely share one); on a clash it probes the next slots. When every slot is taken
 * (more than HOLDER_SLOTS threads holding permits at once) a permit is counted but not recorded, and is
 * not returned if its holder dies.
 */

export const SEMAPHORE_TAG = 0x0203;
export const BOUNDED_SEMAPHORE_TAG = 0x0204;
export const SEMAPHORE_LAYOUT_VERSION = 1;

export const SemaphoreLayout = {
  VALUE_INDEX: 1,
  WAITERS_INDEX: 2,
  BOUND_INDEX: 3,
  ROBUST_INDEX: 4,
  FIRST_SLOT_INDEX: 8,
} as const;

/** Word offsets within one holder record. */
export const HolderSlot = {
  TOKEN: 0,
  COUNT: 1,
} as const;

export const HOLDER_SLOTS = 128;
export const HOLDER_SLOT_WORDS = 2;
/** BOUND of a Semaphore that has none. */
export const UNBOUNDED = -1;
/** TOKEN of a slot whose dead holder's permits are being taken back. */
export const RECLAIMING = -1;

export const SEMAPHORE_WORDS = SemaphoreLayout.FIRST_SLOT_INDEX + HOLDER_SLOTS * HOLDER_SLOT_WORDS;
export const SEMAPHORE_BYTES = SEMAPHORE_WORDS * 4;
