/**
 * The message codec: how a queue or pipe turns a value into bytes in shared memory and back (design.md §7).
 */

/**
 * Turns values into bytes and back. Queues and pipes take one through their `codec` option; raw-byte calls
 * (`sendBytes`) bypass it.
 *
 * `encode` must throw, in the caller, for a value it cannot carry; `decode` must not keep references into
 * `bytes` after it returns (the memory is reused for the next message).
 */
export interface Codec<T = unknown> {
  encode(value: T): Uint8Array;
  decode(bytes: Uint8Array): T;
}
