/**
 * Benchmarks that run another program (CPython, a Node script) read its result from the JSON object on the
 * last line of its stdout. `{ "error": "..." }` reports a failure in the program's own words.
 */

import { spawnSync } from 'node:child_process';

/** Whether `command` can be run at all (false when it is not installed). */
export function commandAvailable(command: string): boolean {
  const result = spawnSync(command, ['--version'], { encoding: 'utf8', timeout: 10_000 });
  return result.error === undefined && result.status === 0;
}

/**
 * Runs `command args` (at most `timeoutMs`, then SIGKILL) and returns the JSON object on the last line of its
 * stdout, once `isReport` accepts it.
 *
 * @throws naming the timeout, the exit status, the program's `error`, or the tail of its stderr.
 */
export function runForReport<T>(
  command: string,
  args: readonly string[],
  options: { timeoutMs: number; cwd?: string },
  isReport: (value: Record<string, unknown>) => boolean,
): T {
  const result = spawnSync(command, args, {
    cwd: options.cwd,
    encoding: 'utf8',
    timeout: options.timeoutMs,
    killSignal: 'SIGKILL',
    maxBuffer: 16 * 1024 * 1024,
  });
  if (result.error !== undefined) {
    const timedOut = (result.error as NodeJS.ErrnoException).code === 'ETIMEDOUT';
    throw new Error(timedOut ? `killed after ${options.timeoutMs} ms` : result.error.message);
  }
  const last = result.stdout.trim().split('\n').at(-1) ?? '';
  let parsed: unknown;
  try {
    parsed = JSON.parse(last);
  } catch {
    const stderr = result.stderr.trim().split('\n').slice(-3).join(' | ');
    throw new Error(`exit status ${result.status}, no JSON report${stderr === '' ? '' : `: ${stderr}`}`);
  }
  const report = (typeof parsed === 'object' && parsed !== null ? parsed : {}) as Record<string, unknown>;
  if (typeof report.error === 'string') throw new Error(report.error);
  if (result.status !== 0 || !isReport(report))
    throw new Error(`exit status ${result.status}, unexpected report ${last}`);
  return report as T;
}
