/**
 * The heap's allocation algorithm, as pure functions over the heap's SharedArrayBuffer (layout.ts).
 *
 * Segregated power-of-two size classes. Each class has a lock-free free list (a Treiber stack, R. K.
 * Treiber, "Systems Programming: Coping with Parallelism", IBM RJ 5118, 1986) whose head carries an ABA tag
 * in its high 32 bits, updated with one 64-bit CAS. A class with an empty list takes fresh memory from a
 * bump pointer. No locks: a thread killed at any instruction leaves the heap consistent (at worst one
 * block is lost), which a lock could not promise (design.md §6).
 */

import { InvalidStateError } from '../errors.ts';
import {
  BLOCK_HEADER_BYTES,
  BlockHeader,
  FREE_LIST_HEADS_BYTE_OFFSET,
  GRANULE_BYTES,
  HEAP_GROWTH_BYTES,
  HEAP_MAX_BYTES,
  HeapHeader,
  MIN_BLOCK_BYTES,
  SIZE_CLASS_COUNT,
} from './layout.ts';

const LOW_32 = 0xffff_ffffn;

/** The smallest size class whose blocks hold `dataBytes` bytes of data. */
export function sizeClassFor(dataBytes: number): number {
  const need = dataBytes + BLOCK_HEADER_BYTES;
  let k = 0;
  while (MIN_BLOCK_BYTES * 2 ** k < need) k++;
  if (k >= SIZE_CLASS_COUNT) {
    throw new RangeError(`cannot allocate ${dataBytes} bytes of shared memory: the heap's largest block is 2 GiB`);
  }
  return k;
}

/** Bytes of data a block of size class `k` holds. */
export function dataBytesOf(k: number): number {
  return MIN_BLOCK_BYTES * 2 ** k - BLOCK_HEADER_BYTES;
}

/** The four header words of the block that starts at `blockGranule`. */
function blockWords(sab: SharedArrayBuffer, blockGranule: number): Int32Array {
  return new Int32Array(sab, blockGranule * GRANULE_BYTES, BLOCK_HEADER_BYTES / 4);
}

function freeListHeads(sab: SharedArrayBuffer): BigInt64Array {
  return new BigInt64Array(sab, FREE_LIST_HEADS_BYTE_OFFSET, SIZE_CLASS_COUNT);
}

/** Makes the SharedArrayBuffer at least `bytes` long. Safe against other threads growing it meanwhile. */
function ensureLength(sab: SharedArrayBuffer, bytes: number): void {
  while (sab.byteLength < bytes) {
    const target = Math.min(HEAP_MAX_BYTES, Math.ceil(bytes / HEAP_GROWTH_BYTES) * HEAP_GROWTH_BYTES);
    try {
      sab.grow(target);
    } catch (error) {
      // Another thread grew it past `target` first (grow() refuses to shrink): fine if it is long enough.
      if (sab.byteLength < bytes) throw error;
    }
  }
}

/** Pops a block of class `k` from its free list; 0 when the list is empty. */
function popFree(sab: SharedArrayBuffer, k: number): number {
  const heads = freeListHeads(sab);
  for (;;) {
    const head = Atomics.load(heads, k);
    const granule = Number(head & LOW_32);
    if (granule === 0) return 0;
    // Reading `next` of a block another thread may have popped meanwhile is harmless: the memory is never
    // unmapped, and the tagged CAS below fails if the head changed at all since we loaded it.
    const next = Atomics.load(blockWords(sab, granule), BlockHeader.NEXT_FREE_INDEX);
    const tag = (head >> 32n) + 1n;
    if (Atomics.compareExchange(heads, k, head, BigInt.asIntN(64, (tag << 32n) | BigInt(next))) === head) {
      return granule;
    }
  }
}

/** Pushes the block at `granule` (class `k`) onto its free list. */
function pushFree(sab: SharedArrayBuffer, k: number, granule: number): void {
  const heads = freeListHeads(sab);
  const words = blockWords(sab, granule);
  for (;;) {
    const head = Atomics.load(heads, k);
    // `next` must be written before the CAS publishes the block: the CAS is seq-cst, so a popper that
    // sees the new head also sees this store.
    Atomics.store(words, BlockHeader.NEXT_FREE_INDEX, Number(head & LOW_32));
    const tag = (head >> 32n) + 1n;
    if (Atomics.compareExchange(heads, k, head, BigInt.asIntN(64, (tag << 32n) | BigInt(granule))) === head) return;
  }
}

/** Takes fresh memory for a block of class `k` from the bump pointer, growing the buffer as needed. */
function bump(sab: SharedArrayBuffer, header: Int32Array, k: number): number {
  const granules = (MIN_BLOCK_BYTES * 2 ** k) / GRANULE_BYTES;
  for (;;) {
    const top = Atomics.load(header, HeapHeader.TOP_GRANULE_INDEX);
    const end = top + granules;
    if (end * GRANULE_BYTES > HEAP_MAX_BYTES) {
      throw new RangeError(`the @ipc shared heap is full (${HEAP_MAX_BYTES} bytes): free shared objects first`);
    }
    if (Atomics.compareExchange(header, HeapHeader.TOP_GRANULE_INDEX, top, end) === top) {
      ensureLength(sab, end * GRANULE_BYTES);
      return top;
    }
  }
}

/**
 * Allocates a block with room for `dataBytes` bytes, zero-filled (unless `zeroed` is false: then a reused
 * block keeps its old bytes), with a reference count of 1. Returns the byte offset of its data (16-byte
 * aligned; the block itself starts on a 64-byte boundary).
 */
export function allocateBlock(sab: SharedArrayBuffer, header: Int32Array, dataBytes: number, zeroed = true): number {
  const k = sizeClassFor(dataBytes);
  let granule = popFree(sab, k);
  if (granule !== 0) {
    if (zeroed) new Uint8Array(sab, granule * GRANULE_BYTES + BLOCK_HEADER_BYTES, dataBytesOf(k)).fill(0);
  } else {
    granule = bump(sab, header, k);
  }
  const words = blockWords(sab, granule);
  Atomics.store(words, BlockHeader.SIZE_CLASS_INDEX, k);
  Atomics.store(words, BlockHeader.NEXT_FREE_INDEX, 0);
  Atomics.store(words, BlockHeader.PINNED_INDEX, 0);
  // Published last: a block is only reachable by others after this function returns its offset.
  Atomics.store(words, BlockHeader.REFCOUNT_INDEX, 1);
  return granule * GRANULE_BYTES + BLOCK_HEADER_BYTES;
}

function headerOf(sab: SharedArrayBuffer, dataByteOffset: number): Int32Array {
  return blockWords(sab, (dataByteOffset - BLOCK_HEADER_BYTES) / GRANULE_BYTES);
}

/** Adds a reference to a live block. A block whose count already reached 0 is gone: that is a bug. */
export function retainBlock(sab: SharedArrayBuffer, dataByteOffset: number): void {
  const words = headerOf(sab, dataByteOffset);
  for (;;) {
    const count = Atomics.load(words, BlockHeader.REFCOUNT_INDEX);
    if (count <= 0) throw new InvalidStateError(`shared object at offset ${dataByteOffset} was already freed`);
    if (Atomics.compareExchange(words, BlockHeader.REFCOUNT_INDEX, count, count + 1) === count) return;
  }
}

/** Drops a reference; the last one returns the block to its free list. Returns the count left. */
export function releaseBlock(sab: SharedArrayBuffer, dataByteOffset: number): number {
  const words = headerOf(sab, dataByteOffset);
  const left = Atomics.sub(words, BlockHeader.REFCOUNT_INDEX, 1) - 1;
  if (left === 0) {
    pushFree(sab, Atomics.load(words, BlockHeader.SIZE_CLASS_INDEX), dataByteOffset / GRANULE_BYTES - 1);
  } else if (left < 0) {
    throw new InvalidStateError(`shared object at offset ${dataByteOffset} was released more times than retained`);
  }
  return left;
}

/**
 * Gives the block one reference that is never dropped, once: after it has been shared through a message or
 * a descriptor, any thread may still hold its offset, so it must outlive every handle object.
 */
export function pinBlock(sab: SharedArrayBuffer, dataByteOffset: number): void {
  const words = headerOf(sab, dataByteOffset);
  if (Atomics.compareExchange(words, BlockHeader.PINNED_INDEX, 0, 1) === 0) retainBlock(sab, dataByteOffset);
}

/** The reference count of the block at `dataByteOffset` (a snapshot). */
export function blockReferences(sab: SharedArrayBuffer, dataByteOffset: number): number {
  return Atomics.load(headerOf(sab, dataByteOffset), BlockHeader.REFCOUNT_INDEX);
}

/** Bytes of data the block at `dataByteOffset` can hold (at least what was asked for). */
export function blockCapacity(sab: SharedArrayBuffer, dataByteOffset: number): number {
  return dataBytesOf(Atomics.load(headerOf(sab, dataByteOffset), BlockHeader.SIZE_CLASS_INDEX));
}
