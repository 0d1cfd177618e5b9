/**
 * Memory layout of a `RawValue` and of a `Value` (its lock-guarded form, a block of its own that names a
 * RawValue and a lock, so that `getObj()` returns the raw value as an object of its own, as in Python).
 *
 * RawValue:
 *   word 0   TAG_VERSION  RAW_VALUE_TAG << 16 | VALUE_LAYOUT_VERSION                     written once
 *   word 1   TYPE         the element type's id (typecodes.ts)                           written once
 *   words 2..3  reserved (0)
 *   bytes 16..23  the value: 1 to 8 bytes at the start, 8-aligned (any element type fits)   any thread
 *
 * Value:
 *   word 0   TAG_VERSION  VALUE_TAG << 16 | VALUE_LAYOUT_VERSION                         written once
 *   word 1   RAW          heap byte offset of its RawValue (uint32)                       written once
 *   word 2   LOCK         heap byte offset of its Lock or RLock (uint32)                  written once
 *   word 3   LOCK_KIND    LOCK_KIND_LOCK or LOCK_KIND_RLOCK                               written once
 * The RawValue and the lock are pinned when the Value is made (other threads revive them from these
 * offsets, as a Condition does its lock).
 */

export const RAW_VALUE_TAG = 0x0601;
export const VALUE_TAG = 0x0602;
export const VALUE_LAYOUT_VERSION = 1;

export const RawValueLayout = {
  TYPE_INDEX: 1,
  DATA_BYTE_OFFSET: 16,
} as const;

export const RAW_VALUE_BYTES = 24;

export const ValueLayout = {
  RAW_INDEX: 1,
  LOCK_INDEX: 2,
  LOCK_KIND_INDEX: 3,
} as const;

export const VALUE_BYTES = 16;

export const LOCK_KIND_LOCK = 1;
export const LOCK_KIND_RLOCK = 2;
