/**
 * The managed Value and Array: Python's `Manager().Value(typecode, value)` and `Array(typecode, sequence)`.
 * A numeric typecode (the @ipc/shared codes) checks and stores values as its typed array does (wrapping,
 * rounding); the typecode `'any'` takes any value for a Value, as Python's managed Value ignores its typecode.
 */

import { checkElement, type ElementType, elementType } from '@ipc/shared';
import { MAX_MESSAGE_BYTES } from '../../wire/messages.ts';
import { managedType } from '../managed-type.ts';
import { releaseReferencesIn } from '../stored-references.ts';
import { checkIndex, itemsOf } from './args.ts';

/** A managed Value: the element type (none for `'any'`) and the value. */
interface ManagedValue {
  readonly type: ElementType | undefined;
  /** One element of the type's typed array, which wraps and rounds as ctypes does. */
  readonly cell: { [index: number]: number | bigint } | undefined;
  value: unknown;
}

function store(v: ManagedValue, value: unknown): void {
  if (v.type === undefined || v.cell === undefined) {
    releaseReferencesIn(v.value);
    v.value = value;
    return;
  }
  v.cell[0] = checkElement(v.type, value);
  v.value = v.cell[0];
}

export const VALUE_TYPE = managedType<ManagedValue>(
  'Value',
  ([typecode, init]) => {
    const type = typecode === 'any' ? undefined : elementType(typecode);
    const v: ManagedValue = { type, cell: type === undefined ? undefined : new type.array(1), value: undefined };
    store(v, init ?? (type === undefined ? null : type.kind === 'bigint' ? 0n : 0));
    return v;
  },
  {
    get: (v) => v.value,
    set: (v, [value]) => {
      store(v, value);
    },
  },
  { dispose: (v) => releaseReferencesIn(v.value) },
);

type Elements = { [index: number]: number | bigint; length: number; slice(start?: number, end?: number): Elements };

interface ManagedArray {
  readonly type: ElementType;
  readonly elements: Elements;
}

function position(a: ManagedArray, index: unknown): number {
  const i = checkIndex(index);
  const at = i < 0 ? a.elements.length + i : i;
  if (at < 0 || at >= a.elements.length)
    throw new RangeError(`array index out of range: ${i} (length ${a.elements.length})`);
  return at;
}

export const ARRAY_TYPE = managedType<ManagedArray>(
  'Array',
  ([typecode, sizeOrInit]) => {
    const type = elementType(typecode);
    if (typeof sizeOrInit === 'number') {
      const size = checkIndex(sizeOrInit, 'size');
      if (size < 0) throw new RangeError(`size must not be negative, got ${size}`);
      // An array whose elements cannot travel in one message could never be read back whole (and a few
      // bytes of request could take gigabytes of the server's memory).
      if (size * type.bytes > MAX_MESSAGE_BYTES) {
        throw new RangeError(`an Array of ${size} ${type.name} is over the ${MAX_MESSAGE_BYTES}-byte message limit`);
      }
      return { type, elements: new type.array(size) };
    }
    const items = itemsOf(sizeOrInit, 'Array()');
    const elements = new type.array(items.length);
    items.forEach((item, i) => {
      elements[i] = checkElement(type, item, `item ${i}`);
    });
    return { type, elements };
  },
  {
    len: (a) => a.elements.length,
    get: (a, [index]) => a.elements[position(a, index)],
    set: (a, [index, value]) => {
      a.elements[position(a, index)] = checkElement(a.type, value);
    },
    slice: (a, [start, end]) => {
      const from = start === undefined || start === null ? undefined : checkIndex(start, 'start');
      const to = end === undefined || end === null ? undefined : checkIndex(end, 'end');
      return Array.from(a.elements.slice(from, to) as ArrayLike<number | bigint>);
    },
    toArray: (a) => Array.from(a.elements as ArrayLike<number | bigint>),
  },
);
