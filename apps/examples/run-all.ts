// `pnpm examples`: runs every scenario in src/ and shows its output; exits non-zero if any failed.
import { runScenario, scenarioFiles } from './scenarios.ts';

let failed = 0;
for (const file of scenarioFiles()) {
  console.log(`\n=== ${file}`);
  const run = runScenario(file);
  process.stdout.write(run.stdout);
  process.stderr.write(run.stderr);
  if (run.status !== 0) {
    failed++;
    console.log(`--- ${file} failed (exit ${run.status})`);
  }
}
console.log(`\n${scenarioFiles().length - failed} scenarios ran, ${failed} failed`);
process.exitCode = failed === 0 ? 0 : 1;
