import { packageBuild } from '../../tooling/tsup.preset.ts';

// Two entries: the public API, and the bootstrap every Process worker starts from (dist/child.js). ESM code
// splitting puts their shared modules in one chunk, so a child that imports '@ipc/process' shares state
// with its bootstrap.
// keepNames: classes keep their names (`Process.name` is 'Process', not esbuild's '_Process'), which users see
// in default process names. Not in the preset: it wraps every function expression in a naming call, which
// costs on hot paths (core's futex waits slowed 4x with it).
export default packageBuild({ entry: { index: 'src/index.ts', child: 'src/child/bootstrap.ts' }, keepNames: true });
