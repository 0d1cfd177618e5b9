import { defineSharedType, SHARED_BLOCK, SharedBlock, SharedHandle } from '@ipc/core';
import {
  checkElement,
  type ElementOf,
  type ElementType,
  elementType,
  elementTypeById,
  type TypeCode,
} from '../typecodes.ts';
import { RAW_VALUE_BYTES, RAW_VALUE_TAG, RawValueLayout, VALUE_LAYOUT_VERSION } from './layout.ts';

const RAW_VALUE_TYPE = defineSharedType({
  name: 'ipc.shared.RawValue',
  tag: RAW_VALUE_TAG,
  version: VALUE_LAYOUT_VERSION,
  revive: (block) => new RawValue(block),
  module: import.meta.url,
});

/** One element over shared memory, as a typed array of length 1. */
type Cell = { 0: number | bigint };

/**
 * One number in shared memory, without a lock: every thread it reaches (`Process` args, messages, `share()`)
 * sees the same value. Reads and writes are plain memory accesses: a read-modify-write such as
 * `v.value += 1` from two threads loses updates. Use a {@link Value} (its lock) or the atomic helpers
 * (`add`, `compareExchange`, ... for integer types) for that.
 *
 * **Python equivalent:** `multiprocessing.sharedctypes.RawValue(typecode, value)`.
 *
 * @example
 * ```ts
 * const hits = new RawValue('i', 0);
 * hits.add(1);          // atomic, from any thread
 * console.log(hits.value);
 * ```
 */
export class RawValue<C extends TypeCode = TypeCode> extends SharedHandle {
  readonly #type: ElementType;
  readonly #cell: Cell & ArrayBufferView;

  /**
   * A new value of `typecode`, `init` (default 0) as its value; or (given a block by `revive`) the value in
   * that memory.
   *
   * @throws {TypeError} for an unknown typecode (naming the valid ones), or an `init` of the wrong kind.
   */
  constructor(typecode: C | SharedBlock, init?: ElementOf<C>) {
    const from = SharedBlock.isBlock(typecode) ? typecode : undefined;
    const type = from === undefined ? elementType(typecode) : undefined;
    const first = type === undefined || init === undefined ? undefined : checkElement(type, init, 'init');
    super(RAW_VALUE_TYPE, from ?? RAW_VALUE_BYTES);
    const block = this[SHARED_BLOCK];
    const words = block.int32(0, 2);
    if (type !== undefined) Atomics.store(words, RawValueLayout.TYPE_INDEX, type.id);
    this.#type = type ?? elementTypeById(Atomics.load(words, RawValueLayout.TYPE_INDEX));
    const Cells = this.#type.array as unknown as new (buffer: ArrayBufferLike, offset: number, length: number) => Cell;
    this.#cell = new Cells(block.heap.buffer, block.byteOffset + RawValueLayout.DATA_BYTE_OFFSET, 1) as Cell &
      ArrayBufferView;
    if (first !== undefined) this.#cell[0] = first;
  }

  /** The element type's readable name (`'int32'`, ...). */
  get typecode(): string {
    return this.#type.name;
  }

  /** The value now (a plain read). */
  get value(): ElementOf<C> {
    return this.#cell[0] as ElementOf<C>;
  }

  /**
   * Sets the value (a plain write; out-of-range integers wrap, as ctypes does: see typecodes.ts).
   *
   * @throws {TypeError} for a value of the wrong kind.
   */
  set value(next: ElementOf<C>) {
    this.#cell[0] = checkElement(this.#type, next);
  }

  /** Adds `n` atomically; returns the value before. Integer types only. */
  add(n: ElementOf<C>): ElementOf<C> {
    return Atomics.add(this.#atomicCell(), 0, checkElement(this.#type, n, 'n') as never) as ElementOf<C>;
  }

  /** Subtracts `n` atomically; returns the value before. Integer types only. */
  sub(n: ElementOf<C>): ElementOf<C> {
    return Atomics.sub(this.#atomicCell(), 0, checkElement(this.#type, n, 'n') as never) as ElementOf<C>;
  }

  /** Sets `replacement` if the value is `expected`, atomically; returns the value found. Integer types only. */
  compareExchange(expected: ElementOf<C>, replacement: ElementOf<C>): ElementOf<C> {
    const cell = this.#atomicCell();
    return Atomics.compareExchange(
      cell,
      0,
      checkElement(this.#type, expected, 'expected') as never,
      checkElement(this.#type, replacement, 'replacement') as never,
    ) as ElementOf<C>;
  }

  /** Sets `next` atomically; returns the value before. Integer types only. */
  exchange(next: ElementOf<C>): ElementOf<C> {
    return Atomics.exchange(this.#atomicCell(), 0, checkElement(this.#type, next) as never) as ElementOf<C>;
  }

  /** The value, read atomically (ordered with the other threads' atomic operations). Integer types only. */
  load(): ElementOf<C> {
    return Atomics.load(this.#atomicCell(), 0) as ElementOf<C>;
  }

  /** Stores `next` atomically. Integer types only. */
  store(next: ElementOf<C>): void {
    Atomics.store(this.#atomicCell(), 0, checkElement(this.#type, next) as never);
  }

  #atomicCell(): Int32Array {
    if (this.#type.kind === 'float') {
      throw new TypeError(`atomic operations need an integer type; this value is a ${this.#type.name}: use its lock`);
    }
    return this.#cell as unknown as Int32Array;
  }
}
