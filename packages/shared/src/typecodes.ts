/**
 * The element types of shared values and arrays: Python's `multiprocessing.sharedctypes` typecodes (the
 * `array` module's letters) and readable names for the same types, each with its typed array class.
 *
 * | code | name      | bytes | JavaScript value | a store out of range                          |
 * |------|-----------|-------|------------------|-----------------------------------------------|
 * | b    | int8      | 1     | number           | wraps (two's complement), as ctypes does       |
 * | B    | uint8     | 1     | number           | wraps                                          |
 * | h    | int16     | 2     | number           | wraps                                          |
 * | H    | uint16    | 2     | number           | wraps                                          |
 * | i    | int32     | 4     | number           | wraps                                          |
 * | I    | uint32    | 4     | number           | wraps                                          |
 * | l, q | int64     | 8     | bigint           | wraps (`l` is 64-bit, as C `long` on Linux and macOS) |
 * | L, Q | uint64    | 8     | bigint           | wraps                                          |
 * | f    | float32   | 4     | number           | rounds to the nearest float32 (±Infinity past its range) |
 * | d    | float64   | 8     | number           | exact                                          |
 * | c    | char      | 1     | number (a byte)  | wraps; `'c'` arrays also read and write bytes   |
 *
 * Integer codes take integers only (a fraction is a TypeError, as ctypes refuses a float for an int), and
 * 64-bit codes take bigints (or safe integers, converted).
 */

/** A typecode: Python's letter or its readable name. */
export type TypeCode =
  | 'b'
  | 'B'
  | 'h'
  | 'H'
  | 'i'
  | 'I'
  | 'l'
  | 'L'
  | 'q'
  | 'Q'
  | 'f'
  | 'd'
  | 'c'
  | 'int8'
  | 'uint8'
  | 'int16'
  | 'uint16'
  | 'int32'
  | 'uint32'
  | 'int64'
  | 'uint64'
  | 'float32'
  | 'float64'
  | 'char';

/** The JavaScript value of an element of `code`: bigint for the 64-bit integer codes, else number. */
export type ElementOf<C extends TypeCode> = C extends 'l' | 'L' | 'q' | 'Q' | 'int64' | 'uint64' ? bigint : number;

type ArrayClass =
  | Int8ArrayConstructor
  | Uint8ArrayConstructor
  | Int16ArrayConstructor
  | Uint16ArrayConstructor
  | Int32ArrayConstructor
  | Uint32ArrayConstructor
  | BigInt64ArrayConstructor
  | BigUint64ArrayConstructor
  | Float32ArrayConstructor
  | Float64ArrayConstructor;

/** What a typecode stands for. */
export interface ElementType {
  /** The readable name (`'int32'`): one per type, whichever code was given. */
  readonly name: string;
  /** A small number stored in shared memory for the type (a thread that revives the value reads it). */
  readonly id: number;
  readonly bytes: number;
  readonly array: ArrayClass;
  readonly kind: 'integer' | 'bigint' | 'float' | 'char';
}

const TYPES: readonly ElementType[] = [
  { name: 'int8', id: 1, bytes: 1, array: Int8Array, kind: 'integer' },
  { name: 'uint8', id: 2, bytes: 1, array: Uint8Array, kind: 'integer' },
  { name: 'int16', id: 3, bytes: 2, array: Int16Array, kind: 'integer' },
  { name: 'uint16', id: 4, bytes: 2, array: Uint16Array, kind: 'integer' },
  { name: 'int32', id: 5, bytes: 4, array: Int32Array, kind: 'integer' },
  { name: 'uint32', id: 6, bytes: 4, array: Uint32Array, kind: 'integer' },
  { name: 'int64', id: 7, bytes: 8, array: BigInt64Array, kind: 'bigint' },
  { name: 'uint64', id: 8, bytes: 8, array: BigUint64Array, kind: 'bigint' },
  { name: 'float32', id: 9, bytes: 4, array: Float32Array, kind: 'float' },
  { name: 'float64', id: 10, bytes: 8, array: Float64Array, kind: 'float' },
  { name: 'char', id: 11, bytes: 1, array: Uint8Array, kind: 'char' },
];

const BY_NAME = new Map(TYPES.map((type) => [type.name, type]));

/** Python's letters, by the readable name of their type. */
const LETTERS: Record<string, string> = {
  b: 'int8',
  B: 'uint8',
  h: 'int16',
  H: 'uint16',
  i: 'int32',
  I: 'uint32',
  l: 'int64',
  L: 'uint64',
  q: 'int64',
  Q: 'uint64',
  f: 'float32',
  d: 'float64',
  c: 'char',
};

/** Every accepted typecode, for error messages. */
const VALID = [...Object.keys(LETTERS), ...TYPES.map((type) => type.name)].map((code) => `'${code}'`).join(', ');

/** The type of `code`. @throws {TypeError} for an unknown typecode, naming the valid ones. */
export function elementType(code: unknown): ElementType {
  const type = typeof code === 'string' ? BY_NAME.get(LETTERS[code] ?? code) : undefined;
  if (type === undefined) throw new TypeError(`unknown typecode ${JSON.stringify(code)}: expected one of ${VALID}`);
  return type;
}

/** The type stored as `id` in shared memory. @throws {TypeError} for an id no type has (foreign memory). */
export function elementTypeById(id: number): ElementType {
  const type = TYPES[id - 1];
  if (type === undefined || type.id !== id) throw new TypeError(`shared memory names an unknown element type ${id}`);
  return type;
}

/**
 * `value` checked for an element of `type`, ready to store in its typed array (which wraps or rounds it).
 *
 * @throws {TypeError} for a value of the wrong kind: not a number (a bigint for 64-bit codes; a safe integer
 * is converted), or a fraction for an integer code.
 */
export function checkElement(type: ElementType, value: unknown, what = 'value'): number | bigint {
  if (type.kind === 'bigint') {
    if (typeof value === 'bigint') return value;
    if (typeof value === 'number' && Number.isSafeInteger(value)) return BigInt(value);
    throw new TypeError(`${what} of a ${type.name} must be a bigint (or a safe integer), got ${describe(value)}`);
  }
  if (typeof value !== 'number')
    throw new TypeError(`${what} of a ${type.name} must be a number, got ${describe(value)}`);
  if (type.kind !== 'float' && !Number.isInteger(value)) {
    throw new TypeError(`${what} of a ${type.name} must be an integer, got ${value}`);
  }
  return value;
}

function describe(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : typeof value === 'bigint' ? `${value}n` : typeof value;
}
