/**
 * @ipc/pipe: Python's `multiprocessing.Pipe` and `Connection` over shared memory, for worker threads, and
 * `multiprocessing.connection`'s `Listener`/`Client` over Unix sockets and TCP.
 */

export { AuthenticationError, BufferTooShort, EOFError, InvalidStateError } from '@ipc/core';
export { Connection, MAX_UNREAD } from './connection/connection.ts';
export { Pipe, type PipeOptions } from './pipe.ts';
export type { SocketAddress, TcpAddress } from './socket/address.ts';
export type { ByteSource } from './socket/byte-ranges.ts';
export { Client, type ClientOptions } from './socket/client.ts';
export { Listener, type ListenerOptions } from './socket/listener.ts';
export type { ConnectionOptions } from './socket/options.ts';
export { SocketConnection } from './socket/socket-connection.ts';
export { wait, waitSync } from './wait.ts';
