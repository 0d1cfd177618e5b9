/**
 * Fault injection for the lock-like primitives: holders terminated at random points (design.md §6, §9).
 */
import { Futex } from '@ipc/core';
import { Process } from '@ipc/process';
import type { Lock, RLock, Semaphore } from '@ipc/sync';
import { expect } from 'vitest';
import { joinAll, reached, sleep, target } from './helpers.ts';

/** A small seeded PRNG (mulberry32), so a failing run can be replayed. */
export function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

/** The PRNG seed; set IPC_SEED to replay a failure. */
export const SEED = Number(process.env.IPC_SEED ?? 20261130);
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
