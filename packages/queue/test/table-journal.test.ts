/**
 * The insert journal of table/layout.ts, step by step: a put that died at each step of its insert (its guard
 * holding a dead thread's token, the words as it left them) is undone by the next operation, or kept if it
 * committed, and the queue goes on with every entry once and no block lost. These tests write the words
 * themselves, so they import the queue and its layout from the source.
 */
import { currentThreadToken, Heap, SHARED_BLOCK, structuredCodec } from '@ipc/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { prng, SEED } from '../../../tooling/test/prng.ts';
import { LifoQueue, PriorityQueue, ShutDown } from '../src/index.ts';
import type { EMPTY } from '../src/protocol.ts';
import { Entry, entryAt, InsertJournal, TableLayout, TakeJournal } from '../src/table/layout.ts';
import { type Placement, rollBack, type TableView, tableGet, tablePut } from '../src/table/table.ts';
import { deadToken, drain, GUARD_MS } from './helpers.ts';

/** One dead thread's token for every test: tokens are never reused, so it stays dead. */
let dead = 0;
beforeAll(async () => {
  dead = await deadToken();
});

type Item = [number, string];
type TableQueue = PriorityQueue<Item> | LifoQueue<Item>;

function wordsOf(q: TableQueue): Int32Array {
  return q[SHARED_BLOCK].int32();
}

/** True while the heap block at `offset` is allocated (retain throws on a freed block). */
function isAllocated(heap: Heap, offset: number): boolean {
  try {
    heap.retain(offset);
  } catch {
    return false;
  }
  heap.release(offset);
  return true;
}

/**
 * The steps of layout.ts's put, done by hand as a thread that dies after step `step` would leave them (0: it
 * only took the guard). Inserts `item` at `index`, or where a PriorityQueue by number puts it. Returns its
 * message's block.
 */
function deadPut(q: TableQueue, item: Item, step: number, index?: number): number {
  const heap = Heap.current();
  const words = wordsOf(q);
  const floats = new Float64Array(words.buffer, words.byteOffset, words.length >> 1);
  const payload = structuredCodec.encode(item);
  const block = heap.allocate(payload.length);
  new Uint8Array(heap.buffer, block, payload.length).set(payload);
  words[TableLayout.GUARD_INDEX] = dead;
  const count = words[TableLayout.COUNT_INDEX] as number;
  // Entries with a higher key sit in front (a scan, not the binary search under test).
  let p = index ?? 0;
  if (index === undefined) while (p < count && (floats[(entryAt(p) + Entry.KEY) / 2] as number) > item[0]) p++;
  const seq = words[TableLayout.NEXT_SEQ_INDEX] as number;
  if (step >= 1) words[TableLayout.NEXT_SEQ_INDEX] = seq + 1;
  if (step >= 2 && p < count) words[entryAt(count) + Entry.SEQ] = seq;
  if (step >= 3) {
    words[InsertJournal.COUNT_BEFORE] = count;
    words[InsertJournal.INDEX] = p;
    words[InsertJournal.OLD_SEQ] = p < count ? (words[entryAt(p) + Entry.SEQ] as number) : seq;
    words[InsertJournal.BLOCK] = block;
    words[InsertJournal.OPEN] = 1;
  }
  if (step >= 4 && p < count) words.copyWithin(entryAt(p + 1), entryAt(p), entryAt(count));
  if (step >= 5) {
    words[entryAt(p) + Entry.BLOCK] = block;
    words[entryAt(p) + Entry.LENGTH] = payload.length;
    words[entryAt(p) + Entry.SEQ] = seq;
    floats[(entryAt(p) + Entry.KEY) / 2] = item[0];
  }
  if (step >= 6) words[TableLayout.COUNT_INDEX] = count + 1;
  if (step >= 7) words[InsertJournal.OPEN] = 0;
  return block;
}

/**
 * What the rollback's test relies on: the SEQs of the entries are unique, and NEXT_SEQ (the next put's) is
 * none of them.
 */
function expectUniqueSeqs(q: TableQueue): void {
  const words = wordsOf(q);
  const count = words[TableLayout.COUNT_INDEX] as number;
  const seqs = Array.from({ length: count }, (_, i) => words[entryAt(i) + Entry.SEQ]);
  expect(new Set([...seqs, words[TableLayout.NEXT_SEQ_INDEX]]).size).toBe(count + 1);
}

/** Puts and gets random priorities: the table is whole and sorted if they come back in order. */
function expectWhole(q: PriorityQueue<Item>): void {
  const random = prng(SEED);
  const items = Array.from({ length: 100 }, (_, i): Item => [Math.floor(random() * 10), `w${i}`]);
  // Bounded: a table left fuller than it should be fails here instead of blocking the test.
  for (const item of items) q.putSync(item, { timeout: GUARD_MS });
  expect(drain(q)).toEqual([...items].sort((a, b) => a[0] - b[0]));
}

const QUEUED: Item[] = [
  [5, 'e'],
  [3, 'c'],
  [1, 'a'],
];
// Steps of layout.ts's put reached before dying: 0 = the guard only, 1 = NEXT_SEQ, 2 = the new SEQ in slot
// COUNT, 3 = the journal (OPEN last), 4 = the shift, 5 = the new entry, 6 = the commit, 7 = OPEN cleared.
const STEPS = [0, 1, 2, 3, 4, 5, 6, 7];
// Where the dead put's item goes among [5, 3, 1] (entries [e, c, a]): 6 at the front (p = 0, every entry
// shifts), 4 at p = 1, 2 at p = 2 = COUNT − 1 (only the last entry shifts, into slot COUNT), 0 on top (p = 3
// = COUNT, no shift). A tie (3) goes in front of the queued 3: after it.
const PRIORITIES = [6, 4, 3, 2, 0];

describe('a PriorityQueue put that died in its guard', () => {
  describe.each(PRIORITIES)('inserting priority %i', (priority) => {
    it.each(STEPS)(
      'after step %i: the next operation leaves every entry once, its block freed unless committed',
      async (step) => {
        const heap = Heap.current();
        const q = new PriorityQueue<Item>(128);
        for (const item of QUEUED) q.putSync(item);
        const item: Item = [priority, 'dead'];
        const block = deadPut(q, item, step);
        const committed = step >= 6;
        const expected = [...QUEUED, ...(committed ? [item] : []), [2.5, 'next'] as Item].sort((a, b) => a[0] - b[0]);
        // The next operation (a put) takes the guard over and rolls back, or closes the journal.
        q.putSync([2.5, 'next']);
        const words = wordsOf(q);
        expect(words[InsertJournal.OPEN]).toBe(0);
        expect(q.qsize()).toBe(expected.length);
        // Before step 3 nothing names the block: it stays allocated (a known leak); from step 3 until the commit
        // the rollback frees it; once committed it is the entry's.
        expect(isAllocated(heap, block)).toBe(step < 3 || committed);
        expect(drain(q)).toEqual(expected);
        if (committed) expect(isAllocated(heap, block)).toBe(false);
        else if (step < 3) heap.release(block);
        expectWhole(q);
      },
    );
  });

  it.each(STEPS)('after step %i, taken over by a get: the get returns the right item', async (step) => {
    const q = new PriorityQueue<Item>(128);
    for (const item of QUEUED) q.putSync(item);
    const item: Item = [2, 'dead'];
    const block = deadPut(q, item, step);
    const committed = step >= 6;
    expect(q.getSync()).toEqual([1, 'a']);
    expect(drain(q)).toEqual(
      committed
        ? [item, [3, 'c'], [5, 'e']]
        : [
            [3, 'c'],
            [5, 'e'],
          ],
    );
    if (step < 3) Heap.current().release(block);
    expectWhole(q);
  });

  it.each([false, true])(
    'that died again while rolling back (after its shift back; block released: %s) is rolled back once more, to the same entries',
    async (released) => {
      const heap = Heap.current();
      for (const priority of PRIORITIES) {
        const q = new PriorityQueue<Item>(128);
        for (const item of QUEUED) q.putSync(item);
        const block = deadPut(q, [priority, 'dead'], 5);
        // The first rollback (layout.ts, ROLLBACK), by a thread that then died holding the guard: its shift back,
        // and perhaps BLOCK := 0 and the release.
        const words = wordsOf(q);
        const p = words[InsertJournal.INDEX] as number;
        if (p < 3) words.copyWithin(entryAt(p), entryAt(p + 1), entryAt(4));
        if (released) {
          words[InsertJournal.BLOCK] = 0;
          heap.release(block);
        }
        words[TableLayout.GUARD_INDEX] = dead;
        // A get takes over (it allocates nothing, so the block cannot be reused meanwhile); a second release of
        // the block would throw here.
        expect(q.getSync()).toEqual([1, 'a']);
        expect(isAllocated(heap, block)).toBe(false);
        expect(drain(q)).toEqual([
          [3, 'c'],
          [5, 'e'],
        ]);
      }
    },
  );

  it('the stale copy: after a shift back, a put at the same place that dies after its journal is not taken for a shift', async () => {
    const heap = Heap.current();
    const poison = new Error('poison');
    // By compare (the same order as by number), so that a put can take the guard over and then change nothing.
    const q = new PriorityQueue<Item>({
      maxsize: 128,
      compare: (a, b) => {
        if (b[1] === 'poison') throw poison;
        return a[0] - b[0];
      },
    });
    for (const item of QUEUED) q.putSync(item);
    const words = wordsOf(q);
    // A put of priority 2 (p = 2 = COUNT − 1) dies after its shift: slot 3 holds a copy of entry 2, [1, 'a'].
    const first = deadPut(q, [2, 'first'], 4, 2);
    // A put whose compare throws takes the guard over, shifts back, and changes nothing else: slot 3, beyond
    // the end, keeps the copy of entry 2.
    expect(() => q.putSync([0, 'poison'])).toThrow(poison);
    expect(words[InsertJournal.OPEN]).toBe(0);
    expect(isAllocated(heap, first)).toBe(false);
    const seqOfA = words[entryAt(2) + Entry.SEQ] as number;
    expect([...words.subarray(entryAt(3), entryAt(4))]).toEqual([...words.subarray(entryAt(2), entryAt(3))]);
    // An exact copy would hide a wrong shift back (it rewrites the same words); one that differs (as a SEQ that
    // wrapped could leave) shows it: entry 2 would get a wrong LENGTH.
    words[entryAt(3) + Entry.LENGTH] = 1;
    // A second put at the same place dies after its journal (step 3). Its step 2 replaced the stale SEQ.
    const second = deadPut(q, [2, 'second'], 3, 2);
    expect(words[InsertJournal.OLD_SEQ]).toBe(seqOfA);
    expect(words[entryAt(3) + Entry.SEQ]).not.toBe(seqOfA);
    q.putSync([2.5, 'next']);
    expect(isAllocated(heap, second)).toBe(false);
    expect(drain(q)).toEqual([
      [1, 'a'],
      [2.5, 'next'],
      [3, 'c'],
      [5, 'e'],
    ]);
    expectWhole(q);
  });

  it.each([false, true])(
    'is rolled back by shutdown (immediate: %s): every queued item once, its block freed',
    async (immediate) => {
      const heap = Heap.current();
      // Empty, so that the getter finds no entry and only the shutdown's wait for puts takes the guard.
      const q = new PriorityQueue<Item>(128);
      const block = deadPut(q, [2, 'dead'], 5);
      q.shutdown({ immediate });
      expect(() => q.getNowait()).toThrow(ShutDown);
      expect(wordsOf(q)[InsertJournal.OPEN]).toBe(0);
      expect(isAllocated(heap, block)).toBe(false);
      // And with queued items: the one the dead put shifted comes out once.
      const r = new PriorityQueue<Item>(128);
      for (const item of QUEUED) r.putSync(item);
      const shifted = deadPut(r, [4, 'dead'], 4);
      r.shutdown({ immediate });
      expect(isAllocated(heap, shifted)).toBe(!immediate);
      const got: Item[] = [];
      for await (const item of r) got.push(item);
      expect(got).toEqual(immediate ? [] : [...QUEUED].reverse());
      expect(isAllocated(heap, shifted)).toBe(false);
    },
  );

  it('a get that died before its commit changed nothing: the next get takes the same item', async () => {
    const q = new PriorityQueue<Item>(128);
    for (const item of QUEUED) q.putSync(item);
    // A get only reads until its commit: a dead one leaves the guard and nothing else.
    wordsOf(q)[TableLayout.GUARD_INDEX] = dead;
    expect(q.getSync()).toEqual([1, 'a']);
    expect(drain(q)).toEqual([
      [3, 'c'],
      [5, 'e'],
    ]);
  });
});

describe('a LifoQueue put that died in its guard', () => {
  it.each(STEPS)('after step %i: the item is on top if committed, its block freed if not', async (step) => {
    const heap = Heap.current();
    const q = new LifoQueue<Item>(128);
    for (const item of QUEUED) q.putSync(item);
    const count = wordsOf(q)[TableLayout.COUNT_INDEX] as number;
    const block = deadPut(q, [0, 'dead'], step, count);
    q.putSync([0, 'next']);
    const committed = step >= 6;
    expect(isAllocated(heap, block)).toBe(step < 3 || committed);
    expect(drain(q)).toEqual([[0, 'next'], ...(committed ? [[0, 'dead'] as Item] : []), ...[...QUEUED].reverse()]);
    if (step < 3) heap.release(block);
  });
});

/** What a thread that dies throws, in the sweep below. */
const DIED = new Error('terminated here');

/**
 * Runs `body` as a thread that is terminated before its write number `limit` to `words` (an `Atomics.store`,
 * an `Atomics.add` or a `copyWithin`: every write of table.ts but the KEY's plain store). Returns true if it
 * died. Writes to other memory (the heap's) are not counted: they are not the protocol under test.
 */
function dieAtWrite(words: Int32Array, limit: number, body: () => void): boolean {
  const { store, add } = Atomics;
  const copyWithin = Int32Array.prototype.copyWithin;
  let writes = 0;
  const write = (target: unknown) => {
    if (target === words && writes++ >= limit) throw DIED;
  };
  Atomics.store = ((target: Int32Array, index: number, value: number) => {
    write(target);
    return store(target, index, value);
  }) as typeof Atomics.store;
  Atomics.add = ((target: Int32Array, index: number, value: number) => {
    write(target);
    return add(target, index, value);
  }) as typeof Atomics.add;
  Int32Array.prototype.copyWithin = function (this: Int32Array, ...args: Parameters<typeof copyWithin>) {
    write(this);
    return copyWithin.apply(this, args);
  };
  try {
    body();
    return false;
  } catch (error) {
    if (error !== DIED) throw error;
    return true;
  } finally {
    Atomics.store = store;
    Atomics.add = add;
    Int32Array.prototype.copyWithin = copyWithin;
  }
}

describe('table.ts itself, terminated before each of its writes', () => {
  function viewOf(q: TableQueue): TableView {
    const block = q[SHARED_BLOCK];
    const words = block.int32();
    return {
      words,
      floats: new Float64Array(block.heap.buffer, block.byteOffset, words.length >> 1),
      bytes: new Uint8Array(block.heap.buffer),
      capacity: words[TableLayout.CAPACITY_INDEX] as number,
      heap: block.heap,
    };
  }

  /** A put of `item` by tablePut, as PriorityQueue by number does it; returns its block. */
  function startPut(view: TableView, item: Item): { block: number; put: () => void } {
    const payload = structuredCodec.encode(item);
    const block = view.heap.allocate(payload.length);
    view.bytes.set(payload, block);
    const placement: Placement = { by: 'key', key: item[0] };
    return { block, put: () => void tablePut(view, currentThreadToken(), block, payload.length, placement, 0) };
  }

  it.each(PRIORITIES)(
    'a put of priority %i, and its rollback, each stopped before every write: every entry once, no block lost',
    (priority) => {
      const heap = Heap.current();
      const item: Item = [priority, 'dead'];
      const shifts = priority > 1;
      for (let putDiesAt = 0; ; putDiesAt++) {
        for (let rollbackDiesAt = 0; ; rollbackDiesAt++) {
          const q = new PriorityQueue<Item>(128);
          for (const queued of QUEUED) q.putSync(queued);
          const view = viewOf(q);
          const { words } = view;
          // A stale copy of the last entry beyond the end, as a shift back leaves it, made inexact (see the stale
          // copy test above): a rollback that took it for a shifted entry would break entry 2.
          words.copyWithin(entryAt(3), entryAt(2), entryAt(3));
          words[entryAt(3) + Entry.LENGTH] = 1;
          const { block, put } = startPut(view, item);
          if (!dieAtWrite(words, putDiesAt, put)) {
            // The put ran to its end: it was stopped before each of its writes (layout.ts's steps, the PUTS count
            // and the guard's release): 15 with a shift, 13 without.
            expect(putDiesAt).toBe(shifts ? 15 : 13);
            expect(drain(q)).toEqual([...QUEUED, item].sort((a, b) => a[0] - b[0]));
            return;
          }
          const committed = words[TableLayout.COUNT_INDEX] === 4;
          // Died before its journal opened, without committing: nothing names its block (a known leak).
          const leaked = !committed && words[InsertJournal.OPEN] === 0;
          // The thread that takes the guard over (the takeover itself is tested above) rolls back, and dies
          // before its write number rollbackDiesAt, or runs to its end; if it died, the next one rolls back.
          const finished = !dieAtWrite(words, rollbackDiesAt, () => rollBack(view));
          if (!finished) rollBack(view);
          words[TableLayout.GUARD_INDEX] = 0;
          expect(words[InsertJournal.OPEN]).toBe(0);
          expectUniqueSeqs(q);
          expect(drain(q)).toEqual([...QUEUED, ...(committed ? [item] : [])].sort((a, b) => a[0] - b[0]));
          expect(isAllocated(heap, block)).toBe(leaked);
          if (leaked) heap.release(block);
          if (finished) break;
        }
      }
    },
  );

  it('a get that dies before each of its writes, taken over by the real guard: its message once, its block freed once', () => {
    const heap = Heap.current();
    const decode = (source: Uint8Array, start: number, end: number) =>
      structuredCodec.decode(source.subarray(start, end)) as Item;
    for (let getDiesAt = 0; ; getDiesAt++) {
      const q = new PriorityQueue<Item>(128);
      for (const queued of QUEUED) q.putSync(queued);
      const view = viewOf(q);
      const { words } = view;
      const block = (words[entryAt(2) + Entry.BLOCK] as number) >>> 0;
      let got: Item | typeof EMPTY | undefined;
      const get = () => {
        got = tableGet(view, currentThreadToken(), decode);
      };
      if (!dieAtWrite(words, getDiesAt, get)) {
        // Ran to its end: stopped before each of its writes (the take journal, the commit, GETS, the claim,
        // the guard's release).
        expect(getDiesAt).toBe(6);
        expect(got).toEqual([1, 'a']);
        return;
      }
      const committed = words[TableLayout.COUNT_INDEX] === 2;
      words[TableLayout.GUARD_INDEX] = dead;
      // The next holder finishes the take (a double release would throw here), then the rest comes out.
      expect(drain(q)).toEqual(committed ? [QUEUED[1], QUEUED[0]] : [QUEUED[2], QUEUED[1], QUEUED[0]]);
      expect(words[TakeJournal.BLOCK]).toBe(0);
      expect(isAllocated(heap, block)).toBe(false);
    }
  });

  it('a put that dies, taken over by the real guard at each death point: the same outcome', async () => {
    const heap = Heap.current();
    const item: Item = [2, 'dead'];
    for (let putDiesAt = 0; ; putDiesAt++) {
      const q = new PriorityQueue<Item>(128);
      for (const queued of QUEUED) q.putSync(queued);
      const view = viewOf(q);
      const { block, put } = startPut(view, item);
      if (!dieAtWrite(view.words, putDiesAt, put)) return;
      const committed = view.words[TableLayout.COUNT_INDEX] === 4;
      const leaked = !committed && view.words[InsertJournal.OPEN] === 0;
      view.words[TableLayout.GUARD_INDEX] = dead;
      expect(drain(q)).toEqual([...QUEUED, ...(committed ? [item] : [])].sort((a, b) => a[0] - b[0]));
      expect(isAllocated(heap, block)).toBe(leaked);
      if (leaked) heap.release(block);
    }
  });
});
