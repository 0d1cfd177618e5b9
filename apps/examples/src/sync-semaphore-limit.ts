/**
 * Scenario (seed 003, "信号量"): a Semaphore is a built-in counter that limits how many processes run a
 * section at the same time. `acquire()` takes one of its permits (waiting while none is left),
 * `release()` gives it back, `get_value()` tells how many are left.
 *
 * Python:
 *     sem = Semaphore(num)   # num: how many may run at once
 *     sem.acquire()          # minus one; blocks while the count is 0
 *     sem.release()          # plus one
 *     sem.get_value()        # the count now
 *
 * Here: 8 processes share a Semaphore(3). Each holds a permit for a while; a shared counter (a `Futex` from
 * @ipc/core, passed in args like the semaphore) tracks how many are inside, and the highest count seen.
 * The count never goes above 3. `using _permit = await sem.guard()` is Python's `with sem:`: the permit goes
 * back at the end of the block, even if the block throws.
 */
import { Futex } from '@ipc/core';
import { currentProcess, isMainProcess, Process } from '@ipc/process';
import { Semaphore } from '@ipc/sync';

const LIMIT = 3;
const WORKERS = 8;

/** The target: exported, so that each child (which imports this module) can find it. */
export async function work(sem: Semaphore, inside: Futex, peak: Futex, ms: number): Promise<void> {
  const me = currentProcess().name;
  using _permit = await sem.guard(); // sem.acquire(); released when the block ends
  const now = inside.add(1) + 1; // add() returns the value before the addition
  for (let seen = peak.load(); now > seen; seen = peak.load()) {
    if (peak.compareExchange(seen, now) === seen) break; // raise the peak unless another raised it higher
  }
  console.log(`${me} runs (${now} inside, ${sem.getValue()} permit(s) left)`);
  await new Promise((resolve) => setTimeout(resolve, ms));
  inside.add(-1); // leaves before the permit goes back, so `inside` never counts more than the permits
  console.log(`${me} leaves`);
}

if (isMainProcess()) {
  const sem = new Semaphore(LIMIT);
  const inside = new Futex(0);
  const peak = new Futex(0);
  console.log(`main: ${WORKERS} workers, at most ${sem.getValue()} at once`);
  const workers = Array.from({ length: WORKERS }, () => new Process({ target: work, args: [sem, inside, peak, 300] }));
  for (const p of workers) p.start();
  for (const p of workers) await p.join();
  console.log(`main: all done (exit codes ${workers.map((p) => p.exitcode).join(' ')})`);
  console.log(`main: at most ${peak.load()} ran at once (limit ${LIMIT}); permits back: ${sem.getValue()}`);
}
