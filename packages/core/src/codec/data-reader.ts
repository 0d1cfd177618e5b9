/**
 * The data codec's reader: the MessagePack of data-wire.ts back to values. It is written for bytes from a
 * peer that may be hostile or broken: every length is checked against the bytes left before anything is
 * allocated, nesting is bounded, no key reaches a prototype, no class or function is looked up by a name
 * from the message (only the fixed lists of data-wire.ts and built-in-errors.ts), and nothing the message
 * says is run. Whatever it cannot read is a TypeError that says why and where.
 */

import { builtInErrorFrom } from '../built-in-errors.ts';
import { type ErrorRecord, errorFromRecord } from '../errors.ts';
import { DataExtension, type DataReferences, MAX_DEPTH, TYPED_ARRAY_NAMES } from './data-wire.ts';

const textDecoder = new TextDecoder();
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Where floats are reassembled (MessagePack is big-endian). */
const floatBytes = new Uint8Array(8);
const float64 = new Float64Array(floatBytes.buffer);
const float32 = new Float32Array(floatBytes.buffer, 0, 1);

/** The ASCII codes of the hex digits 0-9a-f. */
const HEX_DIGITS = new TextEncoder().encode('0123456789abcdef');

/** Strings shorter than this are decoded by a loop when they are ASCII (cheaper than TextDecoder). */
const SHORT_STRING = 32;

type TypedArrayConstructor = new (buffer: ArrayBuffer) => ArrayBufferView;

/** Reads one message at a time; holds nothing between calls but its position. */
export class DataReader {
  #source: Uint8Array = new Uint8Array(0);
  #at = 0;
  #end = 0;
  readonly #references: DataReferences | undefined;

  constructor(references?: DataReferences) {
    this.#references = references;
  }

  /**
   * The value encoded in `source[start..end)`, which must hold exactly one.
   *
   * @throws {TypeError} when the bytes are not a message of this codec (truncated, trailing bytes, an unknown
   * type, nesting deeper than {@link MAX_DEPTH}, a length past the end).
   */
  read(source: Uint8Array, start: number, end: number): unknown {
    this.#source = source;
    this.#at = start;
    this.#end = end;
    try {
      const value = this.#value(0);
      if (this.#at !== end) this.#fail(`${end - this.#at} byte(s) left after the value`);
      return value;
    } finally {
      // Keep no reference to the caller's memory.
      this.#source = new Uint8Array(0);
    }
  }

  #fail(reason: string): never {
    throw new TypeError(`cannot decode the message: ${reason} (at byte ${this.#at})`);
  }

  /** Checks that `count` more bytes are there. */
  #need(count: number): void {
    if (count > this.#end - this.#at) this.#fail(`it ends inside a value (${count} more byte(s) expected)`);
  }

  #byte(): number {
    this.#need(1);
    return this.#source[this.#at++] as number;
  }

  #uint(bytes: 2 | 4): number {
    this.#need(bytes);
    const source = this.#source;
    let value = 0;
    for (let i = 0; i < bytes; i++) value = value * 256 + (source[this.#at++] as number);
    return value;
  }

  #float(bytes: 4 | 8): number {
    this.#need(bytes);
    for (let i = 0; i < bytes; i++) floatBytes[LITTLE_ENDIAN ? bytes - 1 - i : i] = this.#source[this.#at++] as number;
    return bytes === 8 ? (float64[0] as number) : (float32[0] as number);
  }

  /** A 64-bit integer: a number when it is a safe integer, else a bigint. */
  #int64(signed: boolean): number | bigint {
    this.#need(8);
    let value = 0n;
    for (let i = 0; i < 8; i++) value = (value << 8n) | BigInt(this.#source[this.#at++] as number);
    if (signed) value = BigInt.asIntN(64, value);
    return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value;
  }

  #value(depth: number): unknown {
    const type = this.#byte();
    if (type < 0x80) return type;
    if (type >= 0xe0) return type - 0x100;
    if (type < 0x90) return this.#map(type & 0x0f, depth);
    if (type < 0xa0) return this.#array(type & 0x0f, depth);
    if (type < 0xc0) return this.#string(type & 0x1f);
    switch (type) {
      case 0xc0:
        return null;
      case 0xc2:
        return false;
      case 0xc3:
        return true;
      case 0xc4:
        return this.#bin(this.#byte());
      case 0xc5:
        return this.#bin(this.#uint(2));
      case 0xc6:
        return this.#bin(this.#uint(4));
      case 0xc7:
        return this.#ext(this.#byte(), depth);
      case 0xc8:
        return this.#ext(this.#uint(2), depth);
      case 0xc9:
        return this.#ext(this.#uint(4), depth);
      case 0xca:
        return this.#float(4);
      case 0xcb:
        return this.#float(8);
      case 0xcc:
        return this.#byte();
      case 0xcd:
        return this.#uint(2);
      case 0xce:
        return this.#uint(4);
      case 0xcf:
        return this.#int64(false);
      case 0xd0:
        return (this.#byte() << 24) >> 24;
      case 0xd1:
        return (this.#uint(2) << 16) >> 16;
      case 0xd2:
        return this.#uint(4) | 0;
      case 0xd3:
        return this.#int64(true);
      case 0xd4:
        return this.#ext(1, depth);
      case 0xd5:
        return this.#ext(2, depth);
      case 0xd6:
        return this.#ext(4, depth);
      case 0xd7:
        return this.#ext(8, depth);
      case 0xd8:
        return this.#ext(16, depth);
      case 0xd9:
        return this.#string(this.#byte());
      case 0xda:
        return this.#string(this.#uint(2));
      case 0xdb:
        return this.#string(this.#uint(4));
      case 0xdc:
        return this.#array(this.#uint(2), depth);
      case 0xdd:
        return this.#array(this.#uint(4), depth);
      case 0xde:
        return this.#map(this.#uint(2), depth);
      case 0xdf:
        return this.#map(this.#uint(4), depth);
      default:
        return this.#fail(`0x${type.toString(16)} is not a MessagePack type`);
    }
  }

  #deeper(depth: number): number {
    if (depth >= MAX_DEPTH) this.#fail(`it nests deeper than ${MAX_DEPTH} levels`);
    return depth + 1;
  }

  #string(length: number): string {
    this.#need(length);
    const source = this.#source;
    const start = this.#at;
    this.#at += length;
    if (length < SHORT_STRING) {
      let text = '';
      for (let i = start; i < start + length; i++) {
        const code = source[i] as number;
        if (code >= 0x80) return textDecoder.decode(source.subarray(start, start + length));
        text += String.fromCharCode(code);
      }
      return text;
    }
    return textDecoder.decode(source.subarray(start, start + length));
  }

  /** A copy of `length` bytes (the source is the caller's memory, reused for the next message). */
  #bin(length: number): Uint8Array {
    this.#need(length);
    const bytes = this.#copy(this.#at, this.#at + length);
    this.#at += length;
    return bytes;
  }

  /**
   * A plain Uint8Array holding a copy of `source[start..end)`, over an ArrayBuffer of exactly that size. Not
   * `slice()`: on a Node Buffer that is a view.
   */
  #copy(start: number, end: number): Uint8Array<ArrayBuffer> {
    return new Uint8Array(this.#source.subarray(start, end));
  }

  #array(count: number, depth: number): unknown[] {
    // Every element takes at least one byte: a count beyond the bytes left is a lie, refused before allocating.
    this.#need(count);
    const inner = this.#deeper(depth);
    // Grown as items arrive, not preallocated: 512 nested arrays each announcing the bytes left would
    // otherwise allocate 512 times the message before the nesting bound refuses it.
    const array: unknown[] = [];
    for (let i = 0; i < count; i++) array.push(this.#value(inner));
    return array;
  }

  /** A map: a plain object while its keys are strings; a Map from the first key that is not one. */
  #map(count: number, depth: number): Record<string, unknown> | Map<unknown, unknown> {
    this.#need(2 * count);
    const inner = this.#deeper(depth);
    const object: Record<string, unknown> = {};
    for (let i = 0; i < count; i++) {
      const key = this.#value(inner);
      if (typeof key !== 'string') {
        const map = new Map<unknown, unknown>(Object.entries(object));
        map.set(key, this.#value(inner));
        for (let j = i + 1; j < count; j++) map.set(this.#value(inner), this.#value(inner));
        return map;
      }
      const value = this.#value(inner);
      if (key === '__proto__') {
        // An own property named __proto__, as JSON.parse makes it: never the object's prototype.
        Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
      } else {
        object[key] = value;
      }
    }
    return object;
  }

  #ext(length: number, depth: number): unknown {
    const type = this.#byte();
    this.#need(length);
    const start = this.#at;
    const end = start + length;
    switch (type) {
      case DataExtension.UNDEFINED:
        this.#at = end;
        return undefined;
      case DataExtension.BIGINT:
        return this.#bigint(start, end);
      case DataExtension.DATE:
        if (length !== 8) this.#fail(`a date takes 8 bytes, not ${length}`);
        return new Date(this.#float(8));
      case DataExtension.TYPED_ARRAY:
        return this.#typedArray(start, end);
      case DataExtension.ARRAY_BUFFER:
        this.#at = end;
        return this.#copy(start, end).buffer;
      case DataExtension.MAP: {
        const items = this.#nested(end, depth);
        if (items.length % 2 !== 0) this.#fail('a Map needs an even number of items');
        const map = new Map<unknown, unknown>();
        for (let i = 0; i < items.length; i += 2) map.set(items[i], items[i + 1]);
        return map;
      }
      case DataExtension.SET:
        return new Set(this.#nested(end, depth));
      case DataExtension.REGEXP:
        return this.#regExp(this.#nested(end, depth));
      case DataExtension.ERROR:
        return this.#error(this.#nested(end, depth));
      case DataExtension.IPC_ERROR:
        return this.#ipcError(this.#nested(end, depth));
      case DataExtension.REFERENCE: {
        const items = this.#nested(end, depth);
        if (this.#references === undefined) this.#fail('a reference, which this codec does not take');
        if (items.length !== 1) this.#fail('a reference holds one item');
        return this.#references.read(items[0]);
      }
      default:
        return this.#fail(`unknown extension type ${type}`);
    }
  }

  /** The one array that is an extension's data, which must fill it exactly. */
  #nested(end: number, depth: number): unknown[] {
    const outerEnd = this.#end;
    this.#end = end;
    try {
      // Checked before reading it: an extension that held another extension directly would recurse without
      // going deeper (arrays count the nesting), and overflow the stack.
      const type = this.#at < end ? (this.#source[this.#at] as number) : -1;
      if (!((type >= 0x90 && type < 0xa0) || type === 0xdc || type === 0xdd)) {
        this.#fail('an extension holds something other than an array');
      }
      const items = this.#value(depth) as unknown[];
      if (this.#at !== end) this.#fail('an extension holds bytes after its array');
      return items;
    } finally {
      this.#end = outerEnd;
    }
  }

  #bigint(start: number, end: number): bigint {
    const source = this.#source;
    if (end <= start) this.#fail('a bigint takes at least its sign byte');
    const sign = source[start];
    if (sign !== 0 && sign !== 1) this.#fail('a bigint starts with a sign byte of 0 or 1');
    // The hex digits as ASCII bytes, then one string: linear with a small constant (a string concatenated
    // byte by byte takes seconds for a bigint of a few MiB).
    const digits = new Uint8Array(2 * (end - start - 1));
    for (let i = start + 1, j = 0; i < end; i++, j += 2) {
      const byte = source[i] as number;
      digits[j] = HEX_DIGITS[byte >>> 4] as number;
      digits[j + 1] = HEX_DIGITS[byte & 0x0f] as number;
    }
    const hex = textDecoder.decode(digits);
    this.#at = end;
    const magnitude = hex === '' ? 0n : BigInt(`0x${hex}`);
    return sign === 1 ? -magnitude : magnitude;
  }

  #typedArray(start: number, end: number): ArrayBufferView {
    const source = this.#source;
    const nameLength = source[start] ?? 0;
    if (start + 1 + nameLength > end) this.#fail('a typed array name runs past its extension');
    const name = String.fromCharCode(...source.subarray(start + 1, start + 1 + nameLength));
    const Class = TYPED_ARRAY_NAMES.has(name) ? (globalThis as Record<string, unknown>)[name] : undefined;
    if (typeof Class !== 'function') this.#fail(`no typed array class named ${JSON.stringify(name)} here`);
    const bytes = this.#copy(start + 1 + nameLength, end);
    const elementBytes = (Class as { BYTES_PER_ELEMENT?: number }).BYTES_PER_ELEMENT ?? 1;
    if (bytes.length % elementBytes !== 0) this.#fail(`${bytes.length} bytes do not make a ${name}`);
    this.#at = end;
    return new (Class as TypedArrayConstructor)(bytes.buffer);
  }

  #regExp([source, flags, ...rest]: unknown[]): RegExp {
    if (typeof source !== 'string' || typeof flags !== 'string' || rest.length > 0) {
      this.#fail('a RegExp is [source, flags]');
    }
    try {
      return new RegExp(source, flags);
    } catch (error) {
      return this.#fail(`an invalid RegExp: ${(error as Error).message}`);
    }
  }

  #error(items: unknown[]): Error {
    const [name, message, stack] = items;
    if (typeof name !== 'string' || typeof message !== 'string' || !optionalString(stack) || items.length > 4) {
      this.#fail('an Error is [name, message, stack, cause?]');
    }
    return builtInErrorFrom(name, message, stack, items.length === 4 ? { cause: items[3] } : undefined);
  }

  #ipcError(items: unknown[]): Error {
    const [code, message, stack, fields] = items;
    if (
      typeof code !== 'string' ||
      typeof message !== 'string' ||
      !optionalString(stack) ||
      typeof fields !== 'object' ||
      fields === null ||
      fields instanceof Map ||
      Array.isArray(fields) ||
      items.length > 5
    ) {
      this.#fail('an @ipc error is [code, message, stack, fields, cause?]');
    }
    const record: ErrorRecord = {
      code,
      message,
      stack,
      cause: items[4],
      fields: fields as Record<string, unknown>,
    };
    return errorFromRecord(record);
  }
}

function optionalString(value: unknown): value is string | undefined {
  return value === undefined || typeof value === 'string';
}
