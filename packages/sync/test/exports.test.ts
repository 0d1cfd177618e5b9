import { createRequire } from 'node:module';
import { SHARED_BLOCK } from '@ipc/core';
import { describe, expect, it } from 'vitest';
import { type PackageBuilds, testPublicNames } from '../../../tooling/test/exports.ts';
import { ConditionLayout, LOCK_KIND_RLOCK } from '../src/condition/layout.ts';

/** The public runtime surface of @ipc/sync. A change here is a change to the contract: update docs/sync.md. */
const PUBLIC_NAMES = [
  'Acquirable',
  'Barrier',
  'BoundedSemaphore',
  'BrokenBarrierError',
  'Condition',
  'Event',
  'InvalidStateError',
  'LIVENESS_POLL_MS',
  'Lock',
  'RLock',
  'Semaphore',
  'TimeoutError',
];

/** Resolved through the package's own `exports` (self-reference) to the build. */
const PACKAGE: string = '@ipc/sync';

const builds: PackageBuilds = {
  importModule: () => import(PACKAGE),
  requireModule: () => createRequire(import.meta.url)(PACKAGE),
};

describe('the published package', () => {
  testPublicNames(builds, PUBLIC_NAMES);

  it('its ESM and CJS builds accept each other’s primitives', async () => {
    const esm = (await builds.importModule()) as typeof import('@ipc/sync');
    const cjs = builds.requireModule() as typeof import('@ipc/sync');
    const lock = new esm.Lock();
    const condition = new cjs.Condition(lock);
    expect(condition.lock).toBe(lock);
    condition.acquireSync();
    expect(condition.waitSync(10)).toBe(false);
    condition.release();
    // An RLock of the other build is recorded as an RLock, so other threads revive it as one.
    const overRLock = new esm.Condition(new cjs.RLock());
    expect(overRLock[SHARED_BLOCK].int32()[ConditionLayout.LOCK_KIND_INDEX]).toBe(LOCK_KIND_RLOCK);
  });
});
