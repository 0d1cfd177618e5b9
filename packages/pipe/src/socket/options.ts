/**
 * The options a socket connection takes, on both sides (`Listener` and `Client`), checked once.
 */

import { constants } from 'node:buffer';
import { type Codec, checkTimeout, dataCodec } from '@ipc/core';

/** The largest message a connection sends or receives unless told otherwise: 64 MiB. */
const DEFAULT_MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

/** How long the authentication handshake may take unless told otherwise: 10 s. */
const DEFAULT_HANDSHAKE_TIMEOUT_MS = 10_000;

/**
 * Options of a socket connection, given to `new Listener(...)` (for every connection it accepts) or to
 * `Client(...)`.
 */
export interface ConnectionOptions {
  /**
   * The shared secret both ends must know. With one, each end proves it to the other with an HMAC challenge
   * before anything else is read (CPython's protocol; see docs/pipe.md). Without one (the default) there is
   * no handshake, as with Python's `authkey=None`. A string is used as its UTF-8 bytes.
   */
  authkey?: Uint8Array | string | null | undefined;
  /**
   * The largest message, in bytes, this end sends or accepts (default 64 MiB). A bigger `send` throws
   * `RangeError`; a bigger message from the peer closes the connection with an error.
   */
  maxMessageBytes?: number | undefined;
  /**
   * Milliseconds the authentication handshake may take (default 10 000); `null` for no limit. Only used with
   * an `authkey`.
   */
  handshakeTimeout?: number | null | undefined;
  /**
   * How `send`/`recv` turn values into bytes (default `dataCodec` from @ipc/core, which carries data only).
   * A codec used here decodes bytes from another process: it must never run code or attach shared memory.
   */
  codec?: Codec | undefined;
}

/** Options after checking. */
export interface ResolvedOptions {
  readonly authkey: Buffer | undefined;
  readonly maxMessageBytes: number;
  readonly handshakeTimeout: number | undefined;
  readonly codec: Codec;
}

/**
 * Checks `options`.
 *
 * @throws {TypeError} for an authkey that is not bytes or a string, a codec without encode/decode, a
 * non-number size or timeout; {RangeError} for an empty authkey, a size that is not a positive integer (up to
 * Node's largest Buffer), a NaN or infinite timeout.
 */
export function resolveOptions(options: ConnectionOptions): ResolvedOptions {
  const { authkey, maxMessageBytes = DEFAULT_MAX_MESSAGE_BYTES, handshakeTimeout, codec = dataCodec } = options;
  if (typeof maxMessageBytes !== 'number') {
    throw new TypeError(`maxMessageBytes must be a number of bytes, got ${typeof maxMessageBytes}`);
  }
  if (!Number.isInteger(maxMessageBytes) || maxMessageBytes < 1 || maxMessageBytes > constants.MAX_LENGTH) {
    throw new RangeError(`maxMessageBytes must be an integer in 1..${constants.MAX_LENGTH}, got ${maxMessageBytes}`);
  }
  if (typeof codec?.encode !== 'function' || typeof codec.decode !== 'function') {
    throw new TypeError('codec must have encode(value) and decode(bytes) methods');
  }
  return {
    authkey: authkeyBytes(authkey),
    maxMessageBytes,
    handshakeTimeout:
      handshakeTimeout === undefined
        ? DEFAULT_HANDSHAKE_TIMEOUT_MS
        : (checkTimeout(handshakeTimeout, 'handshakeTimeout') ?? undefined),
    codec,
  };
}

function authkeyBytes(authkey: ConnectionOptions['authkey']): Buffer | undefined {
  if (authkey === undefined || authkey === null) return undefined;
  let bytes: Buffer;
  if (typeof authkey === 'string') bytes = Buffer.from(authkey, 'utf8');
  else if (authkey instanceof Uint8Array) bytes = Buffer.from(authkey);
  else throw new TypeError(`authkey must be a Uint8Array, a Buffer or a string, got ${typeof authkey}`);
  if (bytes.length === 0) throw new RangeError('authkey must not be empty: omit it for no authentication');
  return bytes;
}
