import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';

const SOURCE_DIR = new URL('./src/', import.meta.url);

/** Every scenario: one `.ts` file directly under `src/`. */
export function scenarioFiles(): string[] {
  return readdirSync(SOURCE_DIR)
    .filter((name) => name.endsWith('.ts'))
    .sort();
}

/** The result of running one scenario as a user would: `node --import tsx <file>`. */
export interface ScenarioRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs one scenario in its own Node process, with a guard so a hang fails instead of stalling. The guard
 * leaves room for the biggest scenario: 50 processes, each loading tsx, take about 15 s on 2 cores.
 */
export function runScenario(file: string, timeoutMs = 60_000): ScenarioRun {
  const result = spawnSync(process.execPath, ['--import', 'tsx', new URL(file, SOURCE_DIR).pathname], {
    encoding: 'utf8',
    timeout: timeoutMs,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
