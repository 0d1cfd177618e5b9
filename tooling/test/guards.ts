/**
 * Guards for tests that wait on other threads (design.md §9): every wait is bounded, so a deadlock fails
 * fast instead of hanging CI. Shared by the packages' tests.
 */

/** What these guards need of a core `Futex` (structural, so that tooling needs no package). */
interface Futex {
  load(): number;
  waitWhile(expected: number, options: { timeout: number }): Promise<boolean>;
}

/** What these guards need of a `Process`. */
interface Process {
  readonly name: string;
  readonly exitcode: number | null;
  join(timeout?: number): Promise<void>;
  isAlive(): boolean;
}

/** Every wait on another thread is bounded by this guard, so a deadlock fails fast. */
export const GUARD_MS = 10_000;

/** Rejects after `ms` with a message naming what was awaited. */
export function withGuard<T>(promise: Promise<T>, what: string, ms = GUARD_MS): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const guard = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`guard: ${what} did not happen within ${ms} ms`)), ms);
  });
  return Promise.race([promise, guard]).finally(() => clearTimeout(timer));
}

/** Waits until the futex leaves `from`; fails the test instead of hanging. */
export async function changed(futex: Futex, from = 0): Promise<number> {
  if (!(await futex.waitWhile(from, { timeout: GUARD_MS }))) throw new Error(`guard: futex stayed ${from}`);
  return futex.load();
}

/** Waits until the futex reaches at least `value`; fails the test instead of hanging. */
export async function reached(futex: Futex, value: number): Promise<void> {
  const end = performance.now() + GUARD_MS;
  for (let seen = futex.load(); seen < value; seen = futex.load()) {
    if (!(await futex.waitWhile(seen, { timeout: end - performance.now() }))) {
      throw new Error(`guard: futex stayed at ${seen}, below ${value}`);
    }
  }
}

/** Joins every process (guarded) and returns their exit codes. */
export async function joinAll(processes: readonly Process[]): Promise<Array<number | null>> {
  await Promise.all(processes.map((p) => p.join(GUARD_MS)));
  for (const p of processes) {
    if (p.isAlive()) throw new Error(`guard: ${p.name} still runs after ${GUARD_MS} ms`);
  }
  return processes.map((p) => p.exitcode);
}

/** Resolves after `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
