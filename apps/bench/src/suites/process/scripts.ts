/**
 * Runs one measuring script in a child OS process (plain `node`, `node --import tsx` or `python3`) and reads
 * the JSON line it prints last. spawnSync's timeout kills a script that hangs; the scripts also guard each
 * of their own waits.
 */

import { fileURLToPath } from 'node:url';
import { runForReport } from '../../harness/child-report.ts';

/** Wall milliseconds per `<implementation>/<pattern>` key; null where the platform lacks the implementation. */
export type Timings = Readonly<Record<string, number | null>>;

/** What a script prints: its timings and a little about where they came from. */
export interface ScriptReport {
  readonly ms: Timings;
  readonly version?: string;
  readonly execArgv?: readonly string[];
}

/** The suite's directory: `node --import tsx` resolves tsx from here (apps/bench's node_modules, or above). */
const PACKAGE_DIR = fileURLToPath(new URL('..', import.meta.url));

/** The absolute path of a file of this suite. */
export function benchFile(name: string): string {
  return fileURLToPath(new URL(`./${name}`, import.meta.url));
}

/** Runs `command args`, at most `timeoutMs`, and parses its last stdout line. */
export function runScript(command: string, args: readonly string[], timeoutMs: number): Promise<ScriptReport> {
  return runForReport<ScriptReport>(
    command,
    args,
    { timeoutMs, cwd: PACKAGE_DIR },
    (report) => typeof report.ms === 'object' && report.ms !== null,
  );
}
