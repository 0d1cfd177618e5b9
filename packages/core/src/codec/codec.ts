/**
 * The message codec: how a queue or pipe turns a value into bytes in shared memory and back (design.md §7).
 */

/**
 * Encoded bytes that live in the codec's scratch memory: `bytes[start..end)`. Valid only until the codec
 * encodes again in this thread; copy them (or use them) before that.
 */
export interface ScratchBytes {
  readonly bytes: Uint8Array;
  readonly start: number;
  readonly end: number;
}

/**
 * Turns values into bytes and back. Queues and pipes take one through their `codec` option; raw-byte calls
 * (`sendBytes`) bypass it.
 *
 * `encode` must throw, in the caller, for a value it cannot carry; `decode` must not keep references into
 * `bytes` after it returns (the memory is reused for the next message).
 *
 * The optional methods are fast paths a queue or pipe uses when the codec has them. Each produces or reads
 * exactly the bytes `encode`/`decode` would, so a codec may implement any of them, or none.
 */
export interface Codec<T = unknown> {
  encode(value: T): Uint8Array;
  decode(bytes: Uint8Array): T;
  /** `encode`, into scratch memory that is reused by the next call (no allocation per message). */
  encodeScratch?(value: T): ScratchBytes;
  /** `decode(source.subarray(start, end))`, without making the subarray. */
  decodeRange?(source: Uint8Array, start: number, end: number): T;
  /**
   * The exact length of `value`'s encoding when the codec can write it straight into shared memory with
   * {@link Codec.encodeInto} (e.g. a typed array: one copy instead of two), else -1. Throws what `encode`
   * would throw for a value it cannot carry.
   */
  encodedLength?(value: T): number;
  /**
   * Writes the encoding of `value`, the last value given to {@link Codec.encodedLength} in this thread, at
   * `target[offset..offset + length)`. Runs no user code (getters, toJSON...): it may be called while the
   * caller holds a guard.
   */
  encodeInto?(value: T, target: Uint8Array, offset: number): void;
}
