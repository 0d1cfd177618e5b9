/**
 * Errors as they leave the server. @ipc errors and JavaScript's built-in error classes travel as themselves
 * (the client rebuilds the same class); anything else becomes a `RemoteError` that keeps the remote class
 * name, message and stack (Python's `managers.RemoteError` carries the remote traceback).
 */

import { isBuiltInError, isProcessError, RemoteError } from '@ipc/core';

/**
 * `error` as it goes to a client. `withStack` (for threads of the server's process) keeps the server's stack;
 * a client in another process or machine gets none (a stack shows the server's files and code).
 */
export function wireError(error: unknown, withStack: boolean): Error {
  const wire = travelling(error);
  if (!withStack) {
    Object.defineProperty(wire, 'stack', {
      value: `${wire.name}: ${wire.message}`,
      configurable: true,
      writable: true,
    });
    if (wire instanceof RemoteError) Object.defineProperty(wire, 'remoteStack', { value: undefined });
  }
  return wire;
}

function travelling(error: unknown): Error {
  if (isProcessError(error)) return error;
  if (isBuiltInError(error)) return error;
  if (error instanceof Error) {
    return new RemoteError(`${error.name}: ${error.message}`, {
      remoteName: error.name,
      ...(error.stack === undefined ? {} : { remoteStack: error.stack }),
    });
  }
  return new RemoteError(`the manager's method threw ${String(error)}`, { remoteName: typeof error });
}
