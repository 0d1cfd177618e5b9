/** The managed Namespace: Python's `types.SimpleNamespace` in the server, attributes by name. */

import { managedType } from '../managed-type.ts';
import { checkName, entriesOf } from './args.ts';

type Namespace = Map<string, unknown>;

export const NAMESPACE_TYPE = managedType<Namespace>(
  'Namespace',
  ([init]) => {
    const namespace: Namespace = new Map();
    if (init !== undefined)
      for (const [name, value] of entriesOf(init, 'Namespace()')) namespace.set(checkName(name), value);
    return namespace;
  },
  {
    get: (ns, [name, fallback]) => {
      const key = checkName(name);
      return ns.has(key) ? ns.get(key) : fallback;
    },
    set: (ns, [name, value]) => {
      ns.set(checkName(name), value);
    },
    delete: (ns, [name]) => ns.delete(checkName(name)),
    has: (ns, [name]) => ns.has(checkName(name)),
    toObject: (ns) => Object.fromEntries(ns),
  },
);
