/**
 * Memory layout of a `RawArray`, and of a `SharedArray` (its lock-guarded form: the same three words as a
 * Value's, value/layout.ts, naming a RawArray and a Lock or RLock).
 *
 * RawArray:
 *   word 0   TAG_VERSION  RAW_ARRAY_TAG << 16 | ARRAY_LAYOUT_VERSION                     written once
 *   word 1   TYPE         the element type's id (typecodes.ts)                           written once
 *   word 2   LENGTH       elements                                                       written once
 *   word 3   reserved (0)
 *   bytes 16..  the elements, LENGTH × the type's bytes, 8-aligned                        any thread
 */

export const RAW_ARRAY_TAG = 0x0603;
export const SHARED_ARRAY_TAG = 0x0604;
export const ARRAY_LAYOUT_VERSION = 1;

export const RawArrayLayout = {
  TYPE_INDEX: 1,
  LENGTH_INDEX: 2,
  DATA_BYTE_OFFSET: 16,
} as const;

/** Bytes of a RawArray of `length` elements of `bytes` each. */
export function rawArrayBytes(length: number, bytes: number): number {
  return RawArrayLayout.DATA_BYTE_OFFSET + length * bytes;
}
