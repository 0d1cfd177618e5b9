/**
 * Runs one measuring script in a child OS process (plain `node`, `node --import tsx` or `python3`) and reads
 * the JSON line it prints last. spawnSync's timeout kills a script that hangs; the scripts also guard each
 * of their own waits.
 */

import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** Wall milliseconds per `<implementation>/<pattern>` key; null where the platform lacks the implementation. */
export type Timings = Readonly<Record<string, number | null>>;

/** What a script prints: its timings and a little about where they came from. */
export interface ScriptReport {
  readonly ms: Timings;
  readonly version?: string;
  readonly execArgv?: readonly string[];
}

/** The package directory: `node --import tsx` resolves tsx from here. */
const PACKAGE_DIR = fileURLToPath(new URL('..', import.meta.url));

/** The absolute path of a file in bench/. */
export function benchFile(name: string): string {
  return fileURLToPath(new URL(`./${name}`, import.meta.url));
}

/** Whether `command` can be run at all (false when it is not installed). */
export function available(command: string): boolean {
  const result = spawnSync(command, ['--version'], { encoding: 'utf8', timeout: 10_000 });
  return result.error === undefined && result.status === 0;
}

/** Runs `command args`, at most `timeoutMs`, and parses its last stdout line. */
export function runScript(command: string, args: readonly string[], timeoutMs: number): ScriptReport {
  const result = spawnSync(command, args, {
    cwd: PACKAGE_DIR,
    encoding: 'utf8',
    timeout: timeoutMs,
    killSignal: 'SIGKILL',
    maxBuffer: 16 * 1024 * 1024,
  });
  if (result.error !== undefined) {
    const timedOut = (result.error as NodeJS.ErrnoException).code === 'ETIMEDOUT';
    throw new Error(timedOut ? `killed after ${timeoutMs} ms` : result.error.message);
  }
  const last = result.stdout.trim().split('\n').at(-1) ?? '';
  let parsed: unknown;
  try {
    parsed = JSON.parse(last);
  } catch {
    const stderr = result.stderr.trim().split('\n').slice(-3).join(' | ');
    throw new Error(`exit status ${result.status}, no JSON report${stderr === '' ? '' : `: ${stderr}`}`);
  }
  const report = parsed as Partial<ScriptReport> & { error?: string };
  if (report.error !== undefined) throw new Error(report.error);
  if (result.status !== 0 || typeof report.ms !== 'object' || report.ms === null) {
    throw new Error(`exit status ${result.status}, unexpected report ${last}`);
  }
  return report as ScriptReport;
}
