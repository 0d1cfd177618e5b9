/**
 * Memory layout of an `Event`: a flag threads wait on.
 *
 *   word 0  TAG_VERSION  EVENT_TAG << 16 | EVENT_LAYOUT_VERSION    written once at allocation
 *   word 1  STATE        bit 0: the flag (1 = set); bits 1..30:     set()/clear() by CAS, any thread
 *                        how many times set() raised it (wraps), so that a waiter woken by a set()
 *                        returns true even when clear() came before it ran (Python's behaviour)
 *   word 2  WAITERS      threads parked on STATE                    parkers (core wait/park.ts)
 */

export const EVENT_TAG = 0x0205;
export const EVENT_LAYOUT_VERSION = 1;

export const EventLayout = {
  STATE_INDEX: 1,
  WAITERS_INDEX: 2,
} as const;

/** The flag bit of STATE. */
export const SET_BIT = 1;
/** Added to STATE by each set() that raises the flag (the flag bit included). */
export const RAISE = 3;

export const EVENT_WORDS = 3;
export const EVENT_BYTES = EVENT_WORDS * 4;
