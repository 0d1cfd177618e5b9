/**
 * The process-wide shared heap (layout.ts): where every @ipc structure lives, and how a thread finds it.
 */

import { getEnvironmentData, setEnvironmentData } from 'node:worker_threads';
import { LIVENESS_LAYOUT_VERSION, LIVENESS_TABLE_BYTES, LIVENESS_TAG } from '../liveness/layout.ts';
import { checkTag, tagWord } from '../tag.ts';
import { allocateBlock, blockCapacity, blockReferences, pinBlock, releaseBlock, retainBlock } from './allocator.ts';
import {
  GRANULE_BYTES,
  HEAP_GROWTH_BYTES,
  HEAP_HEADER_BYTES,
  HEAP_LAYOUT_VERSION,
  HEAP_MAX_BYTES,
  HEAP_TAG,
  HeapHeader,
} from './layout.ts';

/** Environment-data key under which a thread hands its heap to the workers it starts. */
const HEAP_ENVIRONMENT_KEY = '@ipc/core.heap';

/**
 * A view of one shared heap. There is one heap per process in the normal case; a thread may also meet a
 * heap made by a thread outside its family (when no common ancestor loaded @ipc) through `revive()`.
 * Heap objects hold no state of their own beyond immutable views.
 */
export class Heap {
  /** The growable SharedArrayBuffer that holds the heap. */
  readonly buffer: SharedArrayBuffer;
  /** The heap's random id, as written in encoded handles. */
  readonly id: number;
  /** The liveness table's Int32 view. */
  readonly livenessTable: Int32Array;
  readonly #header: Int32Array;

  private constructor(buffer: SharedArrayBuffer) {
    this.buffer = buffer;
    this.#header = new Int32Array(buffer, 0, HEAP_HEADER_BYTES / 4);
    checkTag(this.#header, 0, HEAP_TAG, HEAP_LAYOUT_VERSION, 'the @ipc shared heap');
    this.id = Atomics.load(this.#header, HeapHeader.HEAP_ID_INDEX);
    const livenessOffset = Atomics.load(this.#header, HeapHeader.LIVENESS_GRANULE_INDEX) * GRANULE_BYTES;
    this.livenessTable = new Int32Array(buffer, livenessOffset, LIVENESS_TABLE_BYTES / 4);
    checkTag(this.livenessTable, 0, LIVENESS_TAG, LIVENESS_LAYOUT_VERSION, 'the @ipc liveness table');
  }

  /**
   * Allocates shared memory for `byteLength` bytes; returns its byte offset (16-byte aligned). The memory is
   * zeroed unless `zeroed: false` (for a caller that overwrites it all at once: a queue's spilled message).
   */
  allocate(byteLength: number, options?: { zeroed?: boolean }): number {
    if (!Number.isSafeInteger(byteLength) || byteLength < 0) {
      throw new RangeError(`byteLength must be a non-negative integer, got ${byteLength}`);
    }
    return allocateBlock(this.buffer, this.#header, byteLength, options?.zeroed !== false);
  }

  /** Adds a reference to the block at `byteOffset`. */
  retain(byteOffset: number): void {
    retainBlock(this.buffer, byteOffset);
  }

  /** Drops a reference to the block at `byteOffset`; the last one frees it. Returns the count left. */
  release(byteOffset: number): number {
    return releaseBlock(this.buffer, byteOffset);
  }

  /** The references the block at `byteOffset` has now (a pinned block counts one more). */
  references(byteOffset: number): number {
    return blockReferences(this.buffer, byteOffset);
  }

  /** Keeps the block at `byteOffset` alive until the process ends (see allocator.ts `pinBlock`). */
  pin(byteOffset: number): void {
    pinBlock(this.buffer, byteOffset);
  }

  /** Usable bytes of the block at `byteOffset` (at least what was asked for). */
  capacity(byteOffset: number): number {
    return blockCapacity(this.buffer, byteOffset);
  }

  static readonly #byBuffer = new WeakMap<SharedArrayBuffer, Heap>();
  static readonly #byId = new Map<number, Heap>();
  static #current: Heap | undefined;

  /** The heap over `buffer`, validated once per thread. @throws {TypeError} if it is not an @ipc heap. */
  static of(buffer: SharedArrayBuffer): Heap {
    let heap = Heap.#byBuffer.get(buffer);
    if (heap === undefined) {
      if (!(buffer instanceof SharedArrayBuffer) || !buffer.growable) {
        throw new TypeError('expected the growable SharedArrayBuffer of an @ipc shared heap');
      }
      heap = new Heap(buffer);
      Heap.#byBuffer.set(buffer, heap);
      Heap.#byId.set(heap.id, heap);
    }
    return heap;
  }

  /** A heap this thread has already met, by id. */
  static byId(id: number): Heap | undefined {
    return Heap.#byId.get(id);
  }

  /**
   * This thread's heap: the one its parent thread handed down, or a new one if no ancestor loaded @ipc.
   * Either way it is handed on to every worker this thread starts from now on.
   */
  static current(): Heap {
    if (Heap.#current === undefined) {
      const inherited = getEnvironmentData(HEAP_ENVIRONMENT_KEY);
      const buffer = inherited instanceof SharedArrayBuffer ? inherited : createHeapBuffer();
      setEnvironmentData(HEAP_ENVIRONMENT_KEY, buffer);
      Heap.#current = Heap.of(buffer);
    }
    return Heap.#current;
  }
}

function createHeapBuffer(): SharedArrayBuffer {
  const buffer = new SharedArrayBuffer(HEAP_GROWTH_BYTES, { maxByteLength: HEAP_MAX_BYTES });
  const header = new Int32Array(buffer, 0, HEAP_HEADER_BYTES / 4);
  Atomics.store(header, HeapHeader.HEAP_ID_INDEX, (Math.random() * 0x7fff_ffff) | 1);
  Atomics.store(header, HeapHeader.TOP_GRANULE_INDEX, HEAP_HEADER_BYTES / GRANULE_BYTES);
  const liveness = allocateBlock(buffer, header, LIVENESS_TABLE_BYTES);
  new Int32Array(buffer, liveness, 1)[0] = tagWord(LIVENESS_TAG, LIVENESS_LAYOUT_VERSION);
  Atomics.store(header, HeapHeader.LIVENESS_GRANULE_INDEX, liveness / GRANULE_BYTES);
  // The tag is written last: nobody else can see this buffer before it is handed on, but a reader that
  // validates the tag then knows the rest of the header is in place.
  Atomics.store(header, HeapHeader.TAG_VERSION_INDEX, tagWord(HEAP_TAG, HEAP_LAYOUT_VERSION));
  return buffer;
}
