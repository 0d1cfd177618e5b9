/** What the report says about where it ran: the runtime, CPU, memory, python3, and other load. */

import os from 'node:os';
import { commandAvailable, runForReport } from './harness/child-report.ts';
import type { MachineInfo } from './results.ts';
import type { PythonInfo } from './scenario.ts';

/** The python3 on PATH and its version; undefined when there is none (the CPython rows are then skipped). */
export async function pythonInfo(): Promise<PythonInfo | undefined> {
  if (!commandAvailable('python3')) return undefined;
  const script = 'import json, platform; print(json.dumps({"version": platform.python_version()}))';
  return runForReport<{ version: string }>('python3', ['-c', script], { timeoutMs: 10_000 }, (report) => {
    return typeof report.version === 'string';
  });
}

/** The machine's description; the load figures are measured by the caller around the run. */
export function machineInfo(
  python: PythonInfo | undefined,
  idleBefore: number,
  othersDuring: number | undefined,
): MachineInfo {
  return {
    node: process.version,
    ...(python === undefined ? {} : { python: python.version }),
    cpuModel: os.cpus()[0]?.model.trim() ?? 'unknown CPU',
    cores: os.availableParallelism(),
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    idleBefore,
    ...(othersDuring === undefined ? {} : { othersDuring }),
  };
}
