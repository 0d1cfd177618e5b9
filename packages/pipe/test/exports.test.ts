import { createRequire } from 'node:module';
import { describe } from 'vitest';
import { type PackageBuilds, testPublicNames } from '../../../tooling/test/exports.ts';

/** The public runtime surface of @ipc/pipe. A change here is a change to the contract: update docs/pipe.md. */
const PUBLIC_NAMES = [
  'AuthenticationError',
  'BufferTooShort',
  'Client',
  'Connection',
  'EOFError',
  'InvalidStateError',
  'Listener',
  'MAX_UNREAD',
  'Pipe',
  'SocketConnection',
  'wait',
  'waitSync',
];

/** Resolved through the package's own `exports` (self-reference) to the build. */
const PACKAGE: string = '@ipc/pipe';

const builds: PackageBuilds = {
  importModule: () => import(PACKAGE),
  requireModule: () => createRequire(import.meta.url)(PACKAGE),
};

describe('the published package', () => {
  testPublicNames(builds, PUBLIC_NAMES);
});
