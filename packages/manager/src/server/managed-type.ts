/**
 * What the server knows of a type it serves: how to make an object from a client's arguments, and the only
 * methods a client may call on it (design: nothing else of the object is reachable, unlike Python, whose
 * `_callmethod` reaches any exposed name and whose unpickling can run any code).
 */

export interface Caller {
  /** The connection the call came on: its identity is the owner of locks it takes. */
  readonly session: SessionHooks;
  /** Aborted when the client cancels the call or its connection ends: a waiting call gives up then. */
  readonly signal: AbortSignal;
}

/** What a managed object may ask of the connection that called it. */
export interface SessionHooks {
  /** Aborted when the connection ends. */
  readonly ended: AbortSignal;
  /** Runs `cleanup` when the connection ends (once; a later call with the same key replaces it). */
  onEnd(key: object, cleanup: () => void): void;
  /** Forgets the cleanup registered under `key`. */
  offEnd(key: object): void;
}

/** A method a client may call: its arguments are decoded data (and references), checked by the method. */
export type Method<T> = (target: T, args: unknown[], caller: Caller) => unknown;

export interface ManagedType<T extends object = object> {
  /** The name clients use (`'dict'`, `'Queue'`, or one given to `BaseManager.register`). */
  readonly typeid: string;
  /** A new object from the client's arguments. @throws what bad arguments deserve, sent back to the caller. */
  create(args: unknown[], caller: Caller): T | Promise<T>;
  /** The methods clients may call, by name. */
  readonly methods: ReadonlyMap<string, Method<T>>;
  /**
   * True for a type the client may not know: references to its objects carry the method names, and the
   * client builds a proxy with those (Python's AutoProxy).
   */
  readonly describeMethods?: boolean;
  /** Called once when the server drops the object (nothing counts it any more). */
  dispose?(value: T): void;
}

/** A ManagedType from its parts, with the methods given as an object literal. */
export function managedType<T extends object>(
  typeid: string,
  create: (args: unknown[], caller: Caller) => T | Promise<T>,
  methods: Record<string, Method<T>>,
  options: { dispose?: (value: T) => void } = {},
): ManagedType<T> {
  return {
    typeid,
    create,
    methods: new Map(Object.entries(methods)),
    ...(options.dispose === undefined ? {} : { dispose: options.dispose }),
  };
}
