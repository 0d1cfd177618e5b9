/** The managed Namespace: Python's `types.SimpleNamespace` in the server, attributes by name. */

import { managedType } from '../managed-type.ts';
import { releaseReferencesIn } from '../stored-references.ts';
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
      const key = checkName(name);
      releaseReferencesIn(ns.get(key));
      ns.set(key, value);
    },
    delete: (ns, [name]) => {
      const key = checkName(name);
      releaseReferencesIn(ns.get(key));
      return ns.delete(key);
    },
    has: (ns, [name]) => ns.has(checkName(name)),
    toObject: (ns) => Object.fromEntries(ns),
  },
  { dispose: releaseReferencesIn },
);
