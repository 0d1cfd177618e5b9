import { packageBuild } from '../../tooling/tsup.preset.ts';

// Two entries: the public API, and the bootstrap every Process worker starts from (dist/child.js). ESM code
// splitting puts their shared modules in one chunk, so a child that imports '@ipc/process' shares state
// with its bootstrap.
export default packageBuild({ entry: { index: 'src/index.ts', child: 'src/child/bootstrap.ts' } });
