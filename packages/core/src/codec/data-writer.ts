/**
 * The data codec's writer: values to the MessagePack of data-wire.ts, into a scratch buffer reused by every
 * call. It carries data only: it refuses, with a TypeError naming the value, anything whose meaning is not
 * in its bytes (shared memory, @ipc primitives, functions, symbols, promises, weak collections) and cycles.
 */

import { errorToRecord, isProcessError } from '../errors.ts';
import { isPortable, PORTABLE_TYPE } from '../handle/portable.ts';
import { isShareable, SHARED_BLOCK } from '../handle/shared-handle.ts';
import { DataExtension, type DataReferences, MAX_DEPTH, TYPED_ARRAY_NAMES } from './data-wire.ts';
import { stringRoom, writeString } from './msgpack-string.ts';

/** ext 32: marker, 32-bit length, type; then the data. */
const EXT32_HEADER_BYTES = 6;

/** Values no connection can carry, and why (checked by class, before a class instance is taken apart). */
const REFUSED: ReadonlyArray<[new (...args: never[]) => unknown, string]> = [
  [Promise, 'a Promise cannot be sent: send its result'],
  [WeakMap, 'a WeakMap cannot be sent'],
  [WeakSet, 'a WeakSet cannot be sent'],
  [WeakRef, 'a WeakRef cannot be sent'],
];

/** Not re-entrant: the codec gives a nested encode (a getter that encodes) a writer of its own. */
export class DataWriter {
  bytes: Uint8Array = new Uint8Array(1024);
  #view = new DataView(this.bytes.buffer);
  #at = 0;
  /** The objects being written, outermost first: a value among them is a cycle. */
  readonly #ancestors: object[] = [];
  /** True while a write is in progress. */
  busy = false;
  readonly #references: DataReferences | undefined;

  constructor(references?: DataReferences) {
    this.#references = references;
  }

  /**
   * Encodes `value` into `bytes[0..n)` and returns n.
   *
   * @throws {TypeError} naming a value the codec does not carry; nothing useful is left in `bytes` then.
   */
  write(value: unknown): number {
    this.busy = true;
    this.#at = 0;
    this.#ancestors.length = 0;
    try {
      this.#value(value);
      return this.#at;
    } finally {
      this.busy = false;
    }
  }

  #value(value: unknown): void {
    switch (typeof value) {
      case 'number':
        this.#number(value);
        return;
      case 'string':
        this.#string(value);
        return;
      case 'boolean':
        this.#room(1);
        this.bytes[this.#at++] = value ? 0xc3 : 0xc2;
        return;
      case 'undefined':
        this.#room(3);
        this.bytes[this.#at++] = 0xd4;
        this.bytes[this.#at++] = DataExtension.UNDEFINED;
        this.bytes[this.#at++] = 0;
        return;
      case 'bigint':
        this.#bigint(value);
        return;
      case 'object':
        if (value === null) {
          this.#room(1);
          this.bytes[this.#at++] = 0xc0;
          return;
        }
        this.#object(value);
        return;
      case 'function':
        throw new TypeError(
          `cannot encode function${value.name ? ` ${value.name}` : ''}: functions cannot be sent, only data`,
        );
      default:
        throw new TypeError(`cannot encode ${String(value)}: symbols cannot be sent, only data`);
    }
  }

  #object(value: object): void {
    const ancestors = this.#ancestors;
    if (ancestors.includes(value)) {
      throw new TypeError(
        'cannot encode a cyclic value: an object contains itself; the data codec carries trees, as JSON does',
      );
    }
    if (ancestors.length >= MAX_DEPTH) {
      throw new TypeError(`cannot encode a value nested more than ${MAX_DEPTH} levels deep`);
    }
    ancestors.push(value);
    try {
      this.#container(value);
    } finally {
      ancestors.pop();
    }
  }

  #container(value: object): void {
    if (Array.isArray(value)) {
      this.#arrayHeader(value.length);
      // An index loop, not for-of: holes arrive as undefined, and the length is kept.
      for (let i = 0; i < value.length; i++) this.#value(value[i]);
      return;
    }
    const proto = Object.getPrototypeOf(value);
    if (proto === Object.prototype || proto === null) {
      this.#fields(value as Record<string, unknown>);
      return;
    }
    const references = this.#references;
    if (references?.is(value)) {
      const data = references.write(value);
      this.#nested(DataExtension.REFERENCE, () => {
        this.#arrayHeader(1);
        this.#value(data);
      });
      return;
    }
    if (ArrayBuffer.isView(value)) {
      this.#arrayBufferView(value);
      return;
    }
    if (value instanceof ArrayBuffer) {
      this.#extBytes(DataExtension.ARRAY_BUFFER, new Uint8Array(value));
      return;
    }
    if (value instanceof SharedArrayBuffer) {
      throw new TypeError(
        'cannot encode a SharedArrayBuffer: shared memory cannot reach another process; send a copy of its bytes',
      );
    }
    if (value instanceof Date) {
      this.#room(10);
      this.bytes[this.#at++] = 0xd7;
      this.bytes[this.#at++] = DataExtension.DATE;
      this.#view.setFloat64(this.#at, value.getTime());
      this.#at += 8;
      return;
    }
    if (value instanceof Map) {
      this.#nested(DataExtension.MAP, () => {
        this.#arrayHeader(value.size * 2);
        for (const [key, item] of value) {
          this.#value(key);
          this.#value(item);
        }
      });
      return;
    }
    if (value instanceof Set) {
      this.#nested(DataExtension.SET, () => {
        this.#arrayHeader(value.size);
        for (const item of value) this.#value(item);
      });
      return;
    }
    if (value instanceof RegExp) {
      this.#nested(DataExtension.REGEXP, () => {
        this.#arrayHeader(2);
        this.#string(value.source);
        this.#string(value.flags);
      });
      return;
    }
    if (isProcessError(value)) {
      const { code, message, stack, cause, fields } = errorToRecord(value);
      const hasCause = 'cause' in value;
      this.#nested(DataExtension.IPC_ERROR, () => {
        this.#arrayHeader(hasCause ? 5 : 4);
        this.#string(code);
        this.#string(message);
        this.#value(stack);
        this.#fields(fields);
        if (hasCause) this.#value(cause);
      });
      return;
    }
    if (value instanceof Error) {
      const hasCause = 'cause' in value;
      this.#nested(DataExtension.ERROR, () => {
        this.#arrayHeader(hasCause ? 4 : 3);
        this.#string(String(value.name));
        this.#string(String(value.message));
        this.#value(typeof value.stack === 'string' ? value.stack : undefined);
        if (hasCause) this.#value(value.cause);
      });
      return;
    }
    if (isPortable(value)) {
      throw new TypeError(
        `cannot encode a ${value[PORTABLE_TYPE].name}: it lives between the threads of one process; a ` +
          'connection may lead to another process or machine. Send the data, or let the other side connect itself',
      );
    }
    if (isShareable(value)) {
      throw new TypeError(
        `cannot encode a shared ${value[SHARED_BLOCK].type.name}: @ipc shared-memory primitives work between the ` +
          'threads of one process, and a connection may lead to another process or machine; share the data ' +
          'it holds, or use a Manager proxy',
      );
    }
    for (const [Class, reason] of REFUSED) {
      if (value instanceof Class) throw new TypeError(`cannot encode ${Class.name}: ${reason}`);
    }
    if (value instanceof Number || value instanceof String || value instanceof Boolean || value instanceof BigInt) {
      this.#value(value.valueOf());
      return;
    }
    // A class instance travels as its own enumerable properties, as with structured clone.
    this.#fields(value as Record<string, unknown>);
  }

  /** A map of the own enumerable string-keyed properties. Reading one may run a getter (the caller's code). */
  #fields(value: Record<string, unknown>): void {
    const keys = Object.keys(value);
    this.#mapHeader(keys.length);
    for (const key of keys) {
      this.#string(key);
      this.#value(value[key]);
    }
  }

  /** A typed array or DataView: a Uint8Array as bin, the others by class name. */
  #arrayBufferView(value: ArrayBufferView): void {
    if (value.buffer instanceof SharedArrayBuffer) {
      throw new TypeError(
        `cannot encode a ${value.constructor.name} over a SharedArrayBuffer: shared memory cannot reach another ` +
          'process; send a copy (slice())',
      );
    }
    const bytes = new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
    if (value instanceof Uint8Array && builtInViewName(value) === 'Uint8Array') {
      this.#bin(bytes);
      return;
    }
    const name = builtInViewName(value);
    const length = 1 + name.length + bytes.length;
    this.#extHeader(DataExtension.TYPED_ARRAY, length);
    this.#room(length);
    this.bytes[this.#at++] = name.length;
    for (let i = 0; i < name.length; i++) this.bytes[this.#at++] = name.charCodeAt(i);
    this.bytes.set(bytes, this.#at);
    this.#at += bytes.length;
  }

  /** An extension whose data is MessagePack written by `write`: ext 32, its length patched afterwards. */
  #nested(type: number, write: () => void): void {
    this.#room(EXT32_HEADER_BYTES);
    const header = this.#at;
    this.#at += EXT32_HEADER_BYTES;
    write();
    this.bytes[header] = 0xc9;
    this.#view.setUint32(header + 1, this.#at - header - EXT32_HEADER_BYTES);
    this.bytes[header + 5] = type;
  }

  #bigint(value: bigint): void {
    const negative = value < 0n;
    let hex = (negative ? -value : value).toString(16);
    if (hex === '0') hex = '';
    if (hex.length % 2 === 1) hex = `0${hex}`;
    const length = 1 + hex.length / 2;
    this.#extHeader(DataExtension.BIGINT, length);
    this.#room(length);
    this.bytes[this.#at++] = negative ? 1 : 0;
    for (let i = 0; i < hex.length; i += 2) this.bytes[this.#at++] = Number.parseInt(hex.slice(i, i + 2), 16);
  }

  #extBytes(type: number, data: Uint8Array): void {
    this.#extHeader(type, data.length);
    this.#room(data.length);
    this.bytes.set(data, this.#at);
    this.#at += data.length;
  }

  /** ext 8/16/32 header for `length` bytes of data (never fixext: the length is all the reader needs). */
  #extHeader(type: number, length: number): void {
    this.#room(EXT32_HEADER_BYTES);
    const bytes = this.bytes;
    if (length < 0x100) {
      bytes[this.#at++] = 0xc7;
      bytes[this.#at++] = length;
    } else if (length < 0x10000) {
      bytes[this.#at++] = 0xc8;
      this.#view.setUint16(this.#at, length);
      this.#at += 2;
    } else {
      bytes[this.#at++] = 0xc9;
      this.#view.setUint32(this.#at, length);
      this.#at += 4;
    }
    bytes[this.#at++] = type;
  }

  #bin(data: Uint8Array): void {
    this.#room(5 + data.length);
    const bytes = this.bytes;
    const length = data.length;
    if (length < 0x100) {
      bytes[this.#at++] = 0xc4;
      bytes[this.#at++] = length;
    } else if (length < 0x10000) {
      bytes[this.#at++] = 0xc5;
      this.#view.setUint16(this.#at, length);
      this.#at += 2;
    } else {
      bytes[this.#at++] = 0xc6;
      this.#view.setUint32(this.#at, length);
      this.#at += 4;
    }
    bytes.set(data, this.#at);
    this.#at += length;
  }

  #arrayHeader(count: number): void {
    this.#room(5);
    if (count < 16) {
      this.bytes[this.#at++] = 0x90 | count;
    } else if (count < 0x10000) {
      this.bytes[this.#at++] = 0xdc;
      this.#view.setUint16(this.#at, count);
      this.#at += 2;
    } else {
      this.bytes[this.#at++] = 0xdd;
      this.#view.setUint32(this.#at, count);
      this.#at += 4;
    }
  }

  #mapHeader(count: number): void {
    this.#room(5);
    if (count < 16) {
      this.bytes[this.#at++] = 0x80 | count;
    } else if (count < 0x10000) {
      this.bytes[this.#at++] = 0xde;
      this.#view.setUint16(this.#at, count);
      this.#at += 2;
    } else {
      this.bytes[this.#at++] = 0xdf;
      this.#view.setUint32(this.#at, count);
      this.#at += 4;
    }
  }

  /**
   * A 32-bit integer in its shortest form, anything else as float64 (NaN and infinities included). -0 is
   * written as 0, as the flat path and the structured codec write it.
   */
  #number(value: number): void {
    this.#room(9);
    const bytes = this.bytes;
    if (value >>> 0 === value) {
      if (value < 0x80) {
        bytes[this.#at++] = value;
      } else if (value < 0x100) {
        bytes[this.#at++] = 0xcc;
        bytes[this.#at++] = value;
      } else if (value < 0x10000) {
        bytes[this.#at++] = 0xcd;
        this.#view.setUint16(this.#at, value);
        this.#at += 2;
      } else {
        bytes[this.#at++] = 0xce;
        this.#view.setUint32(this.#at, value);
        this.#at += 4;
      }
    } else if (value >> 0 === value) {
      if (value >= -0x20) {
        bytes[this.#at++] = value & 0xff;
      } else if (value >= -0x80) {
        bytes[this.#at++] = 0xd0;
        bytes[this.#at++] = value & 0xff;
      } else if (value >= -0x8000) {
        bytes[this.#at++] = 0xd1;
        this.#view.setInt16(this.#at, value);
        this.#at += 2;
      } else {
        bytes[this.#at++] = 0xd2;
        this.#view.setInt32(this.#at, value);
        this.#at += 4;
      }
    } else {
      bytes[this.#at++] = 0xcb;
      this.#view.setFloat64(this.#at, value);
      this.#at += 8;
    }
  }

  /** A str (msgpack-string.ts). */
  #string(value: string): void {
    this.#room(stringRoom(value));
    this.#at = writeString(this.bytes, this.#at, value);
  }

  /** Makes room for `count` more bytes. */
  #room(count: number): void {
    const need = this.#at + count;
    if (need <= this.bytes.length) return;
    const bigger = new Uint8Array(Math.max(need, 2 * this.bytes.length));
    bigger.set(this.bytes.subarray(0, this.#at));
    this.bytes = bigger;
    this.#view = new DataView(bigger.buffer);
  }
}

/**
 * The standard class name of a typed array or DataView: its own class, or the nearest standard one it extends
 * (a subclass, Node's Buffer included, arrives as that class, as with structured clone).
 */
function builtInViewName(value: ArrayBufferView): string {
  for (let proto = Object.getPrototypeOf(value); proto !== null; proto = Object.getPrototypeOf(proto)) {
    const Class = (proto as { constructor?: { name?: string } }).constructor;
    const name = Class?.name;
    if (name !== undefined && TYPED_ARRAY_NAMES.has(name) && (globalThis as Record<string, unknown>)[name] === Class) {
      return name;
    }
  }
  throw new TypeError(`cannot encode a ${value.constructor.name}: not a kind of typed array this runtime knows`);
}
