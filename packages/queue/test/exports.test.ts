import { createRequire } from 'node:module';
import { describe } from 'vitest';
import { type PackageBuilds, testPublicNames } from '../../../tooling/test/exports.ts';

/** The public runtime surface of @ipc/queue. A change here is a change to the contract: update docs/queue.md. */
const PUBLIC_NAMES = [
  'DEFAULT_CAPACITY_BYTES',
  'DEFAULT_TABLE_CAPACITY',
  'Empty',
  'Full',
  'InvalidStateError',
  'JoinableQueue',
  'LifoQueue',
  'PriorityQueue',
  'Queue',
  'ShutDown',
  'SimpleQueue',
];

/** Resolved through the package's own `exports` (self-reference) to the build. */
const PACKAGE: string = '@ipc/queue';

const builds: PackageBuilds = {
  importModule: () => import(PACKAGE),
  requireModule: () => createRequire(import.meta.url)(PACKAGE),
};

describe('the published package', () => {
  testPublicNames(builds, PUBLIC_NAMES);
});
