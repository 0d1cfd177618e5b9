/**
 * @ipc/core benchmarks (`pnpm bench:suite core`, which builds the packages first). Prints ratios measured in the
 * same run, never absolute targets:
 *
 * 1. codec.ts      structuredCodec vs v8.serialize vs JSON + UTF-8, round trips per value shape;
 * 2. ping-pong.ts  two workers bouncing a shared word: raw Atomics.wait/notify and raw spin baselines
 *                  against @ipc's Futex (sync and async waits), then the sync spin budget.
 *
 * `pnpm bench:suite core codec` or `pnpm bench:suite core ping-pong` runs one section. About 30–45 s for both on 2 cores.
 */

import { machineHeader } from '../../harness/machine.ts';
import { runCodecBench } from './codec.ts';
import { runPingPongBench } from './ping-pong.ts';

const SECTIONS = ['codec', 'ping-pong'] as const;
type Section = (typeof SECTIONS)[number];

function selectedSections(args: readonly string[]): Section[] {
  if (args.length === 0) return [...SECTIONS];
  const unknown = args.filter((arg) => !(SECTIONS as readonly string[]).includes(arg));
  if (unknown.length > 0)
    throw new RangeError(`unknown section ${unknown.join(', ')}: expected ${SECTIONS.join(' or ')}`);
  return SECTIONS.filter((section) => args.includes(section));
}

async function main(): Promise<void> {
  const sections = selectedSections(process.argv.slice(2));
  const started = performance.now();
  console.log(`${await machineHeader('@ipc/core bench')}\n`);

  if (sections.includes('codec')) {
    console.log(runCodecBench({ measureMs: 500, warmupMs: 100 }));
    console.log();
  }
  if (sections.includes('ping-pong')) {
    const report = await runPingPongBench({
      repetitions: 3,
      maxRoundTrips: 200_000,
      maxMs: 1000,
      warmupRoundTrips: 5000,
      warmupMs: 250,
      waitTimeoutMs: 5000,
    });
    console.log(report.text);
    if (report.failures.length > 0) process.exitCode = 1;
    console.log();
  }
  console.log(`done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

await main();
