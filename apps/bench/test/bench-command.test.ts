import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { commandAvailable } from '../src/harness/child-report.ts';
import type { BenchResults } from '../src/results.ts';

const APP = fileURLToPath(new URL('..', import.meta.url));
const out = mkdtempSync(join(tmpdir(), 'ipc-bench-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

/** Runs `pnpm bench`'s program (as the package script does, under tsx) with `args`; 60 s at most. */
function bench(args: readonly string[]) {
  return spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts', ...args], {
    cwd: APP,
    encoding: 'utf8',
    timeout: 60_000,
    killSignal: 'SIGKILL',
  });
}

describe('the bench command', () => {
  it('runs a scenario on every side, checks it, prints the table and writes the three files', () => {
    const run = bench(['--quick', '--only=lock-value', '--repetitions=1', `--out=${out}`]);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain('Lock + Value increment');
    const results = JSON.parse(readFileSync(join(out, 'benchmarks.json'), 'utf8')) as BenchResults;
    expect(results).toMatchObject({ mode: 'quick', repetitions: 1 });
    const [scenario] = results.scenarios;
    expect(scenario?.id).toBe('lock-value');
    const sides = scenario?.rows.filter((row) => row.samples.length === 1).map((row) => row.side);
    if (commandAvailable('python3')) expect(sides).toEqual(['ipc', 'ipc', 'cpython', 'floor']);
    else {
      expect(sides).toEqual(['ipc', 'ipc', 'floor']);
      expect(run.stdout).toContain('python3 not found');
    }
    expect(scenario?.targets[0]?.reached).toBeGreaterThan(0);
    expect(readFileSync(join(out, 'benchmarks.svg'), 'utf8')).toMatch(/^<svg/);
    expect(readFileSync(join(out, 'benchmarks.md'), 'utf8')).toContain('benchmarks.svg');
  }, 70_000);

  it('refuses an unknown flag before running anything', () => {
    const run = bench(['--fastest']);
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain('unknown argument --fastest');
  }, 30_000);
});
