/** The run and machine a report's numbers come from, as label/value pairs every report lists first. */

import type { BenchResults } from '../results.ts';
import { formatDuration, formatPercent } from './format.ts';

/** Below this idle share before the run, or above this share taken by others during it, rows get noisy. */
const BUSY_IDLE_BEFORE = 0.9;
const BUSY_OTHERS_DURING = 0.1;

/** `[label, value]` pairs: date, mode, runtimes, CPU, memory, platform, and how busy the machine was. */
export function machineFacts(results: BenchResults): readonly (readonly [string, string])[] {
  const { machine } = results;
  const busy = ' (busy machine: expect noisy rows)';
  const others =
    machine.othersDuring === undefined
      ? 'not measured (no /proc)'
      : `${formatPercent(machine.othersDuring)} of all CPU time during the run${machine.othersDuring > BUSY_OTHERS_DURING ? busy : ''}`;
  return [
    ['date', results.date],
    [
      'mode',
      `${results.mode}, ${results.repetitions} ${results.repetitions === 1 ? 'repetition' : 'repetitions'} per row, ${formatDuration(results.durationMs)} in all`,
    ],
    ['node', machine.node],
    ['python', machine.python ?? 'not found'],
    ['cpu', `${machine.cpuModel}, ${machine.cores} cores`],
    ['memory', `${machine.memoryGiB.toFixed(1)} GiB`],
    ['platform', machine.platform],
    ['idle before', `${formatPercent(machine.idleBefore)}${machine.idleBefore < BUSY_IDLE_BEFORE ? busy : ''}`],
    ['other processes', others],
  ];
}
