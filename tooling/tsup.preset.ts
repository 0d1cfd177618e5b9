import { defineConfig, type Options } from 'tsup';

/**
 * The build every published package uses: ESM + CJS + `.d.ts`/`.d.cts` from `src/index.ts`, for Node 20.
 * A package's `tsup.config.ts` is `export default packageBuild()`, with overrides only when it needs them.
 */
export function packageBuild(overrides: Options = {}) {
  return defineConfig({
    entry: ['src/index.ts'],
    format: ['esm', 'cjs'],
    // tsup 8.5 injects `baseUrl` into the dts build; TypeScript 6 rejects it (TS5101) unless silenced.
    dts: { compilerOptions: { ignoreDeprecations: '6.0' } },
    sourcemap: true,
    clean: true,
    target: 'node20',
    // `import.meta.url` in the CJS build (used to locate worker bootstraps).
    shims: true,
    ...overrides,
  });
}
