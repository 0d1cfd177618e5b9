/**
 * The managed list: Python's `list` in the server. Indices follow Python: negative ones count from the end;
 * out of range is a RangeError (Python's IndexError); a value not found is a RangeError (Python's
 * ValueError). Values are compared by value (`remove`, `index`, `count`, `has`), as Python's `==`.
 */

import { isDeepStrictEqual } from 'node:util';
import { managedType } from '../managed-type.ts';
import { releaseReferencesIn } from '../stored-references.ts';
import { checkIndex, itemsOf } from './args.ts';
import { compareItems } from './compare.ts';

/** The position `index` names in a list of `length`, or RangeError (Python's IndexError). */
function position(list: unknown[], index: unknown, what = 'list index'): number {
  const i = checkIndex(index);
  const at = i < 0 ? list.length + i : i;
  if (at < 0 || at >= list.length) throw new RangeError(`${what} out of range: ${i} (length ${list.length})`);
  return at;
}

/** Python's slice bound: negative counts from the end, then clamped to 0..length. */
function bound(value: unknown, length: number, fallback: number, name: string): number {
  if (value === undefined || value === null) return fallback;
  const i = checkIndex(value, name);
  return Math.min(length, Math.max(0, i < 0 ? length + i : i));
}

function find(list: unknown[], value: unknown, start: number, stop: number): number {
  for (let i = start; i < stop; i++) if (isDeepStrictEqual(list[i], value)) return i;
  return -1;
}

export const LIST_TYPE = managedType<unknown[]>(
  'list',
  ([init]) => (init === undefined ? [] : [...itemsOf(init, 'list()')]),
  {
    get: (l, [index]) => l[position(l, index)],
    set: (l, [index, value]) => {
      const at = position(l, index, 'list assignment index');
      releaseReferencesIn(l[at]);
      l[at] = value;
    },
    delete: (l, [index]) => {
      releaseReferencesIn(l.splice(position(l, index, 'list deletion index'), 1));
    },
    append: (l, [value]) => {
      l.push(value);
    },
    extend: (l, [values]) => {
      for (const value of itemsOf(values, 'extend()')) l.push(value);
    },
    insert: (l, [index, value]) => {
      l.splice(bound(index, l.length, l.length, 'index'), 0, value);
    },
    pop: (l, args) => {
      if (l.length === 0) throw new RangeError('pop from empty list');
      const at = position(l, args.length === 0 || args[0] === undefined ? -1 : args[0], 'pop index');
      return l.splice(at, 1)[0];
    },
    remove: (l, [value]) => {
      const at = find(l, value, 0, l.length);
      if (at < 0) throw new RangeError('list.remove(x): x not in list');
      releaseReferencesIn(l.splice(at, 1));
    },
    index: (l, [value, start, stop]) => {
      const at = find(l, value, bound(start, l.length, 0, 'start'), bound(stop, l.length, l.length, 'stop'));
      if (at < 0) throw new RangeError('list.index(x): x not in list');
      return at;
    },
    count: (l, [value]) => l.filter((item) => isDeepStrictEqual(item, value)).length,
    has: (l, [value]) => find(l, value, 0, l.length) >= 0,
    reverse: (l) => {
      l.reverse();
    },
    sort: (l, [options]) => {
      const reverse =
        typeof options === 'object' && options !== null && (options as { reverse?: unknown }).reverse === true;
      // Sorted into a copy first: a TypeError for items that cannot be compared leaves the list as it was.
      // Reversed by the comparator, not by reversing the result: Python's reverse=True keeps equal items in
      // their order (stable), e.g. [1, True, 0] stays [1, True, 0].
      const sorted = [...l].sort(reverse ? (a, b) => compareItems(b, a) : compareItems);
      // Copied back item by item: spreading a long list into splice's arguments overflows the stack.
      for (let i = 0; i < sorted.length; i++) l[i] = sorted[i];
    },
    len: (l) => l.length,
    slice: (l, [start, end]) => l.slice(bound(start, l.length, 0, 'start'), bound(end, l.length, l.length, 'end')),
    copy: (l) => [...l],
    clear: (l) => {
      releaseReferencesIn(l);
      l.length = 0;
    },
  },
  { dispose: releaseReferencesIn },
);
