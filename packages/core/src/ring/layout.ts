/**
 * Memory layout of a message ring: a byte ring of self-delimiting records in the shared heap, with
 * producers and consumers each serialised by a robust guard (a two-lock queue), so that one producer and one
 * consumer never contend. The header words are embedded in a structure of an @ipc package (a `Queue`, a
 * `Pipe`'s channel), which owns word 0 (its tag and layout version) and the words marked OWNER.
 *
 * The header is cut into 128-byte lines (x86 cores fetch 64-byte cache lines in adjacent pairs) by who writes
 * them and who reads them, so that a put and a get running on two cores share as few lines as possible: each
 * side writes one line the other side reads (its count), keeps its guard, journal and position on a private
 * line, and reads the other side's line only when its cached view of it (the SEEN words) says the queue is
 * full (producers) or empty (consumers). With every word on two shared lines, each message moved them
 * between the cores several times.
 *
 *   line 0, read-mostly
 *   word 0    TAG_VERSION   the owner's tag << 16 | its layout version                   written once
 *   word 1    MAXSIZE       most messages at once; 0 = no limit                          written once
 *   word 2    CAPACITY      bytes of the ring (a power of two); only grows               a producer holding
 *   word 3    RING_BLOCK    heap byte offset of the ring's block                         both guards (grow)
 *   word 4    SHUTDOWN      RING_OPEN (0), or the owner's reason to refuse puts          any thread, CAS up
 *   words 5..31  OWNER (e.g. a queue's CODEC word)
 *   line 1, parked waiters (written only around a park, read after every put and get)
 *   word 32   GETTERS       threads parked on PUT_COUNT                                  parkers (core park.ts)
 *   word 33   PUTTERS       threads parked on GET_COUNT                                  parkers (core park.ts)
 *   line 2, producers' public line
 *   word 64   PUT_COUNT     messages committed (wraps as Int32); getters park on it      producers, guarded
 *   line 3, producers' private line
 *   word 96   PRODUCER_GUARD  core robust guard of the producers                         producers
 *   word 97   TAIL          byte counter of the next record's place (wraps at 2^32)      producers, guarded
 *   word 98   SEEN_GET_COUNT  a GET_COUNT producers read earlier (≤ the real one)       producers, guarded
 *   word 99   SEEN_HEAD     a HEAD producers read earlier (≤ the real one)               producers, guarded
 *   words 100..102  PRODUCER JOURNAL: TAIL_BEFORE, COUNT_AFTER, SPILL                    producers, guarded
 *   line 4, consumers' public line
 *   word 128  GET_COUNT     messages taken (wraps); putters park on it                   consumers, guarded
 *   word 129  HEAD          byte counter of the next record to read (wraps at 2^32)      consumers, guarded
 *   line 5, consumers' private line
 *   word 160  CONSUMER_GUARD  core robust guard of the consumers                         consumers
 *   word 161  SEEN_PUT_COUNT  a PUT_COUNT consumers read earlier (≤ the real one)       consumers, guarded
 *   words 162..164  CONSUMER JOURNAL: HEAD_AFTER, COUNT_AFTER, SPILL                     consumers, guarded
 *   line 6, growth (written only when the ring grows)
 *   words 192..197  GROW JOURNAL: OPEN (1 until finished or replayed), OLD_BLOCK,        the grower
 *                   OLD_CAPACITY, OLD_HEAD, OLD_TAIL, NEW_BLOCK
 *   word 198  REPLAY_GUARD  core robust guard of a growth's replay                         replayers
 *   line 7, OWNER: words 224..255 (e.g. a JoinableQueue's task count)
 *   (every other header word is reserved, 0)
 *
 * Heap byte offsets (RING_BLOCK, the journals' blocks, a SPILL record's offset) go up to 4 GiB, past Int32:
 * they are stored as they are (ToInt32 wraps them) and read back as uint32 (`>>> 0`).
 *
 * The RING, a heap block of CAPACITY bytes (16-aligned), holds records, each starting 8-aligned:
 *   [length: Int32][4 unused][payload: length bytes][padding to 8]  a message's encoded bytes
 *   [WRAP: Int32]                                                   the rest of the ring is unused: the next
 *                                                                   record is at its start
 *   [SPILL: Int32][heap byte offset][length][4 unused]              the bytes are in a heap block
 * Payloads start 8-aligned: V8 copies between shared memory and other memory 8 bytes at a time only when
 * both sides are 8-aligned, else a byte at a time, several times slower (core's codec aligns typed arrays to
 * match). Records keep their alignment wherever they are copied to (a growth), since every size is a
 * multiple of 8.
 *
 * TAIL and HEAD wrap at 2^32, and a record's place is the counter modulo CAPACITY: that stays continuous
 * across the wrap because CAPACITY, a power of two, divides 2^32. TAIL − HEAD (as uint32) is the bytes in use.
 *
 * The SEEN words are safe to act on although stale: counts and HEAD only move forward between growths, so a
 * stale one only underestimates the room (producers) or the messages (consumers), and a side reads the real
 * word again before it reports full or empty. A growth, which moves HEAD back to 0, sets SEEN_HEAD with it,
 * and a thread that takes a guard over from a dead holder reloads its side's SEEN words.
 *
 * The commit of a message is one store, of PUT_COUNT, after its bytes and TAIL; of a take, one store of
 * GET_COUNT, after HEAD; of a growth, one store of CAPACITY, after RING_BLOCK, HEAD and TAIL. Each side keeps
 * a journal so that a thread that takes over its guard from a dead holder can finish or undo the dead one's
 * operation:
 *
 *   producer                                     consumer
 *   1. TAIL_BEFORE := TAIL                        1. HEAD_AFTER := the HEAD this take will leave
 *   2. COUNT_AFTER := PUT_COUNT + 1               2. COUNT_AFTER := GET_COUNT + 1
 *   3. SPILL := its heap block (spilled only)     3. SPILL := its heap block (spilled only), then
 *                                                    decode the record
 *   4. the record, then TAIL                      4. HEAD := HEAD_AFTER
 *   5. PUT_COUNT := COUNT_AFTER (the commit)      5. GET_COUNT := COUNT_AFTER (the commit)
 *   6. SPILL := 0 (spilled only)                  6. SPILL := 0, then the block released (spilled only)
 *
 * Replay: if the count equals COUNT_AFTER, the operation committed, or the journal is the previous, finished
 * one (step 2 not reached), and there is nothing to do. Else a producer's is undone (TAIL := TAIL_BEFORE,
 * SPILL released; consumers never read TAIL, so no record was half visible) and closed (COUNT_AFTER :=
 * PUT_COUNT). A consumer's is finished if step 4 happened (HEAD = HEAD_AFTER: GET_COUNT := COUNT_AFTER; the
 * message was decoded by the thread that died, as if it died just after its get returned), and undone
 * otherwise (HEAD not moved: SPILL := 0 first, the record keeps its block; then COUNT_AFTER := GET_COUNT). A
 * finished take's block (SPILL still set) is then released, claimed first (SPILL := 0): a consumer that
 * dies between the two leaks that one block, never frees it twice. HEAD is never moved back: a producer
 * may already have put a record in the space it freed. A growth starts with both journals closed (a side's replay runs as soon as its guard is taken
 * over) and changes neither. So no record is ever half visible, and no space stays reserved.
 *
 * Growth: a put that finds too little room while the count allows more (maxsize not reached) doubles the
 * ring, up to MAX_RING_BYTES, instead of waiting: with both guards held it copies the queued records to a
 * new block, in order, from its start. So a producer never waits for a consumer that is not there yet
 * (Python's "join a process before draining its queue" deadlock), as long as memory lasts. Its journal,
 * opened before the copy, is replayed forward if CAPACITY changed, else backward, by the first thread to
 * take either guard over, under REPLAY_GUARD (a replayer that dies is taken over and its replay run again).
 */

/** The SHUTDOWN word's value while puts are taken. */
export const RING_OPEN = 0;

export const RingLayout = {
  MAXSIZE_INDEX: 1,
  CAPACITY_INDEX: 2,
  RING_BLOCK_INDEX: 3,
  SHUTDOWN_INDEX: 4,
  GETTERS_INDEX: 32,
  PUTTERS_INDEX: 33,
  PUT_COUNT_INDEX: 64,
  PRODUCER_GUARD_INDEX: 96,
  TAIL_INDEX: 97,
  SEEN_GET_COUNT_INDEX: 98,
  SEEN_HEAD_INDEX: 99,
  GET_COUNT_INDEX: 128,
  HEAD_INDEX: 129,
  CONSUMER_GUARD_INDEX: 160,
  SEEN_PUT_COUNT_INDEX: 161,
} as const;

export const ProducerJournal = {
  TAIL_BEFORE: 100,
  COUNT_AFTER: 101,
  SPILL: 102,
} as const;

export const ConsumerJournal = {
  HEAD_AFTER: 162,
  COUNT_AFTER: 163,
  SPILL: 164,
} as const;

export const GrowJournal = {
  OPEN: 192,
  OLD_BLOCK: 193,
  OLD_CAPACITY: 194,
  OLD_HEAD: 195,
  OLD_TAIL: 196,
  NEW_BLOCK: 197,
  /** Serialises the replays of a growth (two threads may take each side's guard over at once). */
  REPLAY_GUARD: 198,
} as const;

/** Words of a ring's header (owner words included). */
export const RING_HEADER_WORDS = 256;
export const RING_HEADER_BYTES = RING_HEADER_WORDS * 4;

/** The largest a ring grows to (its messages over half of it are spilled to heap blocks anyway). */
export const MAX_RING_BYTES = 1 << 30;

/** The record kinds and sizes of layout.ts's RING. */
export const RingRecord = {
  /** A record length that says: the ring continues at its start. */
  WRAP: -1,
  /** A record length that says: the message's bytes are in a heap block (offset and length follow). */
  SPILL: -2,
  /** Bytes of a SPILL record. */
  SPILL_BYTES: 16,
  /** Where a record's payload starts, from the record's start (8-aligned, as the record). */
  PAYLOAD_OFFSET: 8,
} as const;

export const { WRAP, SPILL, SPILL_BYTES: SPILL_RECORD_BYTES, PAYLOAD_OFFSET } = RingRecord;

/** Ring bytes of the record of a message of `length` bytes (`spilled`: kept in a heap block). */
export function recordBytes(length: number, spilled: boolean): number {
  return spilled ? SPILL_RECORD_BYTES : PAYLOAD_OFFSET + ((length + 7) & ~7);
}
