import { describe, expect, it } from 'vitest';
import { runScenario, scenarioFiles } from '../scenarios.ts';

/** What each scenario must print; every file in src/ needs an entry, so a new scenario needs a test. */
const EXPECTED_OUTPUT: Record<string, RegExp[]> = {
  'core-share-a-futex.ts': [/main: waiting for the worker/, /worker: storing 42/, /main: worker answered=true value=42/],
  'process-attributes.ts': [
    // The main goes on only after all three are done (their own order depends on start-up times).
    /^(?=[\s\S]*Process-1 \(pid \d+\) is working)(?=[\s\S]*Process-2 \(pid \d+\) is working)(?=[\s\S]*Process-3 \(pid \d+\) is working)/,
    /^(?:(?!main program)[\s\S])*Process-1 is done[\s\S]*main program: all joined, exit codes 0 0 0/,
    /^(?:(?!main program)[\s\S])*Process-2 is done[\s\S]*main program: all joined/,
    /^(?:(?!main program)[\s\S])*Process-3 is done[\s\S]*main program: all joined/,
    /isAlive right after terminate: true\n/,
    /isAlive after join: false, exitcode -15\n/,
    /name: victim, pid: \d+\n/,
    /main program ends; daemon-guard is a daemon and ends with it \(alive now: true\)\n/,
  ],
};

/** What a scenario must never print. */
const FORBIDDEN_OUTPUT: Record<string, RegExp[]> = {
  // The daemon is terminated when the main program ends, long before its 60 s of work.
  'process-attributes.ts': [/daemon-guard is done/, /victim is done/],
};

describe('examples', () => {
  it('every scenario has expectations', () => {
    expect(scenarioFiles().sort()).toEqual(Object.keys(EXPECTED_OUTPUT).sort());
  });

  it.each(Object.entries(EXPECTED_OUTPUT))('%s runs and prints what it should', (file, patterns) => {
    const run = runScenario(file);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    for (const pattern of patterns) expect(run.stdout).toMatch(pattern);
    for (const pattern of FORBIDDEN_OUTPUT[file] ?? []) expect(run.stdout).not.toMatch(pattern);
  });
});
