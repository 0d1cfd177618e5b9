/**
 * A type registered with `BaseManager.register(typeid, factory)`: the factory runs in the server, and its
 * objects' public methods (or the `exposed` list) are what clients may call, as Python's AutoProxy.
 */

import type { ManagedType, Method } from './managed-type.ts';
import { ServerReference } from './object-table.ts';

/** A factory: a function or a class (called with `new`). */
export type Factory = (...args: never[]) => unknown;

function isClass(factory: Factory): boolean {
  return /^class[\s{]/.test(Function.prototype.toString.call(factory));
}

/** Names of the functions an object has, own or inherited (not Object's), not starting with `_`. */
export function publicMethods(value: object): string[] {
  const names = new Set<string>();
  for (
    let proto: object | null = value;
    proto !== null && proto !== Object.prototype;
    proto = Object.getPrototypeOf(proto)
  ) {
    for (const name of Object.getOwnPropertyNames(proto)) {
      if (name === 'constructor' || name.startsWith('_')) continue;
      const descriptor = Object.getOwnPropertyDescriptor(proto, name);
      if (typeof descriptor?.value === 'function') names.add(name);
    }
  }
  return [...names];
}

/** Arguments as the object's methods get them: a reference to one of the server's objects is that object (as Python). */
function unwrap(args: unknown[]): unknown[] {
  return args.map((arg) => (arg instanceof ServerReference ? arg.object.value : arg));
}

function methodCalling(name: string): Method<object> {
  return (target, args) => (target as Record<string, (...a: unknown[]) => unknown>)[name]?.(...unwrap(args));
}

export function customType(typeid: string, factory: Factory, exposed: readonly string[] | undefined): ManagedType {
  const methods = new Map<string, Method<object>>();
  for (const name of exposed ?? []) methods.set(name, methodCalling(name));
  /** The object the factory made, checked; its methods become the type's if it is the first. */
  const served = (made: unknown): object => {
    if (typeof made !== 'object' || made === null) {
      throw new TypeError(
        `the factory of ${typeid} must return an object, got ${made === null ? 'null' : typeof made}`,
      );
    }
    // Without an exposed list, the methods of the first object made are the type's (Python's public_methods).
    if (exposed === undefined && methods.size === 0) {
      for (const name of publicMethods(made)) methods.set(name, methodCalling(name));
    }
    return made;
  };
  return {
    typeid,
    describeMethods: true,
    methods,
    create(args) {
      const call = factory as unknown as (...a: unknown[]) => unknown;
      const made = isClass(factory)
        ? new (factory as unknown as new (...a: unknown[]) => unknown)(...unwrap(args))
        : call(...unwrap(args));
      // An async factory: the object it resolves with is the one served. (Review: the methods were taken from
      // the Promise, so its then/catch/finally were served and the object's own methods were not.)
      return made instanceof Promise ? made.then(served) : served(made);
    },
  };
}
