import { defineConfig } from 'vitest/config';
import SummaryReporter from './tooling/summary-reporter.ts';

// One `vitest run` over every workspace project, so CI gets a single summary line (toolchain.md pitfall 10).
export default defineConfig({
  test: {
    projects: ['packages/*', 'apps/examples', 'apps/bench'],
    reporters: ['default', new SummaryReporter()],
  },
});
