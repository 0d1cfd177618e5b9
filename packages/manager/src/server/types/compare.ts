/**
 * Python's ordering for `list.sort()` without a key: numbers (and bigints, booleans) by value, strings by
 * code point (as Python), arrays item by item; other mixes cannot be compared (Python's TypeError).
 */

type Kind = 'number' | 'string' | 'array';

function kindOf(value: unknown): Kind | undefined {
  switch (typeof value) {
    case 'number':
    case 'bigint':
    case 'boolean':
      return 'number';
    case 'string':
      return 'string';
    default:
      return Array.isArray(value) ? 'array' : undefined;
  }
}

function describe(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
}

/** A comparator for Array.prototype.sort. @throws {TypeError} for values Python would not compare. */
export function compareItems(a: unknown, b: unknown): number {
  const kind = kindOf(a);
  if (kind === undefined || kind !== kindOf(b)) {
    throw new TypeError(`'<' not supported between ${describe(a)} and ${describe(b)}`);
  }
  if (kind === 'array') {
    const x = a as unknown[];
    const y = b as unknown[];
    for (let i = 0; i < Math.min(x.length, y.length); i++) {
      const order = compareItems(x[i], y[i]);
      if (order !== 0) return order;
    }
    return x.length - y.length;
  }
  if (kind === 'string') return compareStrings(a as string, b as string);
  const x = typeof a === 'boolean' ? Number(a) : (a as number | bigint);
  const y = typeof b === 'boolean' ? Number(b) : (b as number | bigint);
  return x < y ? -1 : x > y ? 1 : 0;
}

/**
 * A UTF-16 code unit's rank in code point order: a surrogate (half of a code point past U+FFFF) ranks above
 * U+E000..U+FFFF, which JavaScript's `<` puts after it.
 */
function rank(unit: number): number {
  if (unit < 0xd800) return unit;
  return unit >= 0xe000 ? unit - 0x800 : unit + 0x2000;
}

/** Strings by code point, as Python (fix: `<` compared UTF-16 code units, '\u{1F600}' < '\uffff'). */
function compareStrings(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return rank(x) - rank(y);
  }
  return a.length - b.length;
}
