import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import {
  AuthenticationError,
  BrokenBarrierError,
  BufferTooShort,
  Empty,
  EOFError,
  Full,
  InvalidStateError,
  isProcessError,
  ProcessError,
  RemoteError,
  revive,
  ShutDown,
  TimeoutError,
} from '../src/index.ts';

const ALL = [
  [ProcessError, 'ERR_IPC_PROCESS'],
  [InvalidStateError, 'ERR_IPC_INVALID_STATE'],
  [Empty, 'ERR_IPC_EMPTY'],
  [Full, 'ERR_IPC_FULL'],
  [ShutDown, 'ERR_IPC_SHUTDOWN'],
  [TimeoutError, 'ERR_IPC_TIMEOUT'],
  [BrokenBarrierError, 'ERR_IPC_BROKEN_BARRIER'],
  [AuthenticationError, 'ERR_IPC_AUTHENTICATION'],
  [EOFError, 'ERR_IPC_EOF'],
] as const;

describe('error classes', () => {
  it.each(ALL)('%o has a stable code, a name, and is a ProcessError and an Error', (Class, code) => {
    const error = new Class('message');
    expect(error.code).toBe(code);
    expect(Class.CODE).toBe(code);
    expect(error.name).toBe(Class.name);
    expect(error.message).toBe('message');
    expect(error).toBeInstanceOf(ProcessError);
    expect(error).toBeInstanceOf(Error);
    expect(error).toBeInstanceOf(Class);
    expect(isProcessError(error)).toBe(true);
    expect(error.stack).toContain('message');
  });

  it('subclasses are not instances of their siblings', () => {
    expect(new Empty('x')).not.toBeInstanceOf(Full);
    expect(new Full('x')).not.toBeInstanceOf(Empty);
    expect(new ProcessError('x')).not.toBeInstanceOf(Empty);
    expect(new Error('x')).not.toBeInstanceOf(ProcessError);
    expect(isProcessError(new Error('x'))).toBe(false);
    expect(isProcessError({ code: 'ERR_IPC_EMPTY' })).toBe(false);
  });

  it('passes cause through', () => {
    const cause = new Error('root');
    expect(new Empty('x', { cause }).cause).toBe(cause);
    expect('cause' in new Empty('x')).toBe(false);
  });

  it('BufferTooShort keeps the whole message and RemoteError the remote side', () => {
    const data = new Uint8Array([1, 2, 3]);
    expect(new BufferTooShort('short', { data }).data).toBe(data);
    const remote = new RemoteError('boom', { remoteName: 'KeyError', remoteStack: 'KeyError: boom\n at x' });
    expect(remote.remoteName).toBe('KeyError');
    expect(remote.remoteStack).toContain('KeyError');
  });

  // Scenario: a thread running a newer @ipc sends an error class this version does not know.
  it('revives an error of an unknown code as a ProcessError that keeps the code', () => {
    const record = { code: 'ERR_IPC_FUTURE', message: 'new', stack: undefined, cause: undefined, fields: {} };
    const error = revive({ $ipc: 'error', error: record }) as ProcessError;
    expect(error).toBeInstanceOf(ProcessError);
    expect(error).not.toBeInstanceOf(Empty);
    expect(error.code).toBe('ERR_IPC_FUTURE');
    expect(isProcessError(error)).toBe(true);
  });

  // Scenario: an app loads @ipc/core through `import`, a dependency through `require`: two module copies.
  it('instanceof works across the ESM and CJS copies of the package', () => {
    const cjs = createRequire(import.meta.url)('../dist/index.cjs') as typeof import('../src/index.ts');
    expect(cjs.Empty).not.toBe(Empty);
    const fromCjs = new cjs.Empty('from cjs');
    expect(fromCjs).toBeInstanceOf(Empty);
    expect(fromCjs).toBeInstanceOf(ProcessError);
    expect(fromCjs).not.toBeInstanceOf(Full);
    expect(new Full('from esm')).toBeInstanceOf(cjs.Full);
    expect(new Full('from esm')).toBeInstanceOf(cjs.ProcessError);
  });
});
