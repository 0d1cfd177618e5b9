/**
 * Socket addresses, as Python's `multiprocessing.connection` takes them: a string is a Unix socket path (or a
 * Windows named pipe), `{ host, port }` is TCP (Python's `(host, port)` tuple).
 */

import { randomBytes } from 'node:crypto';
import type { ListenOptions, NetConnectOpts, Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A TCP address. `port: 0` asks a listener for any free port; its `address` then reports the real one. */
export interface TcpAddress {
  readonly host: string;
  readonly port: number;
}

/**
 * Where a `Listener` listens and a `Client` connects: a Unix socket path (a string), or a TCP `{ host, port }`.
 *
 * **Python equivalent:** the `address` of `multiprocessing.connection.Listener`/`Client` (`'/tmp/x.sock'`,
 * `('localhost', 6000)`).
 */
export type SocketAddress = string | TcpAddress;

/**
 * Checks an address given by the user.
 *
 * @throws {TypeError} for anything but a non-empty string or `{ host: string, port: number }`; {RangeError}
 * for a port that is not an integer in 0..65535 (1..65535 to connect).
 */
export function checkAddress(address: unknown, use: 'listen' | 'connect'): SocketAddress {
  if (typeof address === 'string') {
    if (address === '') throw new TypeError('address must be a socket path or { host, port }, got an empty string');
    return address;
  }
  if (typeof address !== 'object' || address === null) {
    throw new TypeError(
      `address must be a socket path or { host, port }, got ${address === null ? 'null' : typeof address}`,
    );
  }
  const { host, port } = address as { host?: unknown; port?: unknown };
  if (typeof host !== 'string' || host === '') throw new TypeError('address.host must be a non-empty string');
  if (typeof port !== 'number') throw new TypeError(`address.port must be a number, got ${typeof port}`);
  const lowest = use === 'listen' ? 0 : 1;
  if (!Number.isInteger(port) || port < lowest || port > 0xffff) {
    throw new RangeError(`address.port must be an integer in ${lowest}..65535, got ${port}`);
  }
  return { host, port };
}

/** A fresh Unix socket path in the temporary directory: what a Listener without an address listens on. */
export function arbitraryAddress(): string {
  return join(tmpdir(), `ipc-listener-${process.pid}-${randomBytes(6).toString('hex')}.sock`);
}

/** What `net.Server.listen` takes for an address. */
export function listenOptions(address: SocketAddress, backlog: number | undefined): ListenOptions {
  const where = typeof address === 'string' ? { path: address } : { host: address.host, port: address.port };
  return backlog === undefined ? where : { ...where, backlog };
}

/** What `net.connect` takes for an address. */
export function connectOptions(address: SocketAddress): NetConnectOpts {
  return typeof address === 'string' ? { path: address } : { host: address.host, port: address.port };
}

/** The address a listening server is bound to (the real port for port 0), or undefined before it is. */
export function boundAddress(server: Server): SocketAddress | undefined {
  const bound = server.address();
  if (bound === null) return undefined;
  return typeof bound === 'string' ? bound : { host: bound.address, port: bound.port };
}
