/** What the benchmark reports say about the machine they ran on. */

import os from 'node:os';

/**
 * Share of all cores' time spent idle over `ms`. Other load on the machine skews every ratio, the
 * thread-to-thread rows most, so each report prints it first.
 */
export async function idleShare(ms: number): Promise<number> {
  const sample = (): { idle: number; total: number } => {
    let idle = 0;
    let total = 0;
    for (const { times } of os.cpus()) {
      idle += times.idle;
      total += times.user + times.nice + times.sys + times.idle + times.irq;
    }
    return { idle, total };
  };
  const before = sample();
  await new Promise((resolve) => setTimeout(resolve, ms));
  const after = sample();
  return after.total === before.total ? 1 : (after.idle - before.idle) / (after.total - before.total);
}

/**
 * The report's first lines: the runtime and machine, and how idle the CPUs were just before (other load
 * skews every ratio).
 */
export async function machineHeader(title: string): Promise<string> {
  const cpu = os.cpus()[0]?.model.trim() ?? 'unknown CPU';
  const idle = await idleShare(500);
  const busy = idle < 0.9 ? ' (other processes are busy: expect noisy rows)' : '';
  return (
    `${title}: Node ${process.version}, ${os.availableParallelism()} cores (${cpu}), ${os.platform()}\n` +
    `CPU idle before start: ${Math.round(idle * 100)}%${busy}`
  );
}
