/**
 * Portable objects: objects that are not shared memory but still arrive live in another thread of the
 * process, rebuilt from data (a Manager proxy travels as "object 7 of the server at this address", and the
 * receiving thread builds its own proxy for it). The structured codec, `share()` and Process arguments carry
 * them; the data codec (other processes) does not, unless given `references`.
 */

/** How objects of one portable type travel between threads. */
export interface PortableType<T extends object = object> {
  /** Unique, namespaced by package: `'ipc.<package>.<Class>'`, e.g. `'ipc.manager.Proxy'`. */
  readonly name: string;
  /**
   * URL of a module whose import registers this type (the package's `import.meta.url`), so that a Process
   * child whose module only imported the type can still rebuild the object (see `sharedTypeModules`).
   */
  readonly module?: string | undefined;
  /**
   * The data that `decode` rebuilds `object` from, in another thread. Called once per copy written into a
   * message, in the sending thread; it may hold @ipc primitives and other portable objects. Make it an
   * array (of data): a plain object inside an extension may be written as a msgpackr record, whose
   * definition another thread's reader does not have.
   */
  encode(object: T): unknown;
  /** The object for data that `encode` gave, in the receiving thread. */
  decode(data: unknown): T;
}

/** The property under which a portable object names its type. */
export const PORTABLE_TYPE = Symbol.for('@ipc/core.portableType');

/**
 * The base class of portable objects: a subclass names its type (registered with
 * {@link definePortableType}) under {@link PORTABLE_TYPE}.
 *
 * @example
 * ```ts
 * const POINT = definePortableType<Point>({ name: 'my.Point', encode: (p) => [p.x, p.y], decode: ([x, y]) => new Point(x, y) });
 * class Point extends Portable { get [PORTABLE_TYPE]() { return POINT; } constructor(readonly x: number, readonly y: number) { super(); } }
 * ```
 */
export abstract class Portable {
  abstract get [PORTABLE_TYPE](): PortableType;
}

const REGISTRY_KEY = Symbol.for('@ipc/core.portableTypes');

/** The registry, on `globalThis` so that every copy of @ipc/core in a thread shares it. */
function registry(): Map<string, PortableType> {
  const holder = globalThis as { [REGISTRY_KEY]?: Map<string, PortableType> };
  holder[REGISTRY_KEY] ??= new Map();
  return holder[REGISTRY_KEY];
}

/** Registers a portable type (registering the same name again, from a second copy of a package, replaces it). */
export function definePortableType<T extends object>(type: PortableType<T>): PortableType<T> {
  registry().set(type.name, type as unknown as PortableType);
  return type;
}

/**
 * The registered portable type called `name`.
 *
 * @throws {TypeError} naming the package to import when it is not registered in this thread.
 */
export function portableTypeNamed(name: string): PortableType {
  const type = registry().get(name);
  if (type === undefined) {
    const pkg = /^ipc\.([a-z-]+)\./.exec(name)?.[1];
    const hint = pkg === undefined ? '' : `: import '@ipc/${pkg}' in this thread first`;
    throw new TypeError(`cannot rebuild a ${name}, its type is not registered${hint}`);
  }
  return type;
}

/** Every portable type registered in this thread, by name, with the module that registers it (or `''`). */
export function portableTypeModules(): Record<string, string> {
  const modules: Record<string, string> = {};
  for (const type of registry().values()) modules[type.name] = type.module ?? '';
  return modules;
}

/** True for a portable object (of any copy of @ipc/core). */
export function isPortable(value: unknown): value is Portable {
  return typeof value === 'object' && value !== null && PORTABLE_TYPE in value;
}
