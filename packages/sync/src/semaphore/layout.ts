/**
 * Memory layout of a `Semaphore` and a `BoundedSemaphore` (one layout, two type tags).
 *
 *   word 0   TAG_VERSION  SEMAPHORE_TAG or BOUNDED_SEMAPHORE_TAG << 16 | version      written once
 *   word 1   VALUE        permits available (>= 0); waiters park on it     robust: the GUARD holder;
 *                                                                         else acquirers (CAS), releasers
 *   word 2   WAITERS      threads parked on VALUE                          parkers (core wait/park.ts)
 *   word 3   BOUND        BoundedSemaphore: the most VALUE may reach; -1 = unbounded        written once
 *   word 4   ROBUST       1: permits are recorded per thread and returned when the thread    written once
 *                         ends holding them; 0: permits are plain counts (signalling use)
 *   word 5   GUARD        robust only: 0, or the token of the thread changing VALUE and      CAS by the
 *                         the holder records; a dead holder's GUARD is taken over, and its   threads that
 *                         open journal rolled back (guard.ts)                                change them
 *   words 6..11  JOURNAL  the undo record of the guarded change in progress:                 the GUARD holder
 *                         VALUE_BEFORE, SLOT_A, COUNT_A, SLOT_B, COUNT_B (a record's first
 *                         word, or -1, and its COUNT before), OPEN (1 while it applies)
 *   words 12..15 reserved (0)
 *   words 16..   HOLDER_SLOTS holder records of 2 words:
 *     +0 TOKEN   thread token of the holder, 0 = free                        the GUARD holder
 *     +1 COUNT   permits the holder acquired and has not released            the GUARD holder
 *
 * Why a guard and a journal: taking a permit (VALUE) and recording who took it (COUNT) are two words, and
 * `worker.terminate()` can stop a thread between any two `Atomics` calls. Both change only under GUARD,
 * after the journal holds their old values; a thread that takes GUARD over from a dead one first puts the
 * old values back, so a change is either whole or undone: no permit is lost or made up.
 *
 * A thread has at most one record; it looks for it from its home slot (its liveness record index modulo
 * HOLDER_SLOTS). When every slot is taken (more than HOLDER_SLOTS threads holding permits at once) a permit
 * is counted but not recorded, and is not returned if its holder dies.
 */

export const SEMAPHORE_TAG = 0x0203;
export const BOUNDED_SEMAPHORE_TAG = 0x0204;
/** 2: the GUARD word and its undo journal. */
export const SEMAPHORE_LAYOUT_VERSION = 2;

export const SemaphoreLayout = {
  VALUE_INDEX: 1,
  WAITERS_INDEX: 2,
  BOUND_INDEX: 3,
  ROBUST_INDEX: 4,
  GUARD_INDEX: 5,
  FIRST_SLOT_INDEX: 16,
} as const;

/** The undo journal of a guarded change. */
export const Journal = {
  VALUE_BEFORE: 6,
  SLOT_A: 7,
  COUNT_A: 8,
  SLOT_B: 9,
  COUNT_B: 10,
  OPEN: 11,
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
/** A journal SLOT_A / SLOT_B that names no record. */
export const NO_SLOT = -1;

export const SEMAPHORE_WORDS = SemaphoreLayout.FIRST_SLOT_INDEX + HOLDER_SLOTS * HOLDER_SLOT_WORDS;
export const SEMAPHORE_BYTES = SEMAPHORE_WORDS * 4;
