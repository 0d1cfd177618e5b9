import { createRequire } from 'node:module';
import { describe } from 'vitest';
import { type PackageBuilds, testPublicNames } from '../../../tooling/test/exports.ts';

/** The public runtime surface of @ipc/core. A change here is a change to the contract: update docs/core.md. */
const PUBLIC_NAMES = [
  'callerModuleUrl',
  'definePortableType',
  'isPortable',
  'Portable',
  'PORTABLE_TYPE',
  'portableTypeNamed',
  'sharedTypeNamed',
  'forgetHandles',
  'fairlyResolved',
  'MAX_RING_BYTES',
  'PayloadEncoder',
  'RING_EMPTY',
  'RING_FULL',
  'RING_HEADER_BYTES',
  'RING_HEADER_WORDS',
  'RING_OPEN',
  'RING_SHUT',
  'RingConsumerJournal',
  'RingGrowJournal',
  'RingLayout',
  'RingProducerJournal',
  'RingRecord',
  'initRing',
  'recordBytes',
  'releaseRing',
  'ringCapacity',
  'ringMessageCount',
  'ringSettlePuts',
  'ringTryGet',
  'ringTryPut',
  'ringView',
  'AuthenticationError',
  'BrokenBarrierError',
  'BufferTooShort',
  'DataCodec',
  'DEFAULT_SPIN_ASYNC',
  'DEFAULT_SPIN_SYNC',
  'EOFError',
  'Empty',
  'Full',
  'Futex',
  'Heap',
  'InvalidStateError',
  'ProcessError',
  'RemoteError',
  'SHARED_BLOCK',
  'SharedBlock',
  'SharedHandle',
  'ShutDown',
  'WAITABLE',
  'StructuredCodec',
  'TimeoutError',
  'attachShared',
  'checkCount',
  'checkTag',
  'checkTimeout',
  'currentThreadToken',
  'dataCodec',
  'deadlineAfter',
  'enterGuard',
  'defineSharedType',
  'isGuardAbandoned',
  'isBuiltInError',
  'isProcessError',
  'isShareable',
  'isThreadAlive',
  'isWaitable',
  'leaveGuard',
  'markThreadExited',
  'parkUntil',
  'parkUntilSync',
  'planTimed',
  'planWait',
  'revive',
  'share',
  'sharedTypeModules',
  'structuredCodec',
  'tagWord',
  'wakeParked',
];

/**
 * Resolved through the package's own `exports` (self-reference) to the build; a variable, so that type-checking
 * does not need the build to exist.
 */
const PACKAGE: string = '@ipc/core';

const builds: PackageBuilds = {
  importModule: () => import(PACKAGE),
  requireModule: () => createRequire(import.meta.url)(PACKAGE),
};

describe('the published package', () => {
  testPublicNames(builds, PUBLIC_NAMES);
});
