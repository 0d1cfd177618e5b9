/**
 * Memory layout of the @ipc heap: one growable SharedArrayBuffer per process that holds every shared
 * structure, so that a structure is named by a plain number (its byte offset) that can travel inside the
 * bytes of a queue or pipe message and be found again by any thread (design.md §3).
 *
 * The SharedArrayBuffer is created by the first thread that loads @ipc/core and handed to every worker that
 * thread (and its workers) start, through `worker_threads.setEnvironmentData`. It reserves 4 GiB of address
 * space (V8's limit for a growable SharedArrayBuffer) and grows on demand; every thread sees the growth.
 *
 * Heap header (Int32 words at byte 0):
 *
 *   word  0  TAG_VERSION        HEAP_TAG << 16 | HEAP_LAYOUT_VERSION       written once by the creator
 *   word  1  HEAP_ID            random non-zero id, names the heap in encoded handles   written once
 *   word  2  TOP_GRANULE        bump pointer: first never-allocated granule (16 B units)    CAS by allocators
 *   word  3  LIVENESS_GRANULE   granule of the liveness table's block                   written once
 *   words 4..7                  reserved (0)
 *   bytes 32..               FREE_LIST_HEADS: one 64-bit word per size class, for `BigInt64Array` CAS:
 *                              low 32 bits  granule of the first free block (0 = empty)
 *                              high 32 bits ABA tag, bumped by every push and pop
 *
 * Block (any allocation; `byteOffset` of a structure points at its data, 16 bytes after the block start):
 *
 *   +0  SIZE_CLASS   k: the block spans MIN_BLOCK_BYTES << k bytes      written by the allocator
 *   +4  REFCOUNT     live references (handle objects, pins, in-flight encodings)   atomic add/sub
 *   +8  NEXT_FREE    granule of the next free block while on a free list  written by free()
 *   +12 PINNED       1 once the block was shared or encoded: it holds one reference for ever   CAS 0→1
 *   +16 data...      the structure; its word 0 is the structure's own TAG_VERSION
 *
 * Granules: offsets are kept in 16-byte units so that any offset below 4 GiB fits a positive Int32.
 */

/** Size of the allocation unit and of every alignment the heap guarantees. */
export const GRANULE_BYTES = 16;

/** The heap's own type tag (0x1EA9: "heap") and layout version. */
export const HEAP_TAG = 0x1ea9;
export const HEAP_LAYOUT_VERSION = 1;

/** Int32 slots of the heap header. */
export const HeapHeader = {
  TAG_VERSION_INDEX: 0,
  HEAP_ID_INDEX: 1,
  TOP_GRANULE_INDEX: 2,
  LIVENESS_GRANULE_INDEX: 3,
} as const;

/** Byte offset of the free-list heads (8-byte aligned, read as BigInt64). */
export const FREE_LIST_HEADS_BYTE_OFFSET = 32;

/** Smallest block: a 16-byte block header plus 48 bytes of data. */
export const MIN_BLOCK_BYTES = 64;
/** Size classes 0..SIZE_CLASS_COUNT-1 span 64 B .. 2 GiB. */
export const SIZE_CLASS_COUNT = 26;

/** Bytes of the heap header; the first block starts here (aligned to 64 so blocks share no cache line). */
export const HEAP_HEADER_BYTES = 256;

/** Address space reserved for the heap: the largest growable SharedArrayBuffer V8 allows. */
export const HEAP_MAX_BYTES = 2 ** 32;
/** Size of a new heap, and the granularity in which it grows. */
export const HEAP_GROWTH_BYTES = 1 << 20;

/** Int32 slots of a block header, relative to the block's first word. */
export const BlockHeader = {
  SIZE_CLASS_INDEX: 0,
  REFCOUNT_INDEX: 1,
  NEXT_FREE_INDEX: 2,
  PINNED_INDEX: 3,
} as const;

/** Bytes between a block's start and its data. */
export const BLOCK_HEADER_BYTES = 16;
