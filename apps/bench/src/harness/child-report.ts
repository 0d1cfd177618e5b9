/**
 * Benchmarks that run another program (CPython, a Node script) read its result from the JSON object on the
 * last line of its stdout. `{ "error": "..." }` reports a failure in the program's own words.
 */

import { spawn, spawnSync } from 'node:child_process';

/** Whether `command` can be run at all (false when it is not installed). */
export function commandAvailable(command: string): boolean {
  const result = spawnSync(command, ['--version'], { encoding: 'utf8', timeout: 10_000 });
  return result.error === undefined && result.status === 0;
}

/** What a finished program left: its exit status (null when killed), stdout and stderr. */
interface Finished {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs `command args` in a process group of its own and, after `timeoutMs`, kills the whole group: a
 * CPython benchmark's forked children (and a Manager's server) go with it, so a stuck run leaves nothing
 * behind. Rejects only when the program cannot be started or was killed.
 */
function runGrouped(command: string, args: readonly string[], timeoutMs: number, cwd: string | undefined) {
  return new Promise<Finished>((resolve, reject) => {
    const child = spawn(command, args, { cwd, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    let killed = false;
    const guard = setTimeout(() => {
      killed = true;
      // The negative pid names the group that `detached` made; the program may have ended meanwhile.
      try {
        process.kill(-(child.pid as number), 'SIGKILL');
      } catch {}
    }, timeoutMs);
    child.once('error', (error) => {
      clearTimeout(guard);
      reject(error);
    });
    child.once('close', (status) => {
      clearTimeout(guard);
      if (killed) reject(new Error(`killed after ${timeoutMs} ms`));
      else resolve({ status, stdout, stderr });
    });
  });
}

/**
 * Runs `command args` (at most `timeoutMs`, then SIGKILL to it and everything it started) and returns the JSON
 * object on the last line of its stdout, once `isReport` accepts it.
 *
 * @throws naming the timeout, the exit status, the program's `error`, or the tail of its stderr.
 */
export async function runForReport<T>(
  command: string,
  args: readonly string[],
  options: { timeoutMs: number; cwd?: string },
  isReport: (value: Record<string, unknown>) => boolean,
): Promise<T> {
  const result = await runGrouped(command, args, options.timeoutMs, options.cwd);
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
