import { describe, expect, it } from 'vitest';
import { runScenario, scenarioFiles } from '../scenarios.ts';

/** What each scenario must print; every file in src/ needs an entry, so a new scenario needs a test. */
const EXPECTED_OUTPUT: Record<string, RegExp[]> = {
  'core-share-a-futex.ts': [
    /main: waiting for the worker/,
    /worker: storing 42/,
    /main: worker answered=true value=42/,
  ],
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
  'sync-lock-toilet.ts': [
    /^(?:task\[\d+\] (?:enters|leaves) the toilet\n){6}main: everyone is done \(exit codes 0 0 0\), lock free: true\n$/,
  ],
  'sync-lock-ticket-sale.ts': [
    /^main: 3 tickets for 50 buyers\n/,
    /main: all 50 buyers done \(0 failed\); the file says 0 ticket\(s\) left\n$/,
  ],
  'sync-semaphore-limit.ts': [
    /^main: 8 workers, at most 3 at once\n/,
    /main: all done \(exit codes 0 0 0 0 0 0 0 0\)\n/,
    /main: at most [123] ran at once \(limit 3\); permits back: 3\n$/,
  ],
};

/** What a scenario must never print. */
const FORBIDDEN_OUTPUT: Record<string, RegExp[]> = {
  // The daemon is terminated when the main program ends, long before its 60 s of work.
  'process-attributes.ts': [/daemon-guard is done/, /victim is done/],
};

/** Properties of the output that patterns cannot state well: what the primitive guarantees. */
const INVARIANTS: Record<string, (stdout: string) => void> = {
  'sync-lock-toilet.ts': (stdout) => {
    // Mutual exclusion: each task leaves before the next one enters, and all three get in.
    const visits = [...stdout.matchAll(/^task\[(\d+)\] (enters|leaves) the toilet$/gm)].map(([, who, what]) => ({
      who,
      what,
    }));
    expect(visits.map((v) => v.what)).toEqual(['enters', 'leaves', 'enters', 'leaves', 'enters', 'leaves']);
    for (let i = 0; i < visits.length; i += 2) expect(visits[i + 1]?.who).toBe(visits[i]?.who);
    expect(new Set(visits.map((v) => v.who)).size).toBe(3);
  },
  'sync-lock-ticket-sale.ts': (stdout) => {
    // Every buyer looked, then tried to buy.
    expect(stdout.match(/^Process-\d+ sees [0-3] ticket\(s\) left$/gm)).toHaveLength(50);
    // Exactly 3 bought, as tickets 3, 2, 1: each purchase read what the previous one wrote, so no ticket
    // was sold twice (the file's final 0 is checked by the pattern above).
    const sold = [...stdout.matchAll(/^(Process-\d+) bought ticket #(\d+)$/gm)];
    expect(sold.map(([, , ticket]) => ticket)).toEqual(['3', '2', '1']);
    expect(new Set(sold.map(([, buyer]) => buyer)).size).toBe(3);
    expect(stdout.match(/^Process-\d+ found no ticket left$/gm)).toHaveLength(47);
  },
  'sync-semaphore-limit.ts': (stdout) => {
    // Never more than the 3 permits inside at once, and every worker got in and out.
    const counts = [...stdout.matchAll(/^Process-\d+ runs \((\d+) inside, (\d+) permit\(s\) left\)$/gm)];
    expect(counts).toHaveLength(8);
    for (const [, inside] of counts) expect(Number(inside)).toBeGreaterThanOrEqual(1);
    for (const [, inside] of counts) expect(Number(inside)).toBeLessThanOrEqual(3);
    expect(stdout.match(/^Process-\d+ leaves$/gm)).toHaveLength(8);
  },
};

describe('examples', () => {
  it('every scenario has expectations', () => {
    expect(scenarioFiles().sort()).toEqual(Object.keys(EXPECTED_OUTPUT).sort());
  });

  // A scenario may start 50 processes, each loading tsx: ~15 s on 2 cores. runScenario has its own guard.
  it.each(Object.entries(EXPECTED_OUTPUT))(
    '%s runs and prints what it should',
    { timeout: 90_000 },
    (file, patterns) => {
      const run = runScenario(file);
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
      for (const pattern of patterns) expect(run.stdout).toMatch(pattern);
      for (const pattern of FORBIDDEN_OUTPUT[file] ?? []) expect(run.stdout).not.toMatch(pattern);
      INVARIANTS[file]?.(run.stdout);
    },
  );
});
