/**
 * The journals of ring/layout.ts, step by step: a producer, consumer or grower that died at each step of its
 * operation (its guard holding a dead thread's token, its words as it left them) is finished or undone by the
 * next operation, and the queue goes on with every whole message, once. These tests write the words
 * themselves, so they import the layout from the source.
 */
import { Heap, structuredCodec } from '@ipc/core';
import { describe, expect, it } from 'vitest';
import { Queue } from '../src/index.ts';
import {
  ConsumerJournal,
  GrowJournal,
  ProducerJournal,
  QueueLayout,
  RingRecord,
  recordBytes,
} from '../src/ring/layout.ts';
import { deadToken, drain, ringMemory, stopGrowthAt } from './helpers.ts';

const { PAYLOAD_OFFSET, SPILL, SPILL_BYTES: SPILL_RECORD_BYTES } = RingRecord;

const CAPACITY = 1024;

/** Puts and gets messages of many sizes: the ring is whole if they all come back. */
function expectWhole(q: Queue<unknown>): void {
  for (let i = 0; i < 200; i++) {
    const message = { i, text: 'x'.repeat(i % 50) };
    q.putSync(message);
    expect(q.getSync()).toEqual(message);
  }
}

describe('a producer that died in its guard', () => {
  // Steps of layout.ts's producer journal reached before dying: 0 = none (the guard only), 1 = TAIL_BEFORE,
  // 2 = COUNT_AFTER, 3 = the record and TAIL, 4 = the commit (PUT_COUNT).
  it.each([0, 1, 2, 3, 4])(
    'after step %i: its message is there only if committed, and no space is lost',
    async (step) => {
      const dead = await deadToken();
      const q = new Queue<unknown>({ capacityBytes: CAPACITY });
      q.putSync('one');
      q.putSync('two');
      expect(q.getSync()).toBe('one');
      const { words, ints, bytes } = ringMemory(q);
      const tail = words[QueueLayout.TAIL_INDEX] as number;
      const count = words[QueueLayout.PUT_COUNT_INDEX] as number;
      words[QueueLayout.PRODUCER_GUARD_INDEX] = dead;
      if (step >= 1) words[ProducerJournal.TAIL_BEFORE] = tail;
      if (step >= 2) words[ProducerJournal.COUNT_AFTER] = count + 1;
      if (step >= 3) {
        const payload = structuredCodec.encode('three');
        const place = tail % CAPACITY;
        ints[place >> 2] = payload.length;
        bytes.set(payload, place + PAYLOAD_OFFSET);
        words[QueueLayout.TAIL_INDEX] = tail + recordBytes(payload.length, false);
      }
      if (step >= 4) words[QueueLayout.PUT_COUNT_INDEX] = count + 1;
      q.putSync('four');
      expect(drain(q)).toEqual(step >= 4 ? ['two', 'three', 'four'] : ['two', 'four']);
      expect(words[QueueLayout.TAIL_INDEX]).toBe(words[QueueLayout.HEAD_INDEX]);
      expectWhole(q);
    },
  );

  it('that had taken a heap block for a large message gives the block back unless it committed', async () => {
    const heap = Heap.current();
    for (const committed of [false, true]) {
      const dead = await deadToken();
      const q = new Queue<unknown>({ capacityBytes: CAPACITY });
      const { words, ints } = ringMemory(q);
      const tail = words[QueueLayout.TAIL_INDEX] as number;
      const count = words[QueueLayout.PUT_COUNT_INDEX] as number;
      const big = new Uint8Array(4000).fill(3);
      const payload = structuredCodec.encode(big);
      const spill = heap.allocate(payload.length);
      new Uint8Array(heap.buffer, spill, payload.length).set(payload);
      words[QueueLayout.PRODUCER_GUARD_INDEX] = dead;
      words[ProducerJournal.TAIL_BEFORE] = tail;
      words[ProducerJournal.COUNT_AFTER] = count + 1;
      words[ProducerJournal.SPILL] = spill;
      ints[0] = SPILL;
      ints[1] = spill;
      ints[2] = payload.length;
      words[QueueLayout.TAIL_INDEX] = tail + SPILL_RECORD_BYTES;
      if (committed) words[QueueLayout.PUT_COUNT_INDEX] = count + 1;
      q.putSync('next');
      expect(words[ProducerJournal.SPILL]).toBe(0);
      if (committed) {
        const got = drain(q);
        expect(got).toHaveLength(2);
        expect([...(got[0] as Uint8Array)]).toEqual([...big]);
        expect(got[1]).toBe('next');
        // Taken: the consumer released the block.
        expect(() => heap.retain(spill)).toThrow(/already freed/);
      } else {
        expect(() => heap.retain(spill)).toThrow(/already freed/);
        expect(drain(q)).toEqual(['next']);
      }
    }
  });
});

describe('a shutdown that finds a dead producer in its guard', () => {
  // Drain: the getter that finds the queue shut and empty waits for the puts; immediate: shutdown() does.
  it.each([false, true])(
    '(immediate: %s) replays its journal (undoes its put) before it waits for no more puts',
    async (immediate) => {
      const dead = await deadToken();
      const q = new Queue<unknown>({ capacityBytes: CAPACITY });
      q.putSync('kept');
      const { words, ints, bytes } = ringMemory(q);
      const tail = words[QueueLayout.TAIL_INDEX] as number;
      const count = words[QueueLayout.PUT_COUNT_INDEX] as number;
      // A put stopped after its record and TAIL, before its commit.
      words[QueueLayout.PRODUCER_GUARD_INDEX] = dead;
      words[ProducerJournal.TAIL_BEFORE] = tail;
      words[ProducerJournal.COUNT_AFTER] = count + 1;
      const payload = structuredCodec.encode('torn');
      ints[(tail % CAPACITY) >> 2] = payload.length;
      bytes.set(payload, (tail % CAPACITY) + PAYLOAD_OFFSET);
      words[QueueLayout.TAIL_INDEX] = tail + recordBytes(payload.length, false);
      q.shutdown({ immediate });
      if (!immediate) expect(q.getSync()).toBe('kept');
      expect(() => q.getSync()).toThrow(/shut down/);
      expect(words[QueueLayout.TAIL_INDEX]).toBe(words[QueueLayout.HEAD_INDEX]);
      expect(words[ProducerJournal.COUNT_AFTER]).toBe(count);
    },
  );
});

describe('a consumer that died in its guard', () => {
  // Steps of layout.ts's consumer journal: 0 = none, 1 = HEAD_AFTER, 2 = COUNT_AFTER, 3 = HEAD (decoded:
  // from here the take is finished by the next consumer), 4 = the commit (GET_COUNT).
  it.each([0, 1, 2, 3, 4])('after step %i: the message it was taking is kept, or counted as taken', async (step) => {
    const dead = await deadToken();
    const q = new Queue<unknown>({ capacityBytes: CAPACITY });
    for (const m of ['one', 'two', 'three']) q.putSync(m);
    const { words, ints } = ringMemory(q);
    const head = words[QueueLayout.HEAD_INDEX] as number;
    const count = words[QueueLayout.GET_COUNT_INDEX] as number;
    const length = ints[(head % CAPACITY) >> 2] as number;
    const headAfter = head + recordBytes(length, false);
    words[QueueLayout.CONSUMER_GUARD_INDEX] = dead;
    if (step >= 1) words[ConsumerJournal.HEAD_AFTER] = headAfter;
    if (step >= 2) words[ConsumerJournal.COUNT_AFTER] = count + 1;
    if (step >= 3) words[QueueLayout.HEAD_INDEX] = headAfter;
    if (step >= 4) words[QueueLayout.GET_COUNT_INDEX] = count + 1;
    expect(drain(q)).toEqual(step >= 3 ? ['two', 'three'] : ['one', 'two', 'three']);
    expect(q.qsize()).toBe(0);
    expectWhole(q);
  });
});

describe('a producer that died growing the ring (holding both guards)', () => {
  // How far the growth got: 0 = the new block filled, journal not open; 1 = journal open, nothing moved;
  // 2 = HEAD, TAIL and RING_BLOCK moved, CAPACITY not (no commit); 3 = CAPACITY stored (the commit).
  it.each([0, 1, 2, 3])('after step %i: the queue has the ring of before or the grown one, whole', async (step) => {
    const heap = Heap.current();
    const dead = await deadToken();
    const q = new Queue<unknown>({ capacityBytes: CAPACITY });
    const messages = ['a', { b: 2 }, 'c'.repeat(100), [1, 2, 3]];
    q.putSync('taken');
    for (const m of messages) q.putSync(m);
    expect(q.getSync()).toBe('taken');
    const { words } = ringMemory(q);
    const { oldBlock, newBlock } = stopGrowthAt(q, dead, step);
    // A get takes the consumers' guard over (and replays the growth), then a put the producers'.
    expect(q.getSync()).toBe('a');
    q.putSync('last');
    expect(drain(q)).toEqual([...messages.slice(1), 'last']);
    expect(words[GrowJournal.OPEN]).toBe(0);
    expect(words[QueueLayout.CAPACITY_INDEX]).toBe(step >= 3 ? 2 * CAPACITY : CAPACITY);
    // The ring that was not kept is given back; with step 0 the dead one still held the new block.
    const dropped = step >= 3 ? oldBlock : newBlock;
    if (step >= 1) expect(() => heap.retain(dropped)).toThrow(/already freed/);
    expectWhole(q);
  });
});
