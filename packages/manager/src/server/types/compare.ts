/**
 * Python's ordering for `list.sort()` without a key: numbers (and bigints, booleans) by value, strings by
 * UTF-16 code unit (Python compares code points: they differ only past U+FFFF), arrays item by item; other mixes cannot be compared (Python's TypeError).
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
  if (kind === 'string') return a === b ? 0 : (a as string) < (b as string) ? -1 : 1;
  const x = typeof a === 'boolean' ? Number(a) : (a as number | bigint);
  const y = typeof b === 'boolean' ? Number(b) : (b as number | bigint);
  return x < y ? -1 : x > y ? 1 : 0;
}
