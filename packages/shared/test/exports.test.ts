import { createRequire } from 'node:module';
import { describe } from 'vitest';
import { type PackageBuilds, testPublicNames } from '../../../tooling/test/exports.ts';

/** The public runtime surface of @ipc/shared. A change here is a change to the contract: update docs/shared.md. */
const PUBLIC_NAMES = [
  'Array',
  'checkElement',
  'elementType',
  'InvalidStateError',
  'RawArray',
  'RawValue',
  'SharedArray',
  'Value',
];

/** Resolved through the package's own `exports` (self-reference) to the build. */
const PACKAGE: string = '@ipc/shared';

const builds: PackageBuilds = {
  importModule: () => import(PACKAGE),
  requireModule: () => createRequire(import.meta.url)(PACKAGE),
};

describe('the published package', () => {
  testPublicNames(builds, PUBLIC_NAMES);
});
