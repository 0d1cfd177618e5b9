/**
 * The registry of shared types: how a thread turns "an `ipc.sync.Lock` at heap offset X" back into a live
 * `Lock` object. Each package registers its types when it loads. The registry is kept on `globalThis` under
 * a `Symbol.for` key, so every copy of @ipc/core in a thread (ESM and CJS builds, two versions) shares it.
 */

import { portableTypeModules } from './portable.ts';
import type { SharedBlock } from './shared-block.ts';

/** What the registry knows about one kind of shared object. */
export interface SharedType<T extends object = object> {
  /** Unique, namespaced by package: `'ipc.<package>.<Class>'`, e.g. `'ipc.sync.Lock'`. */
  readonly name: string;
  /** The 16-bit type tag written in word 0 of the object's memory (1..0x7fff, unique). */
  readonly tag: number;
  /** The layout version written beside the tag; bump it whenever the layout changes. */
  readonly version: number;
  /** Builds a live object over existing memory (called by `revive()` and the codec). */
  readonly revive: (block: SharedBlock) => T;
  /**
   * URL of a module whose import registers this type (pass the package's `import.meta.url`). A thread that
   * receives such an object before it imported the package (e.g. a Process child whose module only
   * imported the type) can then load it: see {@link sharedTypeModules}.
   */
  readonly module?: string | undefined;
  /**
   * Gives back the heap blocks that an object's memory owns besides its own block (a queue's ring, the
   * messages still in it). Called once, in the thread that made the object, just before its block is freed
   * because the object was garbage-collected without ever crossing a thread boundary (a block that did is
   * pinned and never freed): nothing else can be using that memory then.
   */
  readonly releaseOwned?: ((block: SharedBlock) => void) | undefined;
  /**
   * Called each time an object's block is written into a message (the codec) or a `share()` descriptor: it
   * is in flight to another thread. With {@link SharedType.received}, a type can count what is in flight
   * (a pipe end stays open while a copy of it is on its way to a new holder).
   */
  readonly sent?: ((block: SharedBlock) => void) | undefined;
  /** Called each time a message or descriptor holding the object is decoded or revived, with the object. */
  received?(object: T): void;
  /** Called for a copy counted by `sent` that will never arrive: the encode that wrote it failed later on. */
  readonly lost?: ((block: SharedBlock) => void) | undefined;
}

const REGISTRY_KEY = Symbol.for('@ipc/core.sharedTypes');

function registry(): Map<string, SharedType> {
  const holder = globalThis as { [REGISTRY_KEY]?: Map<string, SharedType> };
  holder[REGISTRY_KEY] ??= new Map();
  return holder[REGISTRY_KEY];
}

/**
 * Registers a shared type so that objects of it can cross threads. Registering the same name and tag again
 * (a second copy of the package) replaces the reviver.
 *
 * @throws {TypeError} if the name or the tag is already taken by a different type.
 *
 * @example
 * ```ts
 * const LOCK_TYPE = defineSharedType({ name: 'ipc.sync.Lock', tag: 0x0201, version: 1, revive: (b) => new Lock(b) });
 * ```
 */
export function defineSharedType<T extends object>(type: SharedType<T>): SharedType<T> {
  const types = registry();
  const previous = types.get(type.name);
  if (previous !== undefined && previous.tag !== type.tag) {
    throw new TypeError(`shared type ${type.name} is already registered with tag 0x${previous.tag.toString(16)}`);
  }
  for (const other of types.values()) {
    if (other.tag === type.tag && other.name !== type.name) {
      throw new TypeError(`type tag 0x${type.tag.toString(16)} is taken by ${other.name}, not ${type.name}`);
    }
  }
  types.set(type.name, type as SharedType);
  return type;
}

/**
 * Every type registered in this thread, shared and portable (`portable.ts`), by name, with the URL of the
 * module that registers it (`''` when the type did not give one). A parent hands this to a child it starts, which imports the modules of the
 * types it lacks before it decodes its arguments.
 */
export function sharedTypeModules(): Record<string, string> {
  const modules: Record<string, string> = portableTypeModules();
  for (const type of registry().values()) modules[type.name] = type.module ?? '';
  return modules;
}

/**
 * The registered type called `name`.
 *
 * @throws {TypeError} naming the package to import when the type is not registered in this thread.
 */
export function sharedTypeNamed(name: string): SharedType {
  const type = registry().get(name);
  if (type === undefined) {
    const pkg = /^ipc\.([a-z-]+)\./.exec(name)?.[1];
    const hint = pkg === undefined ? '' : `: import '@ipc/${pkg}' in this thread first`;
    throw new TypeError(`cannot revive a shared ${name}, its type is not registered${hint}`);
  }
  return type;
}
