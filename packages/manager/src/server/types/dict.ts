/**
 * The managed dict: Python's `dict` in the server, a `Map` whose keys are compared by value. Values are
 * stored as decoded (a proxy inside one stays a reference to its object).
 */

import { managedType } from '../managed-type.ts';
import { releaseReferencesIn } from '../stored-references.ts';
import { checkKey, type DictKey, entriesOf } from './args.ts';
import { KeyError } from './errors.ts';

type Dict = Map<DictKey, unknown>;

function missing(key: DictKey): KeyError {
  return new KeyError(typeof key === 'string' ? JSON.stringify(key) : String(key));
}

export const DICT_TYPE = managedType<Dict>(
  'dict',
  ([init]) => new Map(init === undefined ? [] : entriesOf(init, 'dict()')),
  {
    get: (d, [key, fallback]) => {
      const k = checkKey(key);
      return d.has(k) ? d.get(k) : fallback;
    },
    set: (d, [key, value]) => {
      const k = checkKey(key);
      releaseReferencesIn(d.get(k));
      d.set(k, value);
    },
    delete: (d, [key]) => {
      const k = checkKey(key);
      releaseReferencesIn(d.get(k));
      return d.delete(k);
    },
    has: (d, [key]) => d.has(checkKey(key)),
    keys: (d) => [...d.keys()],
    values: (d) => [...d.values()],
    items: (d) => [...d.entries()],
    len: (d) => d.size,
    pop: (d, args) => {
      const key = checkKey(args[0]);
      if (d.has(key)) {
        const value = d.get(key);
        d.delete(key);
        return value;
      }
      if (args.length > 1) return args[1];
      throw missing(key);
    },
    popitem: (d) => {
      // Python pops the last inserted item.
      const last = [...d.keys()].at(-1);
      if (d.size === 0) throw new KeyError('popitem(): dictionary is empty');
      const value = d.get(last as DictKey);
      d.delete(last as DictKey);
      return [last, value];
    },
    setdefault: (d, [key, fallback]) => {
      const k = checkKey(key);
      if (!d.has(k)) d.set(k, fallback);
      return d.get(k);
    },
    update: (d, [other]) => {
      for (const [k, v] of entriesOf(other, 'update()')) {
        releaseReferencesIn(d.get(k));
        d.set(k, v);
      }
    },
    clear: (d) => {
      releaseReferencesIn(d);
      d.clear();
    },
    copy: (d) => new Map(d),
  },
  { dispose: releaseReferencesIn },
);
