/**
 * Memory layout of a `LifoQueue` and a `PriorityQueue` (one layout, two type tags): a table of entries, each
 * naming a heap block that holds one encoded message, under one robust guard (order is not FIFO, so the
 * two-lock ring of `Queue` does not apply).
 *
 *   word 0   TAG_VERSION  LIFO_QUEUE_TAG or PRIORITY_QUEUE_TAG << 16 | TABLE_LAYOUT_VERSION   written once
 *   word 1   PUTS         puts committed (wraps); getters park on it           the guard holder
 *   word 2   GETS         gets committed (wraps); putters park on it           the guard holder
 *   word 3   GETTERS      threads parked on PUTS                               parkers (core park.ts)
 *   word 4   PUTTERS      threads parked on GETS                               parkers (core park.ts)
 *   word 5   MAXSIZE      most messages at once; 0 = no limit but CAPACITY      written once
 *   word 6   CAPACITY     entries in the table                                 written once
 *   word 7   GUARD        core robust guard                                    putters and getters
 *   word 8   COUNT        entries in use: 0..COUNT−1                           the guard holder
 *   word 9   NEXT_SEQ     sequence number of the next put (ties keep order)    the guard holder
 *   word 10  SHUTDOWN     0, SHUTDOWN_DRAIN, SHUTDOWN_IMMEDIATE                 any thread, CAS up
 *   word 11  CODEC        1 if made with a custom codec (see useCodec), else 0     written once
 *   words 12..21  JOURNAL: OPEN, COUNT_BEFORE, INDEX (the entry a get removes),     the guard holder
 *                 and a copy of that entry (6 words)
 *   words 22..23  reserved (0)
 *   words 24..    CAPACITY entries of 6 words (8-aligned for the Float64 key):
 *     +0 BLOCK    heap byte offset of the message's block
 *     +1 LENGTH   bytes of the encoded message
 *     +2 SEQ      the put's sequence number
 *     +3 reserved
 *     +4..5 KEY   PriorityQueue: the priority, a Float64 (LifoQueue: unused)
 *
 * A put writes entry COUNT, then commits with COUNT + 1; a get copies the entry it removes into the
 * journal, moves the last entry into its place, and commits with COUNT − 1. A thread that dies in the
 * guard before its commit is rolled back by the next holder (core's robust guard reports the takeover).
 */

export const LIFO_QUEUE_TAG = 0x0404;
export const PRIORITY_QUEUE_TAG = 0x0405;
export const TABLE_LAYOUT_VERSION = 1;

export const TableLayout = {
  PUTS_INDEX: 1,
  GETS_INDEX: 2,
  GETTERS_INDEX: 3,
  PUTTERS_INDEX: 4,
  MAXSIZE_INDEX: 5,
  CAPACITY_INDEX: 6,
  GUARD_INDEX: 7,
  COUNT_INDEX: 8,
  NEXT_SEQ_INDEX: 9,
  SHUTDOWN_INDEX: 10,
  CODEC_INDEX: 11,
  FIRST_ENTRY_INDEX: 24,
} as const;

export const TableJournal = {
  OPEN: 12,
  COUNT_BEFORE: 13,
  INDEX: 14,
  ENTRY: 15,
} as const;

export const Entry = {
  BLOCK: 0,
  LENGTH: 1,
  SEQ: 2,
  KEY: 4,
} as const;

export const ENTRY_WORDS = 6;

/** Bytes of a table of `capacity` entries. */
export function tableBytes(capacity: number): number {
  return (TableLayout.FIRST_ENTRY_INDEX + capacity * ENTRY_WORDS) * 4;
}
