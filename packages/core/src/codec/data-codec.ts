/**
 * The data codec: the codec for bytes that leave the process (socket connections, and later the manager).
 * Data only, both ways: it encodes values whose whole meaning is in their bytes, and decoding a message from
 * anywhere can only build data (plain objects, arrays, strings, numbers, bigints, Map, Set, Date, RegExp,
 * typed arrays, errors); it never attaches shared memory and never runs code the message names.
 */

import type { Codec, ScratchBytes } from './codec.ts';
import { DataReader } from './data-reader.ts';
import type { DataReferences } from './data-wire.ts';
import { DataWriter } from './data-writer.ts';
import { FALL_BACK, FlatWriter, NOT_FLAT, readFlat } from './flat.ts';

/** True for the first byte of a MessagePack map (fixmap, map16, map32). */
function isMapByte(byte: number | undefined): boolean {
  return byte !== undefined && ((byte & 0xf0) === 0x80 || byte === 0xde || byte === 0xdf);
}

/**
 * Encodes and decodes values as MessagePack, for peers in other processes and on other machines.
 *
 * - **What travels:** `null`, `undefined`, booleans, numbers (NaN and infinities too), strings, bigints, arrays,
 *   plain objects, Map, Set, Date, RegExp, typed arrays, DataView, ArrayBuffer, and errors (built-in classes
 *   by name; @ipc errors with their class, `code` and fields). Class instances arrive as plain objects of
 *   their own enumerable properties; a `Buffer` arrives as a `Uint8Array`.
 * - **Refused with a `TypeError` in the caller of `encode`:** @ipc shared-memory primitives (their memory
 *   does not reach another process), a `SharedArrayBuffer` or a view of one, functions, symbols, `Promise`,
 *   `WeakMap`, `WeakSet`, `WeakRef`, a cycle, nesting deeper than 512.
 * - **Differences from structured clone:** values are trees, as with JSON: an object referenced twice
 *   arrives as two copies, and a cycle is refused. Array holes arrive as `undefined`, and `-0` as `0`.
 * - **Decoding** checks every length against the bytes there, bounds nesting, never sets a prototype (a
 *   `__proto__` key is an own property), and throws a `TypeError` saying what is wrong for bytes that are
 *   not one of its messages.
 *
 * Flat objects (numbers, strings, booleans, null and undefined as values) take the structured codec's fast
 * path, whose bytes are the same MessagePack map.
 *
 * **Python equivalent:** `pickle` as `multiprocessing.connection` uses it, restricted to data: unpickling can
 * run code a message names, decoding here cannot.
 *
 * @example
 * ```ts
 * const bytes = dataCodec.encode({ id: 1n, at: new Date(0), tags: new Set(['a']) });
 * dataCodec.decode(bytes); // { id: 1n, at: Date(0), tags: Set { 'a' } }
 * dataCodec.encode({ lock: new Lock() }); // TypeError: cannot encode a shared ipc.sync.Lock: ...
 * ```
 */
export class DataCodec implements Codec {
  readonly #flat = new FlatWriter();
  readonly #references: DataReferences | undefined;
  readonly #writer: DataWriter;
  readonly #reader: DataReader;
  /** What encodeScratch returns: one object, rewritten by each call. */
  readonly #scratch: { bytes: Uint8Array; start: number; end: number } = { bytes: new Uint8Array(0), start: 0, end: 0 };

  /**
   * @param options.references how to carry objects that stand for something elsewhere (see
   * {@link DataReferences}); without it such objects travel as their enumerable properties, and a reference
   * in a message is refused.
   */
  constructor(options: { references?: DataReferences } = {}) {
    this.#references = options.references;
    this.#writer = new DataWriter(this.#references);
    this.#reader = new DataReader(this.#references);
  }

  /** @throws {TypeError} naming what cannot be sent. */
  encode(value: unknown): Uint8Array {
    const { bytes, start, end } = this.encodeScratch(value);
    return bytes.slice(start, end);
  }

  /** {@link DataCodec.encode} into scratch memory that the next call reuses (no allocation per message). */
  encodeScratch(value: unknown): ScratchBytes {
    const scratch = this.#scratch;
    const flat = this.#flat.write(value);
    if (flat !== NOT_FLAT) {
      scratch.bytes = this.#flat.bytes;
      scratch.end = flat;
    } else {
      // A getter that encodes while this writer is busy gets a writer of its own.
      const writer = this.#writer.busy ? new DataWriter(this.#references) : this.#writer;
      scratch.end = writer.write(value);
      scratch.bytes = writer.bytes;
    }
    scratch.start = 0;
    return scratch;
  }

  /** @throws {TypeError} when `bytes` is not one message of this codec. */
  decode(bytes: Uint8Array): unknown {
    return this.decodeRange(bytes, 0, bytes.length);
  }

  /** {@link DataCodec.decode} of `source[start..end)`, without making the subarray. */
  decodeRange(source: Uint8Array, start: number, end: number): unknown {
    if (isMapByte(source[start])) {
      const flat = readFlat(source, start, end);
      if (flat !== FALL_BACK) return flat;
    }
    return this.#reader.read(source, start, end);
  }
}

/**
 * The codec of socket connections unless given another: data only (see {@link DataCodec}). One instance
 * serves a whole thread.
 */
export const dataCodec: Codec = new DataCodec();
