import { packageBuild } from '../../tooling/tsup.preset.ts';

// Two entries: the public API, and the module a started manager's server Process runs (dist/server-process.js).
// ESM code splitting puts their shared modules in one chunk, so the server shares state with the package.
export default packageBuild({ entry: { index: 'src/index.ts', 'server-process': 'src/server/server-process.ts' } });
