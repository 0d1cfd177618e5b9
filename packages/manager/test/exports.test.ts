import { createRequire } from 'node:module';
import { describe } from 'vitest';
import { type PackageBuilds, testPublicNames } from '../../../tooling/test/exports.ts';

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

const builds: PackageBuilds = {
  importModule: () => import(PACKAGE),
  requireModule: () => createRequire(import.meta.url)(PACKAGE),
};

describe('the published package', () => {
  testPublicNames(builds, PUBLIC_NAMES);
});
