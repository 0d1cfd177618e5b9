import { defineSharedType, SHARED_BLOCK, SharedBlock, SharedHandle } from '@ipc/core';
import type { Lock, RLock } from '@ipc/sync';
import { checkLockOption, holding, type LockOption, recordGuarded, reviveGuarded } from '../guarded.ts';
import type { ElementOf, TypeCode } from '../typecodes.ts';
import { VALUE_BYTES } from '../value/layout.ts';
import { ARRAY_LAYOUT_VERSION, SHARED_ARRAY_TAG } from './layout.ts';
import { RawArray, type RawView } from './raw-array.ts';

const SHARED_ARRAY_TYPE = defineSharedType({
  name: 'ipc.shared.SharedArray',
  tag: SHARED_ARRAY_TAG,
  version: ARRAY_LAYOUT_VERSION,
  revive: (block) => new SharedArray(block),
  module: import.meta.url,
});

/** Options of a SharedArray. */
export interface SharedArrayOptions {
  /**
   * `true` (default): a new RLock guards the array; a `Lock` or `RLock` of @ipc/sync: that one; `false`: no
   * lock: `new SharedArray(...)` returns a {@link RawArray}, as Python's `Array(lock=False)`.
   */
  lock?: LockOption | false;
}

/**
 * A fixed-length array of numbers in shared memory, guarded by a lock: each `get`, `set`, `slice` and
 * `toArray` holds it (as Python's synchronized wrapper does), and `getLock()` makes several steps whole.
 *
 * **Python equivalent:** `multiprocessing.Array(typecode, size_or_initializer, lock=True)` (exported as
 * `Array` too): indexing → `get`/`set`, `get_lock()` → `getLock()`, `get_obj()` → `getObj()`.
 *
 * @example
 * ```ts
 * const arr = new SharedArray('i', [1, 2, 3]);
 * new Process({ target: double, args: [arr] }).start();   // double: for i: arr.set(i, arr.get(i) * 2)
 * ```
 */
export class SharedArray<C extends TypeCode = TypeCode> extends SharedHandle implements Iterable<ElementOf<C>> {
  readonly #raw!: RawArray<C>;
  readonly #lock!: Lock | RLock;

  /**
   * A new array (see {@link RawArray}) and its lock (see {@link SharedArrayOptions}); or (given a block by
   * `revive`) the array in that memory.
   */
  // biome-ignore lint/correctness/noUnreachableSuper: lock false returns the raw object, as Python does.
  constructor(
    typecode: C | SharedBlock,
    sizeOrInit?: number | Iterable<ElementOf<C>> | Uint8Array,
    options: SharedArrayOptions = {},
  ) {
    const from = SharedBlock.isBlock(typecode) ? typecode : undefined;
    // Python's Array(lock=False) is the raw array itself: so is this one.
    if ((options.lock as unknown) === false && from === undefined) {
      // biome-ignore lint/correctness/noConstructorReturn: the raw object, not a guarded one (Python's lock=False).
      return new RawArray<C>(typecode as C, sizeOrInit) as never;
    }
    checkLockOption(options.lock);
    const raw = from === undefined ? new RawArray<C>(typecode as C, sizeOrInit) : undefined;
    super(SHARED_ARRAY_TYPE, from ?? VALUE_BYTES);
    const block = this[SHARED_BLOCK];
    const words = block.int32(0, VALUE_BYTES / 4);
    const parts =
      raw !== undefined
        ? recordGuarded(words, raw, options.lock as LockOption)
        : reviveGuarded<RawArray<C>>(words, block.heap, 'ipc.shared.RawArray');
    this.#raw = parts.raw;
    this.#lock = parts.lock;
  }

  get typecode(): string {
    return this.#raw.typecode;
  }

  get length(): number {
    return this.#raw.length;
  }

  /** The live typed-array view (no lock: hold `getLock()` while using it). */
  get raw(): RawView<C> {
    return this.#raw.raw;
  }

  /** Element `i`, read holding the lock. @throws {RangeError} outside the array. */
  get(i: number): ElementOf<C> {
    return holding(this.#lock, () => this.#raw.get(i));
  }

  /** Sets element `i` holding the lock. @throws {RangeError}/{TypeError} */
  set(i: number, value: ElementOf<C>): void {
    holding(this.#lock, () => this.#raw.set(i, value));
  }

  /** A copy of elements `start..end`, taken holding the lock. */
  slice(start?: number, end?: number): ElementOf<C>[] {
    return holding(this.#lock, () => this.#raw.slice(start, end));
  }

  /** A copy of every element, taken holding the lock. */
  toArray(): ElementOf<C>[] {
    return this.slice();
  }

  [Symbol.iterator](): Iterator<ElementOf<C>> {
    return this.toArray()[Symbol.iterator]();
  }

  /** A `'c'` array's bytes up to the first 0, read holding the lock. */
  get value(): Uint8Array {
    return holding(this.#lock, () => this.#raw.value);
  }

  /** Writes bytes into a `'c'` array holding the lock (see {@link RawArray.value}). */
  set value(bytes: Uint8Array) {
    holding(this.#lock, () => {
      this.#raw.value = bytes;
    });
  }

  /** The lock that guards the array. **Python equivalent:** `get_lock()`. */
  getLock(): Lock | RLock {
    return this.#lock;
  }

  /** The array without its lock. **Python equivalent:** `get_obj()`. */
  getObj(): RawArray<C> {
    return this.#raw;
  }
}
