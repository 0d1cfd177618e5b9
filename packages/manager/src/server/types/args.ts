/** Checks of the arguments clients send: data from anywhere, so each method checks what it takes. */

/** The key types a managed dict takes: values compared by value, as Python's hashable keys. */
export type DictKey = string | number | bigint | boolean | null | undefined;

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? `an instance of ${value.constructor?.name ?? 'Object'}` : typeof value;
}

/** @throws {TypeError} for an object key: it would be compared by identity, and every message makes a new one. */
export function checkKey(key: unknown): DictKey {
  if (typeof key === 'object' && key !== null) {
    throw new TypeError(
      `a managed dict's keys are strings, numbers, bigints, booleans, null or undefined, got ${describe(key)}`,
    );
  }
  if (typeof key === 'function' || typeof key === 'symbol') throw new TypeError(`unusable key: ${typeof key}`);
  return key as DictKey;
}

/** @throws {TypeError} unless `value` is an integer (Python's index). */
export function checkIndex(value: unknown, name = 'index'): number {
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw new TypeError(`${name} must be an integer, got ${typeof value === 'number' ? value : describe(value)}`);
  }
  return value;
}

/** @throws {TypeError} unless `value` is a string. */
export function checkName(value: unknown, name = 'name'): string {
  if (typeof value !== 'string') throw new TypeError(`${name} must be a string, got ${describe(value)}`);
  return value;
}

/** The entries of a dict-like argument: a Map, an array of [key, value] pairs, or a plain object. */
export function entriesOf(value: unknown, what: string): Array<[DictKey, unknown]> {
  if (value instanceof Map) return [...value].map(([k, v]) => [checkKey(k), v]);
  if (Array.isArray(value)) {
    return value.map((pair, i) => {
      if (!Array.isArray(pair) || pair.length !== 2) {
        throw new TypeError(`${what}: item ${i} must be a [key, value] pair, got ${describe(pair)}`);
      }
      return [checkKey(pair[0]), pair[1]];
    });
  }
  if (typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.entries(value);
  }
  throw new TypeError(`${what} takes a Map, [key, value] pairs or a plain object, got ${describe(value)}`);
}

/** The items of an array argument. */
export function itemsOf(value: unknown, what: string): unknown[] {
  if (Array.isArray(value)) return value;
  if (value instanceof Set) return [...value];
  throw new TypeError(`${what} takes an array, got ${describe(value)}`);
}
