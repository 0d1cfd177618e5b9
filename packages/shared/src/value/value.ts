import { defineSharedType, SHARED_BLOCK, SharedBlock, SharedHandle } from '@ipc/core';
import type { Lock, RLock } from '@ipc/sync';
import { checkLockOption, holding, type LockOption, recordGuarded, reviveGuarded } from '../guarded.ts';
import type { ElementOf, TypeCode } from '../typecodes.ts';
import { VALUE_BYTES, VALUE_LAYOUT_VERSION, VALUE_TAG } from './layout.ts';
import { RawValue } from './raw-value.ts';

const VALUE_TYPE = defineSharedType({
  name: 'ipc.shared.Value',
  tag: VALUE_TAG,
  version: VALUE_LAYOUT_VERSION,
  revive: (block) => new Value(block),
  module: import.meta.url,
});

/** Options of a Value. */
export interface ValueOptions {
  /**
   * `true` (default): a new RLock guards the value, as Python's default; a `Lock` or `RLock` of @ipc/sync:
   * that one (several values may share it); `false`: no lock: `new Value(...)` returns a {@link RawValue}, as
   * Python's `Value(lock=False)` returns the raw value.
   */
  lock?: LockOption | false;
}

/**
 * One number in shared memory, guarded by a lock: each read and write of `.value` holds the lock (as
 * Python's synchronized wrapper does), and `getLock()` makes a read-modify-write whole:
 * `v.getLock().withLock(() => { v.value += 1; })`.
 *
 * **Python equivalent:** `multiprocessing.Value(typecode, value, lock=True)`: `.value`, `get_lock()` →
 * `getLock()`, `get_obj()` → `getObj()`.
 *
 * @example
 * ```ts
 * const counter = new Value('i', 0);
 * // in 8 workers: for (...) counter.getLock().withLockSync?.(() => { counter.value += 1; })
 * counter.getLock().acquireSync();
 * counter.value += 1;
 * counter.getLock().release();
 * ```
 */
export class Value<C extends TypeCode = TypeCode> extends SharedHandle {
  readonly #raw!: RawValue<C>;
  readonly #lock!: Lock | RLock;

  /**
   * A new value of `typecode` with `init` (default 0) and a lock (see {@link ValueOptions}); or (given a block
   * by `revive`) the value in that memory.
   *
   * @throws {TypeError} for an unknown typecode, a bad `init`, or a lock that is not an @ipc/sync Lock/RLock.
   */
  // biome-ignore lint/correctness/noUnreachableSuper: lock false returns the raw object, as Python does.
  constructor(typecode: C | SharedBlock, init?: ElementOf<C>, options: ValueOptions = {}) {
    const from = SharedBlock.isBlock(typecode) ? typecode : undefined;
    // Python's Value(lock=False) is the raw value itself (not a synchronized wrapper): so is this one.
    if ((options.lock as unknown) === false && from === undefined) {
      // biome-ignore lint/correctness/noConstructorReturn: the raw object, not a guarded one (Python's lock=False).
      return new RawValue<C>(typecode as C, init) as never;
    }
    checkLockOption(options.lock);
    const raw = from === undefined ? new RawValue<C>(typecode as C, init) : undefined;
    super(VALUE_TYPE, from ?? VALUE_BYTES);
    const block = this[SHARED_BLOCK];
    const words = block.int32(0, VALUE_BYTES / 4);
    const parts =
      raw !== undefined
        ? recordGuarded(words, raw, options.lock as LockOption)
        : reviveGuarded<RawValue<C>>(words, block.heap, 'ipc.shared.RawValue');
    this.#raw = parts.raw;
    this.#lock = parts.lock;
  }

  /** The element type's readable name (`'int32'`, ...). */
  get typecode(): string {
    return this.#raw.typecode;
  }

  /** The value, read holding the lock. */
  get value(): ElementOf<C> {
    return holding(this.#lock, () => this.#raw.value);
  }

  /** Sets the value holding the lock (out-of-range integers wrap: see typecodes.ts). */
  set value(next: ElementOf<C>) {
    holding(this.#lock, () => {
      this.#raw.value = next;
    });
  }

  /** The lock that guards the value. **Python equivalent:** `get_lock()`. */
  getLock(): Lock | RLock {
    return this.#lock;
  }

  /** The value without its lock. **Python equivalent:** `get_obj()`. */
  getObj(): RawValue<C> {
    return this.#raw;
  }
}
