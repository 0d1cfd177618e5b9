import { defineProject } from 'vitest/config';

/**
 * The test setup every workspace project uses. Stress tests (`test/stress/*.stress.test.ts`) only run when
 * `IPC_STRESS=1`, so the default suite stays fast (design.md §9).
 */
export function packageTests(name: string) {
  const stress = process.env.IPC_STRESS === '1';
  return defineProject({
    test: {
      name,
      include: stress ? ['test/**/*.test.ts'] : ['test/**/*.test.ts', '!test/stress/**'],
      // Worker-thread tests wait on other threads; every wait carries its own guard, this is the backstop.
      testTimeout: 20_000,
      hookTimeout: 20_000,
    },
  });
}
