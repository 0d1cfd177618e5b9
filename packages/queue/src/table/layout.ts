/**
 * Memory layout of a `LifoQueue` and a `PriorityQueue` (one layout, two type tags): a table of entries, each
 * naming a heap block that holds one encoded message, kept in the order they will be taken, under one robust
 * guard (order is not FIFO, so the two-lock ring of `Queue` does not apply).
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
 *   word 9   NEXT_SEQ     sequence number of the next put (wraps)              the guard holder
 *   word 10  SHUTDOWN     0, SHUTDOWN_DRAIN, SHUTDOWN_IMMEDIATE                 any thread, CAS up
 *   word 11  CODEC        1 if made with a custom codec (see useCodec), else 0     written once
 *   word 12  COMPARE      PriorityQueue: 1 if made with a `compare` function       written once
 *                         (see useCompare), 0 if ordered by number priorities
 *   words 13..17  INSERT JOURNAL (a put that shifts entries; see below):           the guard holder
 *     13 OPEN          1 from the put's journal to its commit
 *     14 COUNT_BEFORE  COUNT when the put began
 *     15 INDEX         p, where the new entry goes
 *     16 OLD_SEQ       the SEQ of the entry at p before the shift (any value when p = COUNT_BEFORE)
 *     17 BLOCK         the new message's heap block
 *   words 18..19  TAKE JOURNAL (a get, from its decode to its block's release):     the guard holder
 *     18 BLOCK         the taken message's heap block; 0 when no get is in flight
 *     19 COUNT_AFTER   COUNT once the get commits
 *   words 20..23  reserved (0)
 *   words 24..    CAPACITY entries of 6 words (24 and 6 are even: the Float64 KEY is 8-aligned):
 *     +0 BLOCK    heap byte offset of the message's block
 *     +1 LENGTH   bytes of the encoded message
 *     +2 SEQ      the put's sequence number: unique among the entries (it tells a shifted entry apart)
 *     +3 reserved
 *     +4..5 KEY   PriorityQueue by number: the priority, a Float64 (otherwise unused)
 *
 * ORDER. Entries 0..COUNT−1 are sorted so that the next one to take is the LAST, at COUNT−1; entries that
 * come out later sit nearer the front.
 *   - A get pops entry COUNT−1: reads it, decodes its message, writes the take journal (COUNT_AFTER, then
 *     BLOCK), commits COUNT − 1, then, still under the guard, claims the block (BLOCK := 0) and releases it. It
 *     moves no entry, so a get that dies before its commit has changed nothing but the journal. The next
 *     holder, finding BLOCK ≠ 0, clears it and releases the block if COUNT = COUNT_AFTER (the get committed).
 *     Heap offsets (up to 4 GiB) sit in Int32 words: they are read back as uint32.
 *   - LifoQueue: a put appends at p = COUNT.
 *   - PriorityQueue: a put goes to p = the number of entries that come out after it (a binary search: they are
 *     the entries at the front). By number: the entries whose KEY > the new priority, so that the new entry
 *     goes in front of older equal ones, which come out first: FIFO among ties. With `compare`: the entries e
 *     with compare(e, new) > 0 (the messages decoded; the user's function runs under the guard, before any
 *     store, so that a compare that throws leaves the table as it was).
 *
 * A PUT, under the guard (every step is one store, unless said otherwise):
 *   1. NEXT_SEQ := seq + 1 (the new entry's SEQ is seq: used up first, so no two entries ever share one)
 *   2. if p < COUNT: entry[COUNT].SEQ := seq (slot COUNT is beyond the end; see "the stale copy" below)
 *   3. the journal: COUNT_BEFORE, INDEX = p, OLD_SEQ = entry[p].SEQ, BLOCK; then OPEN := 1
 *   4. if p < COUNT: entries p..COUNT−1 move up one (one `copyWithin` call; the KEY words move with them)
 *   5. entry[p] := BLOCK, LENGTH, SEQ, KEY
 *   6. COUNT := COUNT + 1 (the commit: getters see the entry)
 *   7. OPEN := 0
 *
 * ROLLBACK, by the thread that takes the guard over from a dead holder (core's robust guard says so), when
 * OPEN = 1 and COUNT = COUNT_BEFORE (no commit; COUNT = COUNT_BEFORE + 1 means it committed, and only OPEN is
 * left to clear):
 *   - if INDEX < COUNT_BEFORE and entry[INDEX + 1].SEQ = OLD_SEQ, step 4 happened (SEQs are unique, and before
 *     the shift entry[INDEX + 1] is another entry, or slot COUNT holding the new SEQ): entries INDEX+1..COUNT
 *     move back down one (one `copyWithin`), which also undoes step 5;
 *   - BLOCK := 0, then the block is released (a rollback that dies in between leaves it unfreed rather than
 *     releasing it twice);
 *   - OPEN := 0.
 * A rollback that dies is rolled back again: after its shift back, entry[INDEX + 1] is the entry that was
 * there before the put, or, for INDEX = COUNT − 1, slot COUNT still holding a copy of entry[INDEX]; shifting
 * that copy down again rewrites the same words.
 *
 * THE STALE COPY. A shift leaves slot COUNT holding a copy of the last entry, and a shift back leaves that copy
 * behind. If the next put inserts at p = COUNT − 1 (where that entry still is) and dies after step 3, the test
 * would find entry[p + 1].SEQ = OLD_SEQ although nothing moved, and the shift back would copy the stale
 * slot over a live entry (harmless only as long as the copy is exact). Step 2 writes the new SEQ, which no
 * entry has, into slot COUNT before the journal opens, so that the test is true exactly when the shift
 * happened, without relying on what an earlier put left beyond the end.
 *
 * Not covered: a put that dies before step 3 (after taking its block), or a get that dies between claiming its
 * block and releasing it, leaves that one heap block unfreed. NEXT_SEQ wraps at 2^32: two entries could share a SEQ
 * only if one stayed queued while 2^32 other puts passed through.
 */

export const LIFO_QUEUE_TAG = 0x0404;
export const PRIORITY_QUEUE_TAG = 0x0405;
/** 2: entries kept in the order they are taken, insert journal (1: unordered entries, get journal). */
export const TABLE_LAYOUT_VERSION = 2;

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
  COMPARE_INDEX: 12,
  FIRST_ENTRY_INDEX: 24,
} as const;

export const InsertJournal = {
  OPEN: 13,
  COUNT_BEFORE: 14,
  INDEX: 15,
  OLD_SEQ: 16,
  BLOCK: 17,
} as const;

export const TakeJournal = {
  BLOCK: 18,
  COUNT_AFTER: 19,
} as const;

export const Entry = {
  BLOCK: 0,
  LENGTH: 1,
  SEQ: 2,
  KEY: 4,
} as const;

export const ENTRY_WORDS = 6;

/** The word index of entry `index`. */
export function entryAt(index: number): number {
  return TableLayout.FIRST_ENTRY_INDEX + index * ENTRY_WORDS;
}

/** Bytes of a table of `capacity` entries. */
export function tableBytes(capacity: number): number {
  return (TableLayout.FIRST_ENTRY_INDEX + capacity * ENTRY_WORDS) * 4;
}
