/**
 * What `BaseManager.register(typeid, factory, options)` records: per manager class (a subclass sees its
 * parents' registrations, as Python copies `_registry` on a subclass's first register), and for the whole
 * thread by typeid (a started manager's server imports the modules that registered, and finds its types
 * there).
 */

import type { ProxyClass } from './client/proxy.ts';
import type { Factory } from './server/custom-type.ts';

export interface Registration {
  readonly typeid: string;
  /** Runs in the server; absent on a client that only names a type some server serves. */
  readonly factory: Factory | undefined;
  /** The methods clients may call; default: the public methods of the first object made. */
  readonly exposed: readonly string[] | undefined;
  /** The proxy class clients build; default: an AutoProxy with the server's method names. */
  readonly proxy: ProxyClass | undefined;
  /** The module that called register (imported by a started manager's server), if known. */
  readonly module: string | undefined;
}

const BY_CLASS = new WeakMap<object, Map<string, Registration>>();
const BY_TYPEID_KEY = Symbol.for('@ipc/manager.registrations');

/** Every registration of this thread by typeid, the last one winning (on globalThis: ESM and CJS builds share it). */
export function registrationsByTypeid(): Map<string, Registration> {
  const holder = globalThis as { [BY_TYPEID_KEY]?: Map<string, Registration> };
  holder[BY_TYPEID_KEY] ??= new Map();
  return holder[BY_TYPEID_KEY];
}

export function addRegistration(managerClass: object, registration: Registration): void {
  let own = BY_CLASS.get(managerClass);
  if (own === undefined) {
    own = new Map();
    BY_CLASS.set(managerClass, own);
  }
  own.set(registration.typeid, registration);
  registrationsByTypeid().set(registration.typeid, registration);
}

/** The registrations a manager class sees: its own, then its ancestors' (nearest first). */
export function registrationsOf(managerClass: object): Map<string, Registration> {
  const seen = new Map<string, Registration>();
  for (
    let cls: object | null = managerClass;
    cls !== null && cls !== Function.prototype;
    cls = Object.getPrototypeOf(cls)
  ) {
    for (const [typeid, registration] of BY_CLASS.get(cls) ?? []) if (!seen.has(typeid)) seen.set(typeid, registration);
  }
  return seen;
}
