/** What the benchmark reports say about the machine they ran on. */

import { readFileSync } from 'node:fs';
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

/**
 * Clock ticks per second of /proc's times (USER_HZ). The kernel fixes it at 100 for user space on every
 * Linux architecture Node runs on, whatever its internal HZ; Node has no sysconf(_SC_CLK_TCK) to ask.
 */
const TICKS_PER_SECOND = 100;

/** A snapshot of CPU time, in ms, to compare with a later one. */
export interface CpuTimes {
  /** performance.now() when taken. */
  readonly wallMs: number;
  /** All cores' non-idle time, including time stolen by the hypervisor; NaN without /proc. */
  readonly busyMs: number;
  /** This process's time (all its threads) and that of its children that have ended and been waited for. */
  readonly ownMs: number;
}

/** The numbers after `label` on the line of `text` that starts with it (empty when there is none). */
function fieldsAfter(text: string, label: string): number[] {
  const line = text.split('\n').find((l) => l.startsWith(label)) ?? '';
  return line.slice(label.length).trim().split(/\s+/).map(Number);
}

/** The fields of /proc/stat's `cpu` line that count as busy: user nice system irq softirq steal (not idle, iowait). */
const BUSY_FIELDS = [0, 1, 2, 5, 6, 7] as const;

/**
 * All cores' busy time, in ms, from the first line of /proc/stat (`cpu user nice system idle iowait irq
 * softirq steal guest guest_nice`, in ticks; guest time is already in user). Steal is counted: it is time
 * the hypervisor gave other machines, which the benchmark lost as surely as to a local process.
 */
function machineBusyMs(): number {
  const fields = fieldsAfter(readFileSync('/proc/stat', 'utf8'), 'cpu ');
  const ticks = BUSY_FIELDS.reduce<number>((sum, field) => sum + (fields[field] ?? Number.NaN), 0);
  return (ticks * 1000) / TICKS_PER_SECOND;
}

/**
 * CPU time of this process's ended children (cutime + cstime in /proc/self/stat), in ms: child processes
 * such as CPython's, whose own children it waited for are included in turn. The fields are counted after
 * the command name's closing parenthesis (the name itself may hold spaces): state is 0, cutime 13, cstime 14.
 */
function childrenMs(): number {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(') ') + 2).split(' ');
  return ((Number(fields[13]) + Number(fields[14])) * 1000) / TICKS_PER_SECOND;
}

/** The CPU time used so far: all cores', and this process's with its ended children (NaN without /proc). */
export function cpuTimes(): CpuTimes {
  const { user, system } = process.cpuUsage();
  const wallMs = performance.now();
  try {
    return { wallMs, busyMs: machineBusyMs(), ownMs: (user + system) / 1000 + childrenMs() };
  } catch {
    return { wallMs, busyMs: Number.NaN, ownMs: Number.NaN };
  }
}

/**
 * The share of the machine's CPU time (all cores, over the wall time since `before`) that other processes
 * took: busy time that was not this process's nor its children's. Undefined without /proc.
 */
export function othersCpuShare(before: CpuTimes, after: CpuTimes = cpuTimes()): number | undefined {
  const others = after.busyMs - before.busyMs - (after.ownMs - before.ownMs);
  const capacity = (after.wallMs - before.wallMs) * os.cpus().length;
  // Ticks are coarse (10 ms) and sampled per core, so a quiet machine can come out a little below zero.
  return Number.isNaN(others) || capacity <= 0 ? undefined : Math.max(0, others) / capacity;
}

/**
 * A report's closing line: how much CPU time other processes took since `before`. Ratios measured in the
 * same run assume they took none; a few percent is noise, more skews the thread-to-thread rows most.
 */
export function othersLoadLine(before: CpuTimes): string {
  const share = othersCpuShare(before);
  if (share === undefined) return 'CPU time of other processes during the run: unknown (no /proc)';
  const note = share > 0.05 ? ' (the machine was not idle: expect noisy rows)' : '';
  return `CPU time of other processes during the run: ${Math.round(share * 100)}% of the machine${note}`;
}
