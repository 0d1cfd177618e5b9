/**
 * The argument checks of `sendBytes(buf, offset, size)`, `recvBytes(maxlength)` and
 * `recvBytesInto(buf, offset)`, with CPython's rules and messages (`Connection.send_bytes` and friends).
 * Offsets and sizes count bytes, whatever the element size of a typed array (Python casts the buffer to
 * bytes first).
 */

/** What `sendBytes`/`recvBytesInto` take: any typed array, DataView, Buffer, ArrayBuffer or SharedArrayBuffer. */
export type ByteSource = ArrayBufferView | ArrayBufferLike;

/** The bytes of `buffer` as a Uint8Array over the same memory. */
function bytesOf(buffer: unknown, name: string): Uint8Array {
  if (ArrayBuffer.isView(buffer)) return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  if (buffer instanceof ArrayBuffer || buffer instanceof SharedArrayBuffer) return new Uint8Array(buffer);
  throw new TypeError(
    `${name} must be a typed array, DataView, Buffer or ArrayBuffer, got ${buffer === null ? 'null' : typeof buffer}`,
  );
}

function checkInteger(value: unknown, name: string): number {
  if (typeof value !== 'number') throw new TypeError(`${name} must be a number of bytes, got ${typeof value}`);
  if (!Number.isInteger(value)) throw new RangeError(`${name} must be an integer number of bytes, got ${value}`);
  return value;
}

/**
 * `buf[offset..offset + size)` as bytes, to send. `size` defaults to the rest of the buffer.
 *
 * @throws {TypeError} for a buffer or number of the wrong type; {RangeError} for a negative or fractional
 * offset or size, or a range past the end of the buffer.
 */
export function sendRange(buf: unknown, offset: unknown, size: unknown): Uint8Array {
  const bytes = bytesOf(buf, 'buf');
  const start = checkInteger(offset, 'offset');
  if (start < 0) throw new RangeError(`offset is negative: ${start}`);
  if (start > bytes.length) throw new RangeError(`buffer length < offset: ${bytes.length} < ${start}`);
  const count = size === undefined ? bytes.length - start : checkInteger(size, 'size');
  if (count < 0) throw new RangeError(`size is negative: ${count}`);
  if (start + count > bytes.length) {
    throw new RangeError(`buffer length < offset + size: ${bytes.length} < ${start} + ${count}`);
  }
  return bytes.subarray(start, start + count);
}

/**
 * `recvBytes`' `maxlength`: undefined or null for no limit, else an integer of at least 0.
 *
 * @throws {TypeError}/{RangeError} as {@link sendRange} does.
 */
export function checkMaxLength(maxlength: unknown): number | undefined {
  if (maxlength === undefined || maxlength === null) return undefined;
  const limit = checkInteger(maxlength, 'maxlength');
  if (limit < 0) throw new RangeError(`negative maxlength: ${limit}`);
  return limit;
}

/**
 * The writable bytes of `buf` from `offset` on, for `recvBytesInto`.
 *
 * @throws {TypeError}/{RangeError} as {@link sendRange} does, for an offset below 0 or past the end.
 */
export function receiveRange(buf: unknown, offset: unknown): Uint8Array {
  const bytes = bytesOf(buf, 'buf');
  const start = checkInteger(offset, 'offset');
  if (start < 0) throw new RangeError(`negative offset: ${start}`);
  if (start > bytes.length) throw new RangeError(`offset too large: ${start} > ${bytes.length}`);
  return bytes.subarray(start);
}
