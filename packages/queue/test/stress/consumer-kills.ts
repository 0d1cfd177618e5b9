/**
 * The consumer-kill round both queue kinds' stress tests run: a producer puts `count` items numbered by
 * `seq`, three consumers take them (fixtures/targets.mjs `getAndMark`) and count each seq they got in marks
 * in the shared heap, and consumers are killed at random and replaced until the producer is done.
 */
import { Heap } from '@ipc/core';
import { Process } from '@ipc/process';
import { expect } from 'vitest';
import { joinAll, sleep, target } from '../helpers.ts';

/** What a round leaves for the test's own checks: the marks, how many consumers ended, and a cleanup. */
export interface ConsumerKillRound {
  /** How many times each seq was taken, by the consumers (add what the test drains after). */
  readonly marks: Int32Array;
  /** Consumers ended by a kill (all of them end so). */
  readonly killed: number;
  /** Checks that no item was taken twice and at most one per killed consumer is missing; frees the marks. */
  finish(): void;
}

/** Runs one round on `queue`, with `producer` (a target name taking `(queue, count)`) putting the items. */
export async function killConsumersWhileProducing(
  queue: unknown,
  producer: string,
  count: number,
  random: () => number,
): Promise<ConsumerKillRound> {
  // In the shared heap, which every thread has: the consumers count what they got there.
  const heap = Heap.current();
  const marksAt = heap.allocate(count * 4);
  const marks = new Int32Array(heap.buffer, marksAt, count);
  const putter = new Process({ target: target(producer), args: [queue, count] });
  putter.start();
  const consumer = () => {
    const p = new Process({ target: target('getAndMark'), args: [queue, marksAt, count] });
    p.start();
    return p;
  };
  const consumers = [consumer(), consumer(), consumer()];
  const ended: Process[] = [];
  while (putter.isAlive()) {
    await sleep(5 + random() * 40);
    const victim = Math.floor(random() * consumers.length);
    (consumers[victim] as Process).terminate();
    ended.push(consumers[victim] as Process);
    consumers[victim] = consumer();
  }
  for (const c of consumers) c.terminate();
  ended.push(...consumers);
  expect(await joinAll([putter])).toEqual([0]);
  await joinAll(ended);
  return {
    marks,
    killed: ended.length,
    finish() {
      // A consumer killed between its take and its mark loses that one item (as if it died after get
      // returned): at most one per killed consumer. Never two of one item.
      expect(marks.every((m) => m <= 1)).toBe(true);
      expect(marks.filter((m) => m === 0).length).toBeLessThanOrEqual(ended.length);
      heap.release(marksAt);
    },
  };
}
