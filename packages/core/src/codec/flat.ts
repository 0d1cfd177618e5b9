/**
 * The structured codec's fast path for flat objects: plain objects whose values are numbers, strings,
 * booleans, null or undefined (the common `{ i, s: 'x' }` message). It writes and reads the same MessagePack
 * map that msgpackr's flat packer writes (map16 header, str keys, ints up to 32 bits, float64, str,
 * nil/true/false, undefined as fixext 1 type 0), in one pass and without msgpackr's per-call setup: about
 * twice as fast both ways (core's `pnpm bench`, codec table). Whatever it does not handle it leaves to
 * msgpackr: the writer says "not flat", the reader says "fall back", and nothing is lost either way.
 */

import { stringRoom, writeString } from './msgpack-string.ts';

/** What {@link FlatWriter.write} returns for a value that is not a flat object. */
export const NOT_FLAT = -1;
/** What {@link readFlat} returns for bytes it leaves to msgpackr. */
export const FALL_BACK: unique symbol = Symbol('fall back to msgpackr');

/** The flat path writes map16 headers (like msgpackr): at most this many keys. */
const MAP16_MAX = 0xffff;

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * Writes flat objects into a scratch buffer of its own, reused by every call (so each result is valid
 * until the next call). Not re-entrant: a getter that encodes again gets NOT_FLAT (and msgpackr, which is).
 */
export class FlatWriter {
  bytes: Uint8Array = new Uint8Array(256);
  #view = new DataView(this.bytes.buffer);
  #writing = false;

  /**
   * Encodes `value` into `bytes[0..n)` and returns n, or NOT_FLAT (and writes nothing useful) when `value`
   * is not a flat object or holds something the fast path leaves to msgpackr.
   */
  write(value: unknown): number {
    if (typeof value !== 'object' || value === null || this.#writing) return NOT_FLAT;
    if (Object.getPrototypeOf(value) !== Object.prototype) return NOT_FLAT;
    this.#writing = true;
    try {
      return this.#writeFields(value as Record<string, unknown>);
    } finally {
      this.#writing = false;
    }
  }

  #writeFields(value: Record<string, unknown>): number {
    let bytes = this.bytes;
    let at = 3;
    let count = 0;
    for (const key in value) {
      // Reading a field may run a getter: it may throw (to the caller of encode), or be anything.
      const field = value[key];
      if (++count > MAP16_MAX) return NOT_FLAT;
      // Room for the key and any value but a string (float64: 9 bytes).
      if (at + stringRoom(key) + 9 > bytes.length) bytes = this.#grow(at + stringRoom(key) + 9);
      at = writeString(bytes, at, key);
      switch (typeof field) {
        case 'number':
          at = this.#writeNumber(field, at);
          break;
        case 'string':
          if (at + stringRoom(field) > bytes.length) bytes = this.#grow(at + stringRoom(field));
          at = writeString(bytes, at, field);
          break;
        case 'boolean':
          bytes[at++] = field ? 0xc3 : 0xc2;
          break;
        case 'undefined':
          // msgpackr's undefined: fixext 1, type 0, data 0.
          bytes[at++] = 0xd4;
          bytes[at++] = 0;
          bytes[at++] = 0;
          break;
        case 'object':
          if (field !== null) return NOT_FLAT;
          bytes[at++] = 0xc0;
          break;
        default:
          return NOT_FLAT;
      }
    }
    bytes[0] = 0xde;
    bytes[1] = count >>> 8;
    bytes[2] = count & 0xff;
    return at;
  }

  /** An int32 or uint32 in its shortest form (as msgpackr), else a float64 (-0 becomes 0, as msgpackr). */
  #writeNumber(value: number, at: number): number {
    const bytes = this.bytes;
    if (value >>> 0 === value) {
      if (value < 0x80) {
        bytes[at++] = value;
      } else if (value < 0x100) {
        bytes[at++] = 0xcc;
        bytes[at++] = value;
      } else if (value < 0x10000) {
        bytes[at++] = 0xcd;
        bytes[at++] = value >>> 8;
        bytes[at++] = value & 0xff;
      } else {
        bytes[at++] = 0xce;
        this.#view.setUint32(at, value);
        at += 4;
      }
    } else if (value >> 0 === value) {
      if (value >= -0x20) {
        bytes[at++] = value & 0xff;
      } else if (value >= -0x80) {
        bytes[at++] = 0xd0;
        bytes[at++] = value & 0xff;
      } else if (value >= -0x8000) {
        bytes[at++] = 0xd1;
        bytes[at++] = (value >> 8) & 0xff;
        bytes[at++] = value & 0xff;
      } else {
        bytes[at++] = 0xd2;
        this.#view.setInt32(at, value);
        at += 4;
      }
    } else {
      bytes[at++] = 0xcb;
      this.#view.setFloat64(at, value);
      at += 8;
    }
    return at;
  }

  #grow(need: number): Uint8Array {
    const bigger = new Uint8Array(Math.max(need, 2 * this.bytes.length));
    bigger.set(this.bytes);
    this.bytes = bigger;
    this.#view = new DataView(bigger.buffer);
    return bigger;
  }
}

/** Keys seen lately, by a hash of their bytes: the same key string again, without building it. */
const KEY_CACHE_SIZE = 512;
const keyCache: (string | undefined)[] = new Array(KEY_CACHE_SIZE).fill(undefined);

/** Where float64s are reassembled (MessagePack is big-endian). */
const floatBytes = new Uint8Array(8);
const floatView = new Float64Array(floatBytes.buffer);

function readFloat64(source: Uint8Array, at: number): number {
  for (let i = 0; i < 8; i++) floatBytes[LITTLE_ENDIAN ? 7 - i : i] = source[at + i] as number;
  return floatView[0] as number;
}

/**
 * An ASCII string of `length` bytes at `source[at..)`, or undefined if one is not ASCII. Short ones only
 * (the caller checks): longer or non-ASCII strings fall back to msgpackr, which decodes them natively.
 */
function readAscii(source: Uint8Array, at: number, length: number): string | undefined {
  if (length === 1) {
    const code = source[at] as number;
    return code < 0x80 ? String.fromCharCode(code) : undefined;
  }
  let text = '';
  for (let i = 0; i < length; i++) {
    const code = source[at + i] as number;
    if (code >= 0x80) return undefined;
    text += String.fromCharCode(code);
  }
  return text;
}

/** A key (a fixstr of `length` ASCII bytes at `at`), from the cache when it is there. */
function readKey(source: Uint8Array, at: number, length: number): string | undefined {
  const slot = (length * 31 + (source[at] as number) * 7 + (source[at + length - 1] as number)) & (KEY_CACHE_SIZE - 1);
  const cached = keyCache[slot];
  if (cached !== undefined && cached.length === length) {
    let i = 0;
    while (i < length && cached.charCodeAt(i) === source[at + i]) i++;
    if (i === length) return cached;
  }
  const key = readAscii(source, at, length);
  if (key !== undefined) keyCache[slot] = key;
  return key;
}

/**
 * Decodes the flat map at `source[start..end)`, or returns FALL_BACK for anything the fast path does not
 * read (non-ASCII or long strings, a `__proto__` key, other types, bytes that do not end at `end`): then
 * msgpackr decodes it, or reports what is wrong with it. Reads only; `source` may be shared memory.
 */
export function readFlat(source: Uint8Array, start: number, end: number): Record<string, unknown> | typeof FALL_BACK {
  let at = start;
  const header = source[at++] as number;
  let count: number;
  if ((header & 0xf0) === 0x80) {
    count = header & 0x0f;
  } else if (header === 0xde) {
    count = ((source[at] as number) << 8) | (source[at + 1] as number);
    at += 2;
  } else {
    return FALL_BACK;
  }
  const object: Record<string, unknown> = {};
  for (let n = 0; n < count; n++) {
    const keyHeader = source[at++] as number;
    if ((keyHeader & 0xe0) !== 0xa0) return FALL_BACK;
    const keyLength = keyHeader & 0x1f;
    const key = keyLength === 0 ? '' : readKey(source, at, keyLength);
    // msgpackr renames a __proto__ key (to keep prototypes safe): leave that to it.
    if (key === undefined || key === '__proto__') return FALL_BACK;
    at += keyLength;
    const type = source[at++] as number;
    let value: unknown;
    if (type < 0x80) {
      value = type;
    } else if (type >= 0xe0) {
      value = type - 0x100;
    } else if ((type & 0xe0) === 0xa0) {
      const length = type & 0x1f;
      value = length === 0 ? '' : readAscii(source, at, length);
      if (value === undefined) return FALL_BACK;
      at += length;
    } else {
      switch (type) {
        case 0xc0:
          value = null;
          break;
        case 0xc2:
          value = false;
          break;
        case 0xc3:
          value = true;
          break;
        case 0xcc:
          value = source[at++];
          break;
        case 0xcd:
          value = ((source[at] as number) << 8) | (source[at + 1] as number);
          at += 2;
          break;
        case 0xce:
          value =
            (source[at] as number) * 2 ** 24 +
            (((source[at + 1] as number) << 16) | ((source[at + 2] as number) << 8) | (source[at + 3] as number));
          at += 4;
          break;
        case 0xd0:
          value = ((source[at++] as number) << 24) >> 24;
          break;
        case 0xd1:
          value = (((source[at] as number) << 24) >> 16) | (source[at + 1] as number);
          at += 2;
          break;
        case 0xd2:
          value =
            ((source[at] as number) << 24) |
            ((source[at + 1] as number) << 16) |
            ((source[at + 2] as number) << 8) |
            (source[at + 3] as number);
          at += 4;
          break;
        case 0xcb:
          value = readFloat64(source, at);
          at += 8;
          break;
        case 0xd4:
          // msgpackr's undefined: fixext 1, type 0, data 0. Any other fixext 1 is msgpackr's business.
          if (source[at] !== 0 || source[at + 1] !== 0) return FALL_BACK;
          value = undefined;
          at += 2;
          break;
        default:
          return FALL_BACK;
      }
    }
    object[key] = value;
  }
  return at === end ? object : FALL_BACK;
}
