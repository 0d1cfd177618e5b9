/**
 * Fault injection for the lock-like primitives: holders terminated at random points (design.md §6, §9).
 */
import { Futex } from '@ipc/core';
import { Process } from '@ipc/process';
import type { Lock, RLock, Semaphore } from '@ipc/sync';
import { expect } from 'vitest';
import { joinAll, reached, sleep, target } from './helpers.ts';

const VICTIMS = 4;
const SURVIVORS = 3;
const ROUNDS = 3000;

/**
 * Starts victims that hold `primitive` in a loop for ever and survivors that hold it `ROUNDS` times,
 * terminates the victims at random points, and checks every survivor finishes. Returns how many
 * acquisitions took over from a dead holder.
 */
export async function terminateHoldersAtRandom(
  primitive: Lock | RLock | Semaphore,
  random: () => number,
): Promise<number> {
  const done = new Futex(0);
  const recovered = new Futex(0);
  const survivors = Array.from(
    { length: SURVIVORS },
    () => new Process({ target: target('holdInLoop'), args: [primitive, done, ROUNDS, recovered] }),
  );
  const victims = Array.from(
    { length: VICTIMS },
    () => new Process({ target: target('holdInLoop'), args: [primitive, new Futex(0), -1] }),
  );
  for (const p of [...victims, ...survivors]) p.start();
  await reached(done, 1);
  for (const victim of victims) {
    await sleep(random() * 20);
    victim.terminate();
  }
  // The victims died while the survivors were still contending (else this would test nothing).
  expect(done.load()).toBeLessThan(SURVIVORS * ROUNDS);
  expect(await joinAll(survivors)).toEqual(Array(SURVIVORS).fill(0));
  expect(done.load()).toBe(SURVIVORS * ROUNDS);
  await joinAll(victims);
  return recovered.load();
}
