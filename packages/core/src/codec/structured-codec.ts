/**
 * The default codec: structured-clone fidelity (the types `postMessage` carries) plus live @ipc primitives
 * and @ipc errors, on MessagePack via msgpackr.
 *
 * Why msgpackr: with `structuredClone: true` it keeps cycles, shared references, Map, Set, Date, RegExp,
 * BigInt, typed arrays and Error, and it round-trips a small object 4-8x faster than `v8.serialize` +
 * `deserialize` and as fast as JSON, which keeps none of those types (core's `pnpm bench` measures it). Extensions carry what MessagePack
 * cannot: a primitive travels as (heap id, offset, type name) and is revived live on the other side.
 */

import { addExtension, Packr, Unpackr } from 'msgpackr';
import { builtInErrorFrom } from '../built-in-errors.ts';
import { type ErrorRecord, errorFromRecord, errorToRecord, ProcessError } from '../errors.ts';
import { PORTABLE_TYPE, Portable, portableTypeNamed } from '../handle/portable.ts';
import { SharedBlock } from '../handle/shared-block.ts';
import { attachShared, SHARED_BLOCK, SharedHandle } from '../handle/shared-handle.ts';
import { sharedTypeNamed } from '../handle/shared-type.ts';
import { Heap } from '../heap/heap.ts';
import type { Codec, ScratchBytes } from './codec.ts';
import { FALL_BACK, FlatWriter, NOT_FLAT, readFlat } from './flat.ts';
import { TYPED_ARRAY_NAMES } from './typed-array-names.ts';

/**
 * msgpackr extension type codes used by @ipc (1..100 are for applications). They are registered
 * process-wide in msgpackr, so other users of msgpackr in the same process should avoid them.
 */
const EXTENSION_SHARED_HANDLE = 73; // 'I'
const EXTENSION_PROCESS_ERROR = 80; // 'P'
const EXTENSION_ERROR = 69; // 'E'
const EXTENSION_REFUSED = 82; // 'R'
const EXTENSION_TYPED_ARRAY_UNALIGNED = 84; // 'T': the first form, still read, no longer written
const EXTENSION_TYPED_ARRAY = 85; // 'U'
const EXTENSION_PORTABLE = 87; // 'W'

type HandleWire = [heapId: number, byteOffset: number, typeName: string];

/**
 * The blocks whose handles the current general encode has written (their types were told `sent`): if the
 * encode fails later, they are told `lost`, since no message carries them.
 */
let handlesWritten: SharedBlock[] | undefined;

addExtension({
  Class: SharedHandle,
  type: EXTENSION_SHARED_HANDLE,
  write(handle: SharedHandle): HandleWire {
    const block = handle[SHARED_BLOCK];
    // Once its offset is in a message, any thread may revive it at any time: keep it for good.
    block.heap.pin(block.byteOffset);
    block.type.sent?.(block);
    handlesWritten?.push(block);
    return [block.heap.id, block.byteOffset, block.type.name];
  },
  read([heapId, byteOffset, typeName]: HandleWire): object {
    const heap = Heap.byId(heapId) ?? (Heap.current().id === heapId ? Heap.current() : undefined);
    if (heap === undefined) {
      throw new TypeError(
        `a message carries a shared ${typeName} from a heap this thread has never seen: ` +
          'import @ipc in the thread that starts the workers, so that they all share one heap',
      );
    }
    const type = sharedTypeNamed(typeName);
    if (forgetting) {
      // forgetHandles(): this copy will never arrive; nothing is revived.
      type.lost?.(SharedBlock.attach(heap, byteOffset, type));
      return {};
    }
    const object = attachShared(heap, byteOffset, type);
    type.received?.(object);
    return object;
  },
});

type PortableWire = [typeName: string, data: unknown];

addExtension({
  Class: Portable,
  type: EXTENSION_PORTABLE,
  write(object: Portable): PortableWire {
    const type = object[PORTABLE_TYPE];
    return [type.name, type.encode(object)];
  },
  read([typeName, data]: PortableWire): object {
    const type = portableTypeNamed(typeName);
    // forgetHandles(): this copy will never arrive; the shared handles in its data are told so above.
    return forgetting ? {} : type.decode(data);
  },
});

/** True while forgetHandles() reads a message: handles are reported lost instead of revived. */
let forgetting = false;

/**
 * Tells the types of the @ipc primitives in the encoded message `bytes` that these copies will never arrive
 * (their `lost` hook), without reviving them: for a message its receiver will not decode (a Process that
 * ended before it decoded its args).
 */
export function forgetHandles(bytes: Uint8Array): void {
  forgetting = true;
  try {
    structuredCodec.decode(bytes);
  } finally {
    forgetting = false;
  }
}

interface BuiltInErrorWire {
  name: string;
  message: string;
  stack: string | undefined;
  cause?: unknown;
}

// Registered before the ProcessError extension, because msgpackr tries the latest registration first and
// every ProcessError is an Error too. msgpackr's own Error support drops the stack; postMessage keeps it.
addExtension({
  Class: Error,
  type: EXTENSION_ERROR,
  write: (error: Error): BuiltInErrorWire => ({
    name: error.name,
    message: error.message,
    stack: error.stack,
    ...('cause' in error ? { cause: error.cause } : {}),
  }),
  read: ({ name, message, stack, ...rest }: BuiltInErrorWire): Error =>
    builtInErrorFrom(name, message, stack, 'cause' in rest ? { cause: rest.cause } : undefined),
});

addExtension({
  Class: ProcessError,
  type: EXTENSION_PROCESS_ERROR,
  write: (error: ProcessError): ErrorRecord => errorToRecord(error),
  read: (record: ErrorRecord): ProcessError => errorFromRecord(record),
});

/** The class every typed array extends (not exported by name). */
const TypedArray = Object.getPrototypeOf(Uint8Array) as abstract new (...args: never[]) => ArrayBufferView;

type TypedArrayConstructor = new (buffer: ArrayBuffer) => ArrayBufferView;

/**
 * The standard typed array class of `value`: its own class, or the nearest standard one it extends (a
 * subclass, Node's Buffer included, arrives as that class, as with structured clone).
 */
function builtInTypedArrayName(value: ArrayBufferView): string {
  for (let proto = Object.getPrototypeOf(value); proto !== null; proto = Object.getPrototypeOf(proto)) {
    const name = (proto.constructor as { name?: string } | undefined)?.name;
    if (
      name !== undefined &&
      TYPED_ARRAY_NAMES.has(name) &&
      (globalThis as Record<string, unknown>)[name] === proto.constructor
    ) {
      return name;
    }
  }
  throw new TypeError(`cannot encode ${value.constructor.name}: not a kind of typed array this runtime knows`);
}

/** msgpackr's in-place writer: room for `size` bytes at `position` of its output. */
type AllocateForWrite = (size: number) => { target: Uint8Array; targetView: DataView; position: number };

/** MessagePack `ext 32`: marker, 32-bit length, type, then the data. */
const EXT32_MARKER = 0xc9;
const EXT32_HEADER_BYTES = 6;

/**
 * Alignment slack of a typed array's wire form: 0-7 zero bytes before its bytes, which put them on an
 * 8-byte boundary, and the rest of the 7 after them. V8 copies to and from shared memory with relaxed
 * atomics, 8 bytes at a time only when both sides are 8-aligned: unaligned, 1 MiB takes ~300 µs instead of
 * ~40 µs (measured on Node 20). A fixed total keeps the length independent of where the bytes land.
 */
const TYPED_ARRAY_SLACK = 7;

/** Bytes of a typed array's wire form: ext 32 header, name length, name, pad length, slack, the bytes. */
function typedArrayWireBytes(value: ArrayBufferView, name: string): number {
  return EXT32_HEADER_BYTES + 2 + name.length + TYPED_ARRAY_SLACK + value.byteLength;
}

/**
 * Writes `value` (a typed array of built-in class `name`) in its wire form at `target[position..)`: ext 32
 * header, then the extension data: name length, the class name (ASCII), pad length p, p zero bytes, the
 * bytes (8-byte aligned in `target`'s buffer), 7 - p zero bytes. Runs no user code.
 */
function writeTypedArray(value: ArrayBufferView, name: string, target: Uint8Array, position: number): void {
  const dataLength = 2 + name.length + TYPED_ARRAY_SLACK + value.byteLength;
  target[position] = EXT32_MARKER;
  target[position + 1] = dataLength >>> 24;
  target[position + 2] = (dataLength >>> 16) & 0xff;
  target[position + 3] = (dataLength >>> 8) & 0xff;
  target[position + 4] = dataLength & 0xff;
  target[position + 5] = EXTENSION_TYPED_ARRAY;
  let at = position + EXT32_HEADER_BYTES;
  target[at++] = name.length;
  for (let i = 0; i < name.length; i++) target[at++] = name.charCodeAt(i);
  const padding = (8 - ((target.byteOffset + at + 1) & 7)) & 7;
  target[at++] = padding;
  for (let i = 0; i < padding; i++) target[at++] = 0;
  target.set(new Uint8Array(value.buffer, value.byteOffset, value.byteLength), at);
  at += value.byteLength;
  for (let i = padding; i < TYPED_ARRAY_SLACK; i++) target[at++] = 0;
}

/** Refuses a typed array over shared memory: structured clone would share it; bytes can only copy it. */
function refuseShared(value: ArrayBufferView, name: string): void {
  if (value.buffer instanceof SharedArrayBuffer) {
    throw new TypeError(
      `cannot encode a ${name} over a SharedArrayBuffer: shared memory cannot travel inside a message; ` +
        'use an @ipc Value/Array, or share()',
    );
  }
}

/** A new `byteLength`-byte ArrayBuffer for the caller to fill completely (not zeroed first, under Node). */
const uninitializedBuffer: (byteLength: number) => ArrayBuffer =
  typeof Buffer === 'function'
    ? (byteLength) => Buffer.allocUnsafeSlow(byteLength).buffer as ArrayBuffer
    : (byteLength) => new ArrayBuffer(byteLength);

/** The typed array of class `name` over a copy of `bytes` (which is reused memory, maybe unaligned). */
function typedArrayOf(name: string, bytes: Uint8Array): ArrayBufferView {
  const Constructor = TYPED_ARRAY_NAMES.has(name)
    ? ((globalThis as Record<string, unknown>)[name] as TypedArrayConstructor | undefined)
    : undefined;
  if (typeof Constructor !== 'function')
    throw new TypeError(`cannot decode a ${name}: this runtime has no such typed array`);
  // A fresh ArrayBuffer of its own (aligned, as typed arrays need), filled right away. Not `slice()`:
  // msgpackr may hand us a Node Buffer, whose slice() is a view, not a copy. Not zeroed first: a 1 MiB
  // zero-filled ArrayBuffer costs more than the copy (page faults and memset).
  const buffer = uninitializedBuffer(bytes.length);
  new Uint8Array(buffer).set(bytes);
  return new Constructor(buffer);
}

function nameOf(data: Uint8Array, nameLength: number): string {
  return String.fromCharCode(...data.subarray(1, 1 + nameLength));
}

// Typed arrays get our own extension: msgpackr's picks a code by constructor name from a fixed list, so a
// subclass, or a kind it does not list (Float16Array on Node 24), encodes without error and then fails to
// decode on the consumer's side. It is written straight into msgpackr's output (one copy, as msgpackr's own
// typed arrays take), or by StructuredCodec.encodeInto straight into a queue's shared memory. msgpackr
// starts every message 8-aligned in its buffer, so the padding computed there still aligns the bytes once
// the message is copied to an 8-aligned place.
addExtension({
  Class: TypedArray,
  type: EXTENSION_TYPED_ARRAY,
  pack(value: ArrayBufferView, allocateForWrite?: AllocateForWrite): undefined {
    const name = builtInTypedArrayName(value);
    refuseShared(value, name);
    if (allocateForWrite === undefined) throw new Error('msgpackr did not offer in-place writing');
    const { target, position } = allocateForWrite(typedArrayWireBytes(value, name));
    writeTypedArray(value, name, target, position);
    return undefined;
  },
  unpack(data: Uint8Array): ArrayBufferView {
    const nameLength = data[0] ?? 0;
    const padding = data[1 + nameLength] ?? 0;
    const start = 2 + nameLength + padding;
    return typedArrayOf(nameOf(data, nameLength), data.subarray(start, data.length - TYPED_ARRAY_SLACK + padding));
  },
  // msgpackr's typings leave out the in-place writer its pack() receives (pack.js, `extension.pack.call`).
} as unknown as Parameters<typeof addExtension>[0]);

// The first wire form (no padding), written by earlier versions of this codec: still read, never written.
addExtension({
  type: EXTENSION_TYPED_ARRAY_UNALIGNED,
  unpack(data: Uint8Array): ArrayBufferView {
    const nameLength = data[0] ?? 0;
    return typedArrayOf(nameOf(data, nameLength), data.subarray(1 + nameLength));
  },
} as unknown as Parameters<typeof addExtension>[0]);

/** Values structured clone refuses, and so do we; each gets an error naming it and the alternative. */
const REFUSED: ReadonlyArray<[new (...args: never[]) => unknown, string]> = [
  [SharedArrayBuffer, 'a SharedArrayBuffer cannot travel inside a message: use an @ipc Value/Array, or share()'],
  [Promise, 'a Promise cannot be sent between threads: send its result'],
  [WeakMap, 'a WeakMap cannot be sent between threads'],
  [WeakSet, 'a WeakSet cannot be sent between threads'],
  [WeakRef, 'a WeakRef cannot be sent between threads'],
];
for (const [Class, reason] of REFUSED) {
  addExtension({
    Class,
    type: EXTENSION_REFUSED,
    write: () => {
      throw new TypeError(`cannot encode ${Class.name}: ${reason}`);
    },
    read: (data: unknown) => data,
  });
}

/** Options both packers share. */
const COMMON_OPTIONS = {
  // Structured clone ignores toJSON; so do we, or a class with toJSON would arrive as something else.
  useToJSON: false,
  // Decoded bytes are copies: the input is reused shared memory (the Codec contract).
  copyBuffers: true,
  // int64 on the wire only ever comes from a bigint (large numbers are written as float64): keep it one.
  int64AsType: 'bigint',
  // msgpackr passes the function; its typings declare no parameter, hence the rest parameter.
  writeFunction: (...args: unknown[]) => {
    const fn = args[0];
    const name = typeof fn === 'function' && fn.name ? ` ${fn.name}` : '';
    throw new TypeError(`cannot encode function${name}: functions cannot be sent between threads`);
  },
} as const;

/** Messages up to this size are decoded from a private copy, not from shared memory (decodeRange). */
const SCRATCH_MAX_BYTES = 64 * 1024;

/** MessagePack's one unused byte: marks a general message that would otherwise start like a flat one. */
const GENERAL_MARKER = 0xc1;

/** True for the first byte of a MessagePack map (fixmap, map16, map32). */
function isMapByte(byte: number | undefined): boolean {
  return byte !== undefined && ((byte & 0xf0) === 0x80 || byte === 0xde || byte === 0xdf);
}

/**
 * The structured codec. Holds no per-message state between calls, so one instance serves a whole thread.
 *
 * Two encodings share the wire, told apart by the first byte:
 * - flat objects (plain objects of numbers, strings, booleans, null and undefined: the common `{ i, s: 'x' }`
 *   message) are a plain MessagePack map, written and read by a fast path of our own (flat.ts), which
 *   leaves anything unusual to msgpackr: round trip 0.15 µs instead of 0.3 (msgpackr's flat form) or 1.04
 *   (the general form), measured here;
 * - everything else uses msgpackr records, which keep a Map apart from an object (a Map is a MessagePack
 *   map, an object a record). A general message that starts with a map byte (a top-level Map) is
 *   prefixed with 0xc1, a byte MessagePack never uses, so it cannot be mistaken for a flat one.
 *
 * **Python equivalent:** `pickle` as used by `multiprocessing` (but only data and @ipc primitives travel:
 * functions and class identities do not, as with `postMessage`).
 *
 * @example
 * ```ts
 * const bytes = structuredCodec.encode({ when: new Date(), tags: new Set(['a']) });
 * structuredCodec.decode(bytes); // a copy, with a Date and a Set
 * ```
 */
export class StructuredCodec implements Codec {
  readonly #general = new Packr({ ...COMMON_OPTIONS, structuredClone: true });
  /** Reads the flat maps the fast path leaves to msgpackr (non-ASCII or long strings, say). */
  readonly #flat = new Unpackr({ ...COMMON_OPTIONS, useRecords: false, mapsAsObjects: true });
  readonly #flatWriter = new FlatWriter();
  /** What encodeScratch returns: one object, rewritten by each call. */
  readonly #scratch: { bytes: Uint8Array; start: number; end: number } = { bytes: new Uint8Array(0), start: 0, end: 0 };
  /** The range decodeRange hands msgpackr: one object, rewritten by each call (msgpackr reads it at once). */
  readonly #range = { start: 0, end: 0 };
  /** Where decodeRange copies messages out of shared memory; grows up to SCRATCH_MAX_BYTES. */
  #decodeScratch = new Uint8Array(1024);
  #decoding = false;
  /** The typed array encodedLength last measured, and its built-in class name, for encodeInto. */
  #sized: ArrayBufferView | undefined;
  #sizedName = '';

  /** @throws {TypeError} naming what could not be encoded (a function, a symbol, a WeakMap, ...). */
  encode(value: unknown): Uint8Array {
    const flat = this.#flatWriter.write(value);
    if (flat !== NOT_FLAT) return this.#flatWriter.bytes.slice(0, flat);
    return this.#encodeGeneral(value);
  }

  #encodeGeneral(value: unknown): Uint8Array {
    if (typeof value === 'symbol') throw new TypeError(`cannot encode ${String(value)}: symbols cannot be sent`);
    let bytes: Uint8Array;
    const outer = handlesWritten;
    const written: SharedBlock[] = [];
    handlesWritten = written;
    try {
      bytes = this.#general.pack(value);
      // An encode nested in another (an extension's) belongs to it: its handles are lost if the outer fails.
      outer?.push(...written);
    } catch (error) {
      for (const block of written) block.type.lost?.(block);
      // Our own refusals already name the value; msgpackr's ("Unknown type: symbol") get the rule added.
      if (error instanceof TypeError && error.message.startsWith('cannot encode')) throw error;
      throw new TypeError(
        `cannot encode the value: ${(error as Error).message} (a symbol or another type messages cannot carry)`,
        { cause: error },
      );
    } finally {
      handlesWritten = outer;
    }
    if (!isMapByte(bytes[0])) return bytes;
    const marked = new Uint8Array(bytes.length + 1);
    marked[0] = GENERAL_MARKER;
    marked.set(bytes, 1);
    return marked;
  }

  /**
   * {@link StructuredCodec.encode} into scratch memory, for flat objects (no allocation: the fast path's
   * buffer, reused by its next call); other values are encoded as by `encode`.
   */
  encodeScratch(value: unknown): ScratchBytes {
    const scratch = this.#scratch;
    const flat = this.#flatWriter.write(value);
    if (flat !== NOT_FLAT) {
      scratch.bytes = this.#flatWriter.bytes;
      scratch.start = 0;
      scratch.end = flat;
    } else {
      const bytes = this.#encodeGeneral(value);
      scratch.bytes = bytes;
      scratch.start = 0;
      scratch.end = bytes.length;
    }
    return scratch;
  }

  /**
   * For a typed array (not over shared memory): the length of its encoding, which
   * {@link StructuredCodec.encodeInto} then writes in one copy. -1 for any other value.
   *
   * @throws {TypeError} for a typed array class this runtime does not know, as `encode` does.
   */
  encodedLength(value: unknown): number {
    if (!(value instanceof TypedArray) || value.buffer instanceof SharedArrayBuffer) return -1;
    const name = builtInTypedArrayName(value);
    const length = typedArrayWireBytes(value, name);
    // Beyond ext 32's 32-bit length: encode() reports it.
    if (length - EXT32_HEADER_BYTES > 0xffff_ffff) return -1;
    this.#sized = value;
    this.#sizedName = name;
    return length;
  }

  encodeInto(value: unknown, target: Uint8Array, offset: number): void {
    if (value !== this.#sized) throw new TypeError('encodeInto() takes the value last given to encodedLength()');
    writeTypedArray(value as ArrayBufferView, this.#sizedName, target, offset);
    this.#sized = undefined;
  }

  decode(bytes: Uint8Array): unknown {
    return this.decodeRange(bytes, 0, bytes.length);
  }

  /**
   * {@link StructuredCodec.decode} of `source[start..end)`, without making the subarray.
   *
   * Shared memory is first copied into a private scratch buffer (up to {@link SCRATCH_MAX_BYTES}): msgpackr's
   * native string extractor (msgpackr-extract, used for messages of 140 bytes and more) only takes an
   * ArrayBuffer, and on a SharedArrayBuffer it throws, and msgpackr catches, once per message: ~9 µs each,
   * where the copy costs nanoseconds. Also, msgpackr caches a DataView on its source: the scratch buffer,
   * always the same, costs no allocation per message.
   */
  decodeRange(source: Uint8Array, start: number, end: number): unknown {
    // The flat fast path reads shared memory directly; what it leaves goes to msgpackr below.
    if (isMapByte(source[start])) {
      const flat = readFlat(source, start, end);
      if (flat !== FALL_BACK) return flat;
    }
    const length = end - start;
    if (length > SCRATCH_MAX_BYTES || this.#decoding || !(source.buffer instanceof SharedArrayBuffer)) {
      return this.#decodeFrom(source, start, end);
    }
    let scratch = this.#decodeScratch;
    if (scratch.length < length) {
      scratch = new Uint8Array(Math.min(SCRATCH_MAX_BYTES, 2 ** Math.ceil(Math.log2(length))));
      this.#decodeScratch = scratch;
    }
    if (length <= 64) {
      for (let i = 0; i < length; i++) scratch[i] = source[start + i] as number;
    } else {
      scratch.set(source.subarray(start, end));
    }
    // An extension's read that decoded again would overwrite the scratch under the outer decode.
    this.#decoding = true;
    try {
      return this.#decodeFrom(scratch, 0, length);
    } finally {
      this.#decoding = false;
    }
  }

  #decodeFrom(source: Uint8Array, start: number, end: number): unknown {
    const first = source[start];
    const range = this.#range;
    range.end = end;
    if (first === GENERAL_MARKER) {
      range.start = start + 1;
      return this.#general.unpack(source, range);
    }
    range.start = start;
    return isMapByte(first) ? this.#flat.unpack(source, range) : this.#general.unpack(source, range);
  }
}

/** The default codec every queue and pipe uses unless given another. */
export const structuredCodec: Codec = new StructuredCodec();
