/**
 * `Client()`: Python's `multiprocessing.connection.Client` over a Unix socket or TCP.
 */

import { connect, type Socket } from 'node:net';
import { checkAddress, connectOptions, type SocketAddress } from './address.ts';
import { authenticate } from './authenticate.ts';
import { FrameReader } from './frame.ts';
import { type ConnectionOptions, resolveOptions } from './options.ts';
import { createConnection, type SocketConnection } from './socket-connection.ts';

/** Options of {@link Client}: those of the connection it makes. */
export type ClientOptions = ConnectionOptions;

/** Resolves once `socket` is connected; rejects with the connect error (ECONNREFUSED, ENOENT, ...). */
function connected(socket: Socket): Promise<void> {
  return new Promise((resolve, reject) => {
    const failed = (error: Error): void => {
      socket.off('connect', done);
      reject(error);
    };
    const done = (): void => {
      socket.off('error', failed);
      resolve();
    };
    socket.once('connect', done);
    socket.once('error', failed);
  });
}

/**
 * Connects to a {@link Listener} (or to CPython's `multiprocessing.connection.Listener`, for raw bytes) at
 * `address`, and authenticates both ways when given an `authkey` (which must be the listener's).
 *
 * **Python equivalent:** `multiprocessing.connection.Client(address, authkey=...)`. A function, as in
 * Python, that resolves with the connection.
 *
 * **When to use:** to reach a listener in another process or on another machine.
 *
 * @example
 * ```ts
 * const conn = await Client<{ op: string }>('/tmp/app.sock', { authkey: 'secret' });
 * await conn.send({ op: 'ping' });
 * console.log(await conn.recv());
 * conn.close();
 * ```
 *
 * @throws {TypeError}/{RangeError} for a bad address or option; the connect error as Node reports it
 * (`ECONNREFUSED`, `ENOENT` for a socket path nobody listens on); {AuthenticationError} when the handshake
 * fails (wrong authkey, a listener without one, no answer within `handshakeTimeout`).
 */
export async function Client<T = unknown>(
  address: SocketAddress,
  options: ClientOptions = {},
): Promise<SocketConnection<T>> {
  const where = checkAddress(address, 'connect');
  const resolved = resolveOptions(options);
  const socket = connect(connectOptions(where));
  await connected(socket);
  socket.setNoDelay(true);
  if (resolved.authkey === undefined) {
    socket.pause();
    return createConnection<T>(socket, new FrameReader(), resolved);
  }
  const reader = await authenticate(socket, 'client', resolved.authkey, resolved.handshakeTimeout);
  return createConnection<T>(socket, reader, resolved);
}
