/**
 * Message framing on a socket: CPython's `multiprocessing.connection` wire, so that the authentication
 * handshake and raw bytes (`sendBytes`/`recvBytes`) interoperate with Python peers.
 *
 *   length < 2^31:   int32 length, big-endian             then the payload
 *   length >= 2^31:  int32 -1, then uint64 length, big-endian   then the payload
 *
 * (CPython 3.8+ `Connection._send_bytes`/`_recv_bytes`.) Any other negative int32 is not a frame of this
 * protocol. A reader checks the announced length against its limit as soon as the header is in, before it
 * buffers the payload.
 */

/** Bytes of the usual header; of the long one (marker -1 and a 64-bit length). */
const SHORT_HEADER_BYTES = 4;
const LONG_HEADER_BYTES = 12;
const LONG_LENGTH_MARKER = -1;
const SHORT_LENGTH_MAX = 0x7fff_ffff;

/** The header bytes for a payload of `length` bytes. */
export function headerBytes(length: number): number {
  return length > SHORT_LENGTH_MAX ? LONG_HEADER_BYTES : SHORT_HEADER_BYTES;
}

/** Writes the header of a `length`-byte payload at `target[0..)` and returns its size. */
export function writeHeader(target: Uint8Array, length: number): number {
  if (length <= SHORT_LENGTH_MAX) {
    writeUint32(target, 0, length);
    return SHORT_HEADER_BYTES;
  }
  writeUint32(target, 0, LONG_LENGTH_MARKER >>> 0);
  writeUint32(target, 4, Math.floor(length / 2 ** 32));
  writeUint32(target, 8, length >>> 0);
  return LONG_HEADER_BYTES;
}

/** Big-endian, byte by byte: no DataView per frame. */
function writeUint32(target: Uint8Array, at: number, value: number): void {
  target[at] = value >>> 24;
  target[at + 1] = (value >>> 16) & 0xff;
  target[at + 2] = (value >>> 8) & 0xff;
  target[at + 3] = value & 0xff;
}

/** A frame whose header announces a payload over the reader's limit, or no valid length at all. */
export class FrameLengthError extends Error {
  /** The announced payload length (negative for a header that announces none). */
  readonly length: number;

  constructor(length: number, limit: number) {
    super(
      length < 0
        ? `a frame header with a negative length (${length}): bytes of another protocol`
        : `a message of ${length} bytes, over the limit of ${limit} bytes`,
    );
    this.name = 'FrameLengthError';
    this.length = length;
  }
}

/**
 * Collects the bytes read from a socket and cuts them into frames. Frames are taken one at a time, each with
 * the limit in force when it is taken: a handshake reads its frames with a small limit, and what follows the
 * handshake stays unread for the connection, which reads with its own.
 */
export class FrameReader {
  readonly #chunks: Uint8Array[] = [];
  /** Bytes of the first chunk already taken. */
  #head = 0;
  /** Bytes not taken yet, in all chunks. */
  #buffered = 0;

  /** Bytes received and not taken yet: after the peer ended, more than 0 means it stopped inside a frame. */
  get buffered(): number {
    return this.#buffered;
  }

  push(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    this.#chunks.push(chunk);
    this.#buffered += chunk.length;
  }

  /**
   * The next frame's payload, or undefined until all of it is in. A payload that lies within one chunk is a
   * view of it; one that spans chunks is a new array of its own.
   *
   * @throws {FrameLengthError} when the header announces more than `limit` bytes, or a negative length;
   * the frame is not taken then.
   */
  take(limit: number): Uint8Array | undefined {
    if (this.#buffered < SHORT_HEADER_BYTES) return undefined;
    let length = this.#int32(0);
    let header = SHORT_HEADER_BYTES;
    if (length === LONG_LENGTH_MARKER) {
      if (this.#buffered < LONG_HEADER_BYTES) return undefined;
      length = (this.#int32(4) >>> 0) * 2 ** 32 + (this.#int32(8) >>> 0);
      header = LONG_HEADER_BYTES;
    } else if (length < 0) {
      throw new FrameLengthError(length, limit);
    }
    if (length > limit) throw new FrameLengthError(length, limit);
    if (this.#buffered < header + length) return undefined;
    this.#skip(header);
    return this.#read(length);
  }

  /** The big-endian int32 at `offset` bytes past what was taken (which must be buffered). */
  #int32(offset: number): number {
    let value = 0;
    for (let i = 0; i < 4; i++) value = (value << 8) | this.#byteAt(offset + i);
    return value;
  }

  /** The byte `offset` bytes past what was taken; the caller has checked that it is buffered. */
  #byteAt(offset: number): number {
    let at = this.#head + offset;
    let index = 0;
    let chunk = this.#chunks[0] as Uint8Array;
    while (at >= chunk.length) {
      at -= chunk.length;
      index += 1;
      chunk = this.#chunks[index] as Uint8Array;
    }
    return chunk[at] as number;
  }

  #skip(count: number): void {
    let left = count;
    while (left > 0) {
      const first = this.#chunks[0] as Uint8Array;
      const step = Math.min(left, first.length - this.#head);
      this.#advance(step);
      left -= step;
    }
  }

  #read(length: number): Uint8Array {
    const first = this.#chunks[0];
    if (first !== undefined && first.length - this.#head >= length) {
      const payload = first.subarray(this.#head, this.#head + length);
      this.#advance(length);
      return payload;
    }
    // Spread over chunks: one copy into an array of its own (not zero-filled first: it is all overwritten).
    const payload = new Uint8Array(Buffer.allocUnsafeSlow(length).buffer, 0, length);
    let filled = 0;
    while (filled < length) {
      const chunk = this.#chunks[0] as Uint8Array;
      const step = Math.min(length - filled, chunk.length - this.#head);
      payload.set(chunk.subarray(this.#head, this.#head + step), filled);
      filled += step;
      this.#advance(step);
    }
    return payload;
  }

  /** Marks `count` bytes of the first chunk taken; drops the chunk once all of it is. */
  #advance(count: number): void {
    this.#head += count;
    this.#buffered -= count;
    if (this.#head === (this.#chunks[0] as Uint8Array).length) {
      this.#chunks.shift();
      this.#head = 0;
    }
  }
}
