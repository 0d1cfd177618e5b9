import { attachShared, defineSharedType, SHARED_BLOCK, SharedBlock, SharedHandle, sharedTypeNamed } from '@ipc/core';
import { Lock, RLock } from '@ipc/sync';
import type { ElementOf, TypeCode } from '../typecodes.ts';
import {
  LOCK_KIND_LOCK,
  LOCK_KIND_RLOCK,
  VALUE_BYTES,
  VALUE_LAYOUT_VERSION,
  VALUE_TAG,
  ValueLayout,
} from './layout.ts';
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
   * that one (several values may share it). For no lock, make a {@link RawValue} (`false` throws TypeError
   * saying so: Python's `Value(lock=False)` returns the raw value, which a constructor cannot).
   */
  lock?: true | Lock | RLock | undefined;
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
  readonly #raw: RawValue<C>;
  readonly #lock: Lock | RLock;

  /**
   * A new value of `typecode` with `init` (default 0) and a lock (see {@link ValueOptions}); or (given a block
   * by `revive`) the value in that memory.
   *
   * @throws {TypeError} for an unknown typecode, a bad `init`, or a lock that is not an @ipc/sync Lock/RLock.
   */
  constructor(typecode: C | SharedBlock, init?: ElementOf<C>, options: ValueOptions = {}) {
    const from = SharedBlock.isBlock(typecode) ? typecode : undefined;
    const given = options.lock;
    if ((given as unknown) === false) {
      // Python's Value(lock=False) returns the raw value itself; a constructor cannot.
      throw new TypeError('a Value without a lock is a RawValue: use new RawValue(typecode, init)');
    }
    if (given !== undefined && given !== true && !(given instanceof Lock) && !(given instanceof RLock)) {
      throw new TypeError('lock must be true, or a Lock or RLock of @ipc/sync');
    }
    const raw = from === undefined ? new RawValue<C>(typecode as C, init) : undefined;
    super(VALUE_TYPE, from ?? VALUE_BYTES);
    const block = this[SHARED_BLOCK];
    const words = block.int32(0, VALUE_BYTES / 4);
    if (raw !== undefined) {
      const lock = given instanceof Lock || given instanceof RLock ? given : new RLock();
      // Other threads revive both from their offsets: their memory must outlive every copy (as share()).
      for (const part of [raw, lock]) part[SHARED_BLOCK].heap.pin(part[SHARED_BLOCK].byteOffset);
      Atomics.store(words, ValueLayout.RAW_INDEX, raw[SHARED_BLOCK].byteOffset);
      Atomics.store(words, ValueLayout.LOCK_INDEX, lock[SHARED_BLOCK].byteOffset);
      Atomics.store(words, ValueLayout.LOCK_KIND_INDEX, lock instanceof RLock ? LOCK_KIND_RLOCK : LOCK_KIND_LOCK);
      this.#raw = raw;
      this.#lock = lock;
    } else {
      const { heap } = block;
      const rawOffset = Atomics.load(words, ValueLayout.RAW_INDEX) >>> 0;
      const lockOffset = Atomics.load(words, ValueLayout.LOCK_INDEX) >>> 0;
      const kind = Atomics.load(words, ValueLayout.LOCK_KIND_INDEX);
      this.#raw = attachShared(heap, rawOffset, sharedTypeNamed('ipc.shared.RawValue')) as RawValue<C>;
      this.#lock = attachShared(
        heap,
        lockOffset,
        sharedTypeNamed(kind === LOCK_KIND_RLOCK ? 'ipc.sync.RLock' : 'ipc.sync.Lock'),
      ) as Lock | RLock;
    }
  }

  /** The element type's readable name (`'int32'`, ...). */
  get typecode(): string {
    return this.#raw.typecode;
  }

  /** The value, read holding the lock. */
  get value(): ElementOf<C> {
    this.#lock.acquireSync();
    try {
      return this.#raw.value;
    } finally {
      this.#lock.release();
    }
  }

  /** Sets the value holding the lock (out-of-range integers wrap: see typecodes.ts). */
  set value(next: ElementOf<C>) {
    this.#lock.acquireSync();
    try {
      this.#raw.value = next;
    } finally {
      this.#lock.release();
    }
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
