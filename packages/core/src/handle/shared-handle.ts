/**
 * The base class of every @ipc primitive: an object over one `SharedBlock`, with no mutable state of its
 * own that another thread must see (design.md §3).
 *
 * Within a thread, one block has at most one live object: reviving a block this thread already holds
 * returns the same object, so identity and `===` work after a round trip. Each object holds one reference
 * to its block and drops it when the object is garbage-collected; a block that has crossed a thread
 * boundary is pinned and never freed (see `Heap.pin`).
 */

import { Heap } from '../heap/heap.ts';
import { SharedBlock } from './shared-block.ts';
import type { SharedType } from './shared-type.ts';

/** The property under which any @ipc primitive exposes its block, across copies of @ipc/core. */
export const SHARED_BLOCK = Symbol.for('@ipc/core.sharedBlock');

/** Anything that lives in the shared heap and can cross threads. */
export interface Shareable {
  readonly [SHARED_BLOCK]: SharedBlock;
}

/** True for any @ipc primitive (from any copy of @ipc/core). */
export function isShareable(value: unknown): value is Shareable {
  return (
    typeof value === 'object' && value !== null && SharedBlock.isBlock((value as Partial<Shareable>)[SHARED_BLOCK])
  );
}

interface CacheKey {
  readonly heap: Heap;
  readonly byteOffset: number;
  /** The object's block (not the object: that would keep it alive), for its type's `releaseOwned`. */
  readonly block: SharedBlock;
}

/**
 * This thread's objects by block, so that a block is revived into the object the thread already has, and
 * the finalizer that drops an object's reference. Kept on `globalThis` under a `Symbol.for` key so that
 * every copy of @ipc/core in the thread (ESM and CJS builds) shares one cache.
 */
interface ObjectCache {
  readonly objects: Map<string, WeakRef<Shareable>>;
  readonly finalizer: FinalizationRegistry<CacheKey>;
}
const OBJECT_CACHE = Symbol.for('@ipc/core.objectCache');

function keyOf(heap: Heap, byteOffset: number): string {
  return `${heap.id}:${byteOffset}`;
}

function objectCache(): ObjectCache {
  const holder = globalThis as { [OBJECT_CACHE]?: ObjectCache };
  if (holder[OBJECT_CACHE] === undefined) {
    const objects = new Map<string, WeakRef<Shareable>>();
    const finalizer = new FinalizationRegistry<CacheKey>(({ heap, byteOffset, block }) => {
      const key = keyOf(heap, byteOffset);
      // A newer object for the same block may already be cached (the old one died, the block was revived
      // again before this callback ran): only remove an entry that is really dead.
      if (objects.get(key)?.deref() === undefined) objects.delete(key);
      try {
        // Ours is the last reference: the block never crossed a thread (that pins it) and no other object of
        // this thread holds it, so nothing else can use what it owns.
        if (heap.references(byteOffset) === 1) block.type.releaseOwned?.(block);
      } finally {
        heap.release(byteOffset);
      }
    });
    holder[OBJECT_CACHE] = { objects, finalizer };
  }
  return holder[OBJECT_CACHE];
}

/**
 * The base class of shared primitives. A subclass calls `super(type, blockOrByteLength)`: with a number it
 * allocates a new block of that size in this thread's heap; with a `SharedBlock` (given to its `revive`)
 * it attaches to existing memory.
 *
 * @example
 * ```ts
 * const COUNTER = defineSharedType({ name: 'ipc.demo.Counter', tag: 0x7001, version: 1, revive: (b) => new Counter(b) });
 * class Counter extends SharedHandle {
 *   readonly #words: Int32Array;
 *   constructor(from?: SharedBlock) { super(COUNTER, from ?? 8); this.#words = this[SHARED_BLOCK].int32(); }
 *   increment(): number { return Atomics.add(this.#words, 1, 1) + 1; }
 * }
 * ```
 */
export abstract class SharedHandle implements Shareable {
  readonly #block: SharedBlock;

  protected constructor(type: SharedType, from: SharedBlock | number) {
    if (typeof from === 'number') {
      // A new block comes with the one reference this object owns.
      this.#block = SharedBlock.allocate(Heap.current(), type, from);
    } else {
      if (!SharedBlock.isBlock(from) || from.type.name !== type.name) {
        throw new TypeError(`expected the memory of a shared ${type.name}`);
      }
      // An existing block: this object takes its own reference, which its finalizer gives back. Taking it
      // here, not in the caller, keeps retain and release paired for every object ever built.
      from.heap.retain(from.byteOffset);
      this.#block = from;
    }
    const { heap, byteOffset } = this.#block;
    const cache = objectCache();
    cache.objects.set(keyOf(heap, byteOffset), new WeakRef(this));
    cache.finalizer.register(this, { heap, byteOffset, block: this.#block });
  }

  /**
   * `x instanceof SharedHandle` is true for a primitive made by any copy of @ipc/core (ESM and CJS builds,
   * two versions); subclasses keep the ordinary prototype check.
   */
  static [Symbol.hasInstance](value: unknown): boolean {
    // biome-ignore lint/complexity/noThisInStatic: `this` is the class asked about, possibly a subclass.
    return this === SharedHandle ? isShareable(value) : Function.prototype[Symbol.hasInstance].call(this, value);
  }

  /** The shared memory behind this object. */
  get [SHARED_BLOCK](): SharedBlock {
    return this.#block;
  }
}

/**
 * The live object of `type` for the block at `byteOffset` of `heap`: the one this thread already has, or a
 * new one (which takes its own reference). The caller must know the block is alive (pinned, or referenced).
 *
 * @throws {TypeError} if the memory there is not a `type`.
 */
export function attachShared(heap: Heap, byteOffset: number, type: SharedType): object {
  const existing = objectCache().objects.get(keyOf(heap, byteOffset))?.deref();
  if (existing !== undefined) {
    if (existing[SHARED_BLOCK].type.name !== type.name) {
      throw new TypeError(
        `the shared object at offset ${byteOffset} is a ${existing[SHARED_BLOCK].type.name}, not a ${type.name}`,
      );
    }
    return existing;
  }
  const block = SharedBlock.attach(heap, byteOffset, type);
  const key = keyOf(heap, byteOffset);
  try {
    return type.revive(block);
  } catch (error) {
    // A subclass constructor that threw after super() left a half-built object in the cache: forget it
    // (its own finalizer still returns the reference it took).
    if (objectCache().objects.get(key)?.deref() !== undefined) objectCache().objects.delete(key);
    throw error;
  }
}
