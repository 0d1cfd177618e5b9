import { checkCount, defineSharedType, SHARED_BLOCK, SharedBlock, SharedHandle } from '@ipc/core';
import {
  checkElement,
  type ElementOf,
  type ElementType,
  elementType,
  elementTypeById,
  type TypeCode,
} from '../typecodes.ts';
import { ARRAY_LAYOUT_VERSION, RAW_ARRAY_TAG, RawArrayLayout, rawArrayBytes } from './layout.ts';

const RAW_ARRAY_TYPE = defineSharedType({
  name: 'ipc.shared.RawArray',
  tag: RAW_ARRAY_TAG,
  version: ARRAY_LAYOUT_VERSION,
  revive: (block) => new RawArray(block),
  module: import.meta.url,
});

/** The live view of the elements: a typed array of the element type over the shared memory. */
export type RawView<C extends TypeCode> = C extends 'l' | 'L' | 'q' | 'Q' | 'int64' | 'uint64'
  ? BigInt64Array | BigUint64Array
  : Int8Array | Uint8Array | Int16Array | Uint16Array | Int32Array | Uint32Array | Float32Array | Float64Array;

/** A size or the initial elements; checked. */
function initialElements(type: ElementType, sizeOrInit: unknown): { length: number; init?: unknown[] } {
  if (typeof sizeOrInit === 'number') return { length: checkCount(sizeOrInit, 'size', 0) };
  if (type.kind === 'char' && sizeOrInit instanceof Uint8Array)
    return { length: sizeOrInit.length, init: [...sizeOrInit] };
  if (sizeOrInit === null || typeof sizeOrInit !== 'object' || !(Symbol.iterator in sizeOrInit)) {
    throw new TypeError('sizeOrInit must be a size (an integer of at least 0) or an iterable of initial elements');
  }
  const init = [...(sizeOrInit as Iterable<unknown>)];
  return { length: init.length, init };
}

/**
 * A fixed-length array of numbers in shared memory, without a lock: every thread it reaches sees the same
 * elements. Reads and writes are plain memory accesses (the atomic ones of `Atomics` work on `raw` for
 * integer types); a {@link SharedArray} adds a lock.
 *
 * **Python equivalent:** `multiprocessing.sharedctypes.RawArray(typecode, size_or_initializer)`. A `'c'`
 * array also has `value` (its bytes up to the first 0, as Python's).
 *
 * @example
 * ```ts
 * const squares = new RawArray('d', 10);
 * squares.set(3, 9);
 * console.log(squares.toArray());
 * ```
 */
export class RawArray<C extends TypeCode = TypeCode> extends SharedHandle implements Iterable<ElementOf<C>> {
  readonly #type: ElementType;
  readonly #view: RawView<C>;

  /**
   * A new array of `typecode`: `sizeOrInit` zeros, or the elements of an iterable (for `'c'`, a Uint8Array
   * of bytes too); or (given a block by `revive`) the array in that memory.
   *
   * @throws {TypeError} for an unknown typecode, a size that is not an integer, or an element of the wrong
   * kind; {RangeError} for a negative size.
   */
  constructor(typecode: C | SharedBlock, sizeOrInit?: number | Iterable<ElementOf<C>> | Uint8Array) {
    const from = SharedBlock.isBlock(typecode) ? typecode : undefined;
    const type = from === undefined ? elementType(typecode) : undefined;
    const initial = type === undefined ? undefined : initialElements(type, sizeOrInit);
    const values = initial?.init?.map((value, i) => checkElement(type as ElementType, value, `element ${i}`));
    super(RAW_ARRAY_TYPE, from ?? rawArrayBytes(initial?.length ?? 0, type?.bytes ?? 1));
    const block = this[SHARED_BLOCK];
    const words = block.int32(0, 3);
    if (type !== undefined) {
      Atomics.store(words, RawArrayLayout.TYPE_INDEX, type.id);
      Atomics.store(words, RawArrayLayout.LENGTH_INDEX, initial?.length ?? 0);
    }
    this.#type = type ?? elementTypeById(Atomics.load(words, RawArrayLayout.TYPE_INDEX));
    const View = this.#type.array as unknown as new (
      buffer: ArrayBufferLike,
      offset: number,
      length: number,
    ) => RawView<C>;
    this.#view = new View(
      block.heap.buffer,
      block.byteOffset + RawArrayLayout.DATA_BYTE_OFFSET,
      Atomics.load(words, RawArrayLayout.LENGTH_INDEX),
    );
    if (values !== undefined)
      values.forEach((value, i) => {
        (this.#view as unknown as (number | bigint)[])[i] = value;
      });
  }

  /** The element type's readable name (`'int32'`, ...). */
  get typecode(): string {
    return this.#type.name;
  }

  get length(): number {
    return this.#view.length;
  }

  /** The live typed-array view of the elements (shared memory: other threads see writes through it). */
  get raw(): RawView<C> {
    return this.#view;
  }

  /** Element `i`. @throws {RangeError} outside 0..length−1 (negative indices count from the end). */
  get(i: number): ElementOf<C> {
    return this.#view[this.#index(i)] as ElementOf<C>;
  }

  /** Sets element `i` (out-of-range integers wrap: see typecodes.ts). @throws {RangeError}/{TypeError} */
  set(i: number, value: ElementOf<C>): void {
    (this.#view as unknown as (number | bigint)[])[this.#index(i)] = checkElement(this.#type, value);
  }

  /** A copy of elements `start..end` (as `Array.prototype.slice`). */
  slice(start?: number, end?: number): ElementOf<C>[] {
    return Array.from(this.#view.slice(start, end) as unknown as ArrayLike<ElementOf<C>>);
  }

  /** A copy of every element. */
  toArray(): ElementOf<C>[] {
    return this.slice();
  }

  [Symbol.iterator](): Iterator<ElementOf<C>> {
    return this.toArray()[Symbol.iterator]();
  }

  /** A `'c'` array's bytes up to the first 0 (a copy). @throws {TypeError} for other types. */
  get value(): Uint8Array {
    const bytes = this.#charView();
    const end = bytes.indexOf(0);
    return bytes.slice(0, end === -1 ? bytes.length : end);
  }

  /**
   * Writes `bytes` at the start of a `'c'` array, and a 0 after them if there is room (as Python's).
   *
   * @throws {RangeError} when longer than the array; {TypeError} for other types or a value not a Uint8Array.
   */
  set value(bytes: Uint8Array) {
    const view = this.#charView();
    if (!(bytes instanceof Uint8Array)) throw new TypeError('the value of a char array is a Uint8Array of bytes');
    if (bytes.length > view.length) {
      throw new RangeError(`${bytes.length} bytes do not fit a char array of ${view.length}`);
    }
    view.set(bytes);
    if (bytes.length < view.length) view[bytes.length] = 0;
  }

  #charView(): Uint8Array {
    if (this.#type.kind !== 'char')
      throw new TypeError(`value (bytes) is for 'c' arrays; this one is ${this.#type.name}`);
    return this.#view as Uint8Array;
  }

  #index(i: number): number {
    if (typeof i !== 'number' || !Number.isInteger(i))
      throw new TypeError(`index must be an integer, got ${String(i)}`);
    const index = i < 0 ? this.#view.length + i : i;
    if (index < 0 || index >= this.#view.length) {
      throw new RangeError(`index ${i} is out of range for an array of ${this.#view.length}`);
    }
    return index;
  }
}
