import { spawnSync } from 'node:child_process';
import type { Futex } from '@ipc/core';

/** Every wait on another thread is bounded by this guard, so a deadlock fails fast. */
export const GUARD_MS = 10_000;

/** The module that holds the test targets, as a Process target reference. */
export const TARGETS = new URL('./fixtures/targets.mjs', import.meta.url);

/** A variable, so that type-checking does not look for declarations of the .mjs fixture. */
export const TARGETS_MODULE: string = TARGETS.href;

export function target(name: string) {
  return { module: TARGETS, name };
}

/** Waits until the futex leaves `from`; fails the test instead of hanging. */
export async function changed(futex: Futex, from = 0): Promise<number> {
  if (!(await futex.waitWhile(from, { timeout: GUARD_MS }))) throw new Error(`guard: futex stayed ${from}`);
  return futex.load();
}

/** Runs `fixtures/scripts/<name>` as a user would (`node` or `node --import tsx`), with a guard timeout. */
export function runScript(name: string, { tsx = false, nodeFlags = [] as string[] } = {}) {
  const file = new URL(`./fixtures/scripts/${name}`, import.meta.url).pathname;
  const result = spawnSync(process.execPath, [...(tsx ? ['--import', 'tsx'] : []), ...nodeFlags, file], {
    encoding: 'utf8',
    timeout: GUARD_MS,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
