/**
 * `pnpm bench:suite <package> [args]`: one package's detailed benchmark (more rows and sections than the
 * summary), e.g. `pnpm bench:suite queue objects --repetitions=9`. Each suite reads its own arguments.
 */

import process from 'node:process';

const SUITES = ['core', 'sync', 'queue', 'pipe', 'shared', 'manager', 'process'] as const;

const [suite] = process.argv.splice(2, 1);
if (suite === undefined || !(SUITES as readonly string[]).includes(suite)) {
  console.error(`usage: pnpm bench:suite <${SUITES.join('|')}> [args]`);
  process.exitCode = 2;
} else {
  await import(`./${suite}/run.ts`);
}
