export { changed, GUARD_MS, joinAll, reached, sleep, withGuard } from '../../../tooling/test/guards.ts';

/** The module that holds the Process targets of these tests. */
export const TARGETS = new URL('./fixtures/targets.mjs', import.meta.url);

/** A Process target reference to `fixtures/targets.mjs`'s export `name`. */
export function target(name: string) {
  return { module: TARGETS, name };
}
