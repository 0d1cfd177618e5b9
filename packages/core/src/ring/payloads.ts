/**
 * How a put hands its message to the ring (ring.ts `Payload`) without allocating: encoded into the codec's
 * scratch memory and copied into the ring under the guard, or, for what the codec can write in place (a
 * typed array), encoded straight into the ring: one copy instead of two.
 */

import type { Codec } from '../codec/codec.ts';
import type { Payload } from './ring.ts';

const NO_BYTES = new Uint8Array(0);

/** Copies up to this many bytes with a loop: cheaper than `set()` (a builtin call and a subarray). */
const SMALL_COPY_BYTES = 64;

/** A message's encoded bytes `bytes[start..start + length)`, copied into the ring by the put. */
class CopiedPayload implements Payload {
  bytes: Uint8Array = NO_BYTES;
  start = 0;
  length = 0;

  set(bytes: Uint8Array, start: number, end: number): this {
    this.bytes = bytes;
    this.start = start;
    this.length = end - start;
    return this;
  }

  writeTo(target: Uint8Array, offset: number): void {
    const { bytes, start, length } = this;
    if (length <= SMALL_COPY_BYTES) {
      for (let i = 0; i < length; i++) target[offset + i] = bytes[start + i] as number;
    } else {
      target.set(bytes.subarray(start, start + length), offset);
    }
  }
}

/** A message the codec writes straight into the ring or its heap block. */
class InPlacePayload<T> implements Payload {
  value: T | undefined;
  length = 0;
  readonly #codec: Codec<T>;

  constructor(codec: Codec<T>) {
    this.#codec = codec;
  }

  /** Called once, by the put that stores the item: the reference is dropped then, so that it can be collected. */
  writeTo(target: Uint8Array, offset: number): void {
    const value = this.value as T;
    this.value = undefined;
    this.#codec.encodeInto?.(value, target, offset);
  }
}

/**
 * Turns items into payloads with one codec, reusing two payload objects: a payload is valid until the next
 * `encode` in this thread, unless `detach`ed.
 */
export class PayloadEncoder<T> {
  /** The codec this encoder writes with. */
  readonly codec: Codec<T>;
  readonly #copied = new CopiedPayload();
  readonly #inPlace: InPlacePayload<T>;

  constructor(codec: Codec<T>) {
    this.codec = codec;
    this.#inPlace = new InPlacePayload(codec);
  }

  /** Encodes `item` now, so that an item that cannot travel throws here, before any room is taken. */
  encode(item: T): Payload {
    const codec = this.codec;
    const length = codec.encodedLength === undefined ? -1 : codec.encodedLength(item);
    if (length >= 0 && codec.encodeInto !== undefined) {
      const inPlace = this.#inPlace;
      inPlace.value = item;
      inPlace.length = length;
      return inPlace;
    }
    if (codec.encodeScratch !== undefined) {
      const { bytes, start, end } = codec.encodeScratch(item);
      return this.#copied.set(bytes, start, end);
    }
    const bytes = codec.encode(item);
    return this.#copied.set(bytes, 0, bytes.length);
  }

  /**
   * A payload of its own, for a put that has to wait: the bytes copied out of the scratch memory, or, for an
   * in-place one, encoded now (what is put is the item as it was at the call: nothing ran in between).
   */
  detach(payload: Payload, item: T): Payload {
    this.#inPlace.value = undefined;
    if (payload instanceof CopiedPayload) {
      const bytes = payload.bytes.slice(payload.start, payload.start + payload.length);
      return new CopiedPayload().set(bytes, 0, bytes.length);
    }
    const bytes = this.codec.encode(item);
    return new CopiedPayload().set(bytes, 0, bytes.length);
  }
}
