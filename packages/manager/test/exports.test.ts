import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

/** The public runtime surface of @ipc/manager. A change here is a change to the contract: update docs/manager.md. */
const PUBLIC_NAMES = [
  'ArrayProxy',
  'AuthenticationError',
  'AutoProxy',
  'BarrierProxy',
  'BaseManager',
  'BaseProxy',
  'BoundedSemaphoreProxy',
  'BrokenBarrierError',
  'ConditionProxy',
  'DictProxy',
  'Empty',
  'EventProxy',
  'Full',
  'InvalidStateError',
  'JoinableQueueProxy',
  'ListProxy',
  'LockProxy',
  'Manager',
  'NamespaceProxy',
  'QueueProxy',
  'RemoteError',
  'RLockProxy',
  'SemaphoreProxy',
  'ShutDown',
  'TimeoutError',
  'ValueProxy',
];

/** Resolved through the package's own `exports` (self-reference) to the build. */
const PACKAGE: string = '@ipc/manager';

describe('the published package', () => {
  it('exports exactly the public names from its ESM and CJS builds', async () => {
    const esm = (await import(PACKAGE)) as Record<string, unknown>;
    const cjs = createRequire(import.meta.url)(PACKAGE) as Record<string, unknown>;
    expect(Object.keys(esm).sort()).toEqual([...PUBLIC_NAMES].sort());
    expect(Object.keys(cjs).sort()).toEqual([...PUBLIC_NAMES].sort());
  });
});
