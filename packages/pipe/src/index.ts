/**
 * @ipc/pipe: Python's `multiprocessing.Pipe` and `Connection` over shared memory, for worker threads, and
 * `multiprocessing.connection`'s `Listener`/`Client` over Unix sockets and TCP.
 */

export { AuthenticationError, BufferTooShort, EOFError, InvalidStateError } from '@ipc/core';
export { Connection, MAX_UNREAD } from './connection/connection.ts';
export { Pipe } from './pipe.ts';
export { wait, waitSync } from './wait.ts';
