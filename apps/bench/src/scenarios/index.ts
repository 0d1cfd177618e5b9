/** Every scenario of the summary, in design.md §8's order, then process start-up. */

import type { ScenarioFactory } from '../scenario.ts';
import { joinable } from './joinable.ts';
import { lockValue } from './lock-value.ts';
import { managerDict } from './manager-dict.ts';
import { pipePingPong } from './pipe-ping-pong.ts';
import { processStart } from './process-start.ts';
import { queueBytes } from './queue-bytes.ts';
import { queueObjects } from './queue-objects.ts';

export const SCENARIOS: readonly ScenarioFactory[] = [
  queueObjects,
  pipePingPong,
  lockValue,
  joinable,
  managerDict,
  queueBytes,
  processStart,
];
