/**
 * The data codec's wire format: standard MessagePack, plus a few extension types of its own (their codes are
 * the data codec's, not msgpackr's: it does not use msgpackr, whose extensions are process-wide).
 *
 *   JavaScript                      MessagePack
 *   null / true / false             nil / true / false
 *   undefined                       fixext 1, type 0, data 0 (msgpackr's convention, which the flat path writes)
 *   number                          the shortest int for a 32-bit integer (-0 too: it arrives as 0), else float64
 *   string                          str (UTF-8)
 *   Uint8Array (and Buffer)         bin
 *   array                           array (holes arrive as undefined)
 *   plain object                    map with str keys (class instances: their own enumerable properties)
 *   bigint                          ext BIGINT: sign byte (0 or 1), magnitude big-endian
 *   Date                            ext DATE: float64 milliseconds (NaN for an invalid date)
 *   Map, Set                        ext MAP: array [k1, v1, k2, v2, ...]; ext SET: array of the values
 *   other typed arrays, DataView    ext TYPED_ARRAY: name length, class name (ASCII), the bytes
 *   ArrayBuffer                     ext ARRAY_BUFFER: the bytes
 *   RegExp                          ext REGEXP: array [source, flags]
 *   Error (built-in classes)        ext ERROR: array [name, message, stack, cause?]
 *   @ipc error                      ext IPC_ERROR: array [code, message, stack, fields, cause?]
 *   a reference (DataReferences)    ext REFERENCE: array [data]: what the codec's `references.write` gave
 *
 * A MessagePack map with a key that is not a string (from another MessagePack writer) arrives as a Map.
 * Extensions that hold other values (MAP, SET, REGEXP, ERROR, IPC_ERROR) are written as ext 32 whose data is
 * one MessagePack array, so any MessagePack reader can skip or unpack them.
 */

import { TYPED_ARRAY_NAMES as STANDARD_TYPED_ARRAY_NAMES } from './typed-array-names.ts';

/**
 * How a data codec carries objects that stand for something elsewhere (a Manager proxy: "object 7 on that
 * server"). The codec writes such an object as the data `write` gives, and reading builds the object with
 * `read`, which gets only data decoded like any other and must check it. A codec without `references`
 * refuses the extension when reading.
 */
export interface DataReferences {
  /** True for the objects written as references. */
  is(value: object): boolean;
  /** The data that identifies `value` (itself encoded by the data codec). */
  write(value: object): unknown;
  /**
   * The object for data that `write` gave, possibly on another machine and possibly forged.
   *
   * @throws {TypeError} for data that is not a reference it knows.
   */
  read(data: unknown): unknown;
}

export const DataExtension = {
  UNDEFINED: 0,
  BIGINT: 1,
  DATE: 2,
  MAP: 3,
  SET: 4,
  TYPED_ARRAY: 5,
  ARRAY_BUFFER: 6,
  REGEXP: 7,
  ERROR: 8,
  IPC_ERROR: 9,
  REFERENCE: 10,
} as const;

/**
 * The deepest nesting either side accepts. The writer needs a bound to report a cycle instead of overflowing
 * the stack; the reader needs one so that a hostile message cannot overflow it either.
 */
export const MAX_DEPTH = 512;

/** The typed array classes (and DataView) the codec carries by name; decoding never looks up another name. */
export const TYPED_ARRAY_NAMES: ReadonlySet<string> = new Set([...STANDARD_TYPED_ARRAY_NAMES, 'DataView']);
