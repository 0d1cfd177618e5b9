/**
 * A `SharedBlock` is one structure's memory in the shared heap: the heap, the byte offset of the data, and
 * its size. A primitive holds exactly one block and keeps all its mutable state in it (design.md §3).
 */

import type { Heap } from '../heap/heap.ts';
import { checkTag, tagWord } from '../tag.ts';
import type { SharedType } from './shared-type.ts';

/** Index of the type tag and layout version in every structure's first word. */
export const TAG_VERSION_INDEX = 0;

const BLOCK_BRAND = Symbol.for('@ipc/core.sharedBlock.brand');

/** One structure's memory in the shared heap. */
export class SharedBlock {
  /** Marks blocks made by any copy of @ipc/core, so that copies accept each other's blocks. */
  readonly [BLOCK_BRAND] = true;

  /** The heap that holds the block. */
  readonly heap: Heap;
  /** Byte offset of the block's data in `heap.buffer` (16-byte aligned). */
  readonly byteOffset: number;
  /** Usable bytes from `byteOffset`, at least what was allocated. */
  readonly byteLength: number;
  /** The type whose tag word 0 holds. */
  readonly type: SharedType;

  private constructor(heap: Heap, byteOffset: number, type: SharedType) {
    this.heap = heap;
    this.byteOffset = byteOffset;
    this.byteLength = heap.capacity(byteOffset);
    this.type = type;
  }

  /**
   * Allocates a zeroed block of at least `byteLength` bytes in `heap` and writes `type`'s tag in word 0.
   * The caller owns the block's single reference.
   */
  static allocate(heap: Heap, type: SharedType, byteLength: number): SharedBlock {
    const byteOffset = heap.allocate(Math.max(byteLength, 4));
    const block = new SharedBlock(heap, byteOffset, type);
    // Until the block's offset is handed to another thread nobody else reads it; the handoff itself
    // (a message commit or postMessage) orders this store before the reader's first load.
    Atomics.store(block.int32(0, 1), TAG_VERSION_INDEX, tagWord(type.tag, type.version));
    return block;
  }

  /**
   * A block over existing memory of `type`. Takes no reference: the caller must hold one.
   *
   * @throws {TypeError} if word 0 holds another type's tag or another layout version.
   */
  static attach(heap: Heap, byteOffset: number, type: SharedType): SharedBlock {
    if (!Number.isSafeInteger(byteOffset) || byteOffset <= 0 || byteOffset % 16 !== 0) {
      throw new TypeError(`not the offset of a shared ${type.name}: ${byteOffset}`);
    }
    if (byteOffset + 4 > heap.buffer.byteLength) {
      throw new TypeError(`offset ${byteOffset} of a shared ${type.name} lies outside the heap`);
    }
    checkTag(
      new Int32Array(heap.buffer, byteOffset, 1),
      TAG_VERSION_INDEX,
      type.tag,
      type.version,
      `a shared ${type.name}`,
    );
    return new SharedBlock(heap, byteOffset, type);
  }

  /** True for a block made by any copy of @ipc/core (ESM and CJS builds, two versions). */
  static isBlock(value: unknown): value is SharedBlock {
    return typeof value === 'object' && value !== null && (value as { [BLOCK_BRAND]?: unknown })[BLOCK_BRAND] === true;
  }

  /**
   * An Int32Array over `length` words of the block, from word `start`. Views are fixed-length: a
   * length-tracking view of a growable buffer is ~3× slower in V8.
   */
  int32(start = 0, length = this.byteLength / 4 - start): Int32Array {
    return new Int32Array(this.heap.buffer, this.byteOffset + start * 4, length);
  }

  /** A Uint8Array over `length` bytes of the block, from byte `start`. */
  bytes(start = 0, length = this.byteLength - start): Uint8Array {
    return new Uint8Array(this.heap.buffer, this.byteOffset + start, length);
  }
}
