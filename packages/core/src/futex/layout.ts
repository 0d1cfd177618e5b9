/**
 * Memory layout of a `Futex`: one shared Int32 word that threads can wait on, with its waiter count.
 *
 *   word 0  TAG_VERSION   FUTEX_TAG << 16 | FUTEX_LAYOUT_VERSION     written once at allocation
 *   word 1  VALUE         the word itself                           any thread, atomically
 *   word 2  WAITERS       threads parked on VALUE                   parkers (wait/park.ts)
 */

export const FUTEX_TAG = 0x0101;
export const FUTEX_LAYOUT_VERSION = 1;

export const FutexLayout = {
  VALUE_INDEX: 1,
  WAITERS_INDEX: 2,
} as const;

export const FUTEX_WORDS = 3;
export const FUTEX_BYTES = FUTEX_WORDS * 4;
