/**
 * The check every package's `test/exports.test.ts` makes of its `exports` map: the built package, loaded
 * through the map as ESM and as CJS, exports exactly the package's public names.
 *
 * The test passes its own loaders: a package's import of its own name (self-reference) resolves from the
 * importing file, so `import()` and `require()` must be called from the package's test, not from here.
 */

import { expect, it } from 'vitest';

/** How a package's test loads its built package through its own `exports` map. */
export interface PackageBuilds {
  /** `() => import(PACKAGE)`: the ESM build. */
  importModule: () => Promise<unknown>;
  /** `() => createRequire(import.meta.url)(PACKAGE)`: the CJS build. */
  requireModule: () => unknown;
}

/** Adds to the current `describe` one test per build, each checking that the build exports exactly `names`. */
export function testPublicNames(builds: PackageBuilds, names: readonly string[]): void {
  const expected = [...names].sort();

  it('exports exactly the public names from its ESM build', async () => {
    expect(Object.keys((await builds.importModule()) as object).sort()).toEqual(expected);
  });

  it('exports the same names from its CJS build', () => {
    expect(Object.keys(builds.requireModule() as object).sort()).toEqual(expected);
  });
}
