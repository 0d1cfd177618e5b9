import { Futex, revive, SHARED_BLOCK, share } from '@ipc/core';
import { Process } from '@ipc/process';
import { Empty, Full, InvalidStateError, Queue, ShutDown } from '@ipc/queue';
import { describe, expect, it } from 'vitest';
import { HEADER_WORDS, QueueLayout } from '../src/ring/layout.ts';
import { changed, GUARD_MS, joinAll, sleep, target, withGuard } from './helpers.ts';

describe('Queue in one thread', () => {
  it('is FIFO, with qsize, empty and full, and Full/Empty for the nowait forms', async () => {
    const q = new Queue<unknown>(3);
    expect(q.empty()).toBe(true);
    q.putSync(1);
    await q.put('two');
    q.putNowait({ three: 3 });
    expect(q.qsize()).toBe(3);
    expect(q.full()).toBe(true);
    expect(() => q.putNowait(4)).toThrow(Full);
    expect(q.getSync()).toBe(1);
    expect(await q.get()).toBe('two');
    expect(q.getNowait()).toEqual({ three: 3 });
    expect(() => q.getNowait()).toThrow(Empty);
    expect(q.empty()).toBe(true);
  });

  it('takes maxsize as a number or in options; 0 or less has no count limit', () => {
    expect(new Queue(5).maxsize).toBe(5);
    expect(new Queue({ maxsize: 2 }).maxsize).toBe(2);
    const unlimited = new Queue(-1);
    expect(unlimited.maxsize).toBe(0);
    for (let i = 0; i < 10_000; i++) unlimited.putNowait(i);
    expect(unlimited.full()).toBe(false);
    expect(unlimited.qsize()).toBe(10_000);
  });

  it('refuses bad sizes and options with RangeError or TypeError', () => {
    expect(() => new Queue(1.5)).toThrow(RangeError);
    expect(() => new Queue({ capacityBytes: 10 })).toThrow(RangeError);
    expect(() => new Queue({ maxsize: Number.NaN })).toThrow(RangeError);
    const q = new Queue(1);
    expect(() => q.putSync(1, { timeout: Number.NaN })).toThrow(RangeError);
    expect(() => q.getSync({ block: 'no' as unknown as boolean })).toThrow(TypeError);
  });

  it('a 200 ms timed get or put takes >= 175 ms and < 1 s, then throws Empty or Full', async () => {
    const q = new Queue<number>(1);
    for (const attempt of [() => q.getSync({ timeout: 200 }), () => q.get({ timeout: 200 })]) {
      const start = performance.now();
      await expect(async () => attempt()).rejects.toThrow(Empty);
      expect(performance.now() - start).toBeGreaterThanOrEqual(175);
      expect(performance.now() - start).toBeLessThan(1000);
    }
    q.putSync(1);
    for (const attempt of [() => q.putSync(2, { timeout: 200 }), () => q.put(2, { timeout: 200 })]) {
      const start = performance.now();
      await expect(async () => attempt()).rejects.toThrow(Full);
      expect(performance.now() - start).toBeGreaterThanOrEqual(175);
      expect(performance.now() - start).toBeLessThan(1000);
    }
  });

  it('an unencodable item throws in put and takes no room', () => {
    const q = new Queue(1);
    expect(() => q.putSync({ f: () => 1 })).toThrow(TypeError);
    expect(q.qsize()).toBe(0);
    q.putSync('fits');
    expect(q.getSync()).toBe('fits');
  });

  it('carries every structured-clone type as a copy', () => {
    const q = new Queue();
    const values: unknown[] = [
      0,
      -1.5,
      2n ** 70n,
      'text ✓',
      true,
      null,
      undefined,
      [1, [2, [3]]],
      { a: { b: 'c' } },
      new Map<unknown, unknown>([[1, { x: 1 }]]),
      new Set([1, 'two']),
      new Date(1_700_000_000_000),
      /re+/gi,
      new Uint8Array([1, 2, 3]),
      new Float64Array([0.5, -2]),
      new ArrayBuffer(4),
      new RangeError('bad'),
    ];
    for (const value of values) q.putSync(value);
    for (const value of values) {
      const got = q.getSync();
      expect(got).toEqual(value);
      if (typeof value === 'object' && value !== null) expect(got).not.toBe(value);
    }
  });

  it('passes messages far larger than its ring (16 MiB through 64 KiB), and wraps small ones', () => {
    const q = new Queue<Uint8Array | string>({ capacityBytes: 64 * 1024 });
    const big = new Uint8Array(16 * 1024 * 1024).map((_, i) => i % 251);
    q.putSync(big);
    q.putSync('after');
    const got = q.getSync() as Uint8Array;
    expect(got.length).toBe(big.length);
    expect(got[12_345_678]).toBe(12_345_678 % 251);
    expect(q.getSync()).toBe('after');
    const small = new Queue<string>({ capacityBytes: 256 });
    for (let i = 0; i < 2000; i++) {
      small.putSync('y'.repeat(i % 61));
      expect(small.getSync()).toHaveLength(i % 61);
    }
  });

  it('rounds its ring to a power of two, so positions stay right when the byte counters wrap at 2^32', () => {
    const q = new Queue<string>({ capacityBytes: 1000 });
    const words = q[SHARED_BLOCK].int32(0, HEADER_WORDS);
    expect(words[QueueLayout.CAPACITY_INDEX]).toBe(1024);
    // Move both byte counters to just before the wrap, as 4 GiB of traffic would.
    const nearWrap = (2 ** 32 - 3000) | 0;
    words[QueueLayout.HEAD_INDEX] = nearWrap;
    words[QueueLayout.TAIL_INDEX] = nearWrap;
    for (let i = 0; i < 500; i++) {
      q.putSync('z'.repeat(i % 90));
      expect(q.getSync()).toBe('z'.repeat(i % 90));
    }
  });

  it('carries typed arrays of every size, in the ring or in the heap, as copies', () => {
    const q = new Queue<ArrayBufferView>({ capacityBytes: 64 * 1024 });
    for (const length of [0, 1, 7, 63, 64, 65, 1000, 30_000, 40_000, 100_000]) {
      const sent = new Float64Array(length).map((_, i) => i * 0.5 + length);
      q.putSync(sent);
      const back = q.getSync() as Float64Array;
      expect(back).toBeInstanceOf(Float64Array);
      expect(back).toEqual(sent);
      expect(back.buffer).not.toBe(sent.buffer);
    }
  });

  it('a put that has to wait still puts the item as it was when put was called', async () => {
    for (const later of [{ text: 'before' }, new Uint8Array([1, 2, 3]), new Uint8Array(200_000).fill(1)]) {
      const q = new Queue<unknown>(1);
      q.putSync('first');
      const pending = q.put(later);
      if (later instanceof Uint8Array) later.fill(9);
      else later.text = 'after';
      expect(q.getSync()).toBe('first');
      await withGuard(pending, 'the waiting put');
      const got = q.getSync();
      if (later instanceof Uint8Array) expect((got as Uint8Array).every((b) => b !== 9)).toBe(true);
      else expect(got).toEqual({ text: 'before' });
    }
  });

  it('put and get report every error as a rejected promise, never by throwing', async () => {
    const q = new Queue<unknown>(1);
    let put: Promise<void> | undefined;
    expect(() => {
      put = q.put({ f: () => 1 });
    }).not.toThrow();
    await expect(put).rejects.toThrow(TypeError);
    q.close();
    let get: Promise<unknown> | undefined;
    expect(() => {
      get = q.get();
    }).not.toThrow();
    await expect(get).rejects.toThrow(InvalidStateError);
    await expect(q.put(1)).rejects.toThrow(InvalidStateError);
  });

  it('a for await over a queue that never runs dry still lets timers run', async () => {
    const q = new Queue<number>();
    const total = 200_000;
    for (let i = 0; i < total; i++) q.putSync(i);
    let takenWhenTimerRan: number | undefined;
    let taken = 0;
    setTimeout(() => {
      takenWhenTimerRan = taken;
    }, 0);
    for await (const _ of q) {
      taken++;
      if (taken === total) break;
    }
    // Resolved at once every time, the loop would have run in microtasks to its end before the timer.
    expect(takenWhenTimerRan).toBeLessThan(total);
  });

  it('after close(), put, get and empty on that object throw InvalidStateError; joinThread needs close', async () => {
    const q = new Queue();
    await expect(q.joinThread()).rejects.toThrow(InvalidStateError);
    const other = revive(share(q)) as Queue;
    q.close();
    expect(() => q.putSync(1)).toThrow(InvalidStateError);
    expect(() => q.getSync()).toThrow(InvalidStateError);
    expect(() => q.empty()).toThrow(InvalidStateError);
    await q.joinThread();
    q.cancelJoinThread();
    expect(other).toBe(q);
  });

  it('shutdown(): puts throw ShutDown, gets drain then throw, for await ends; immediate discards', async () => {
    const q = new Queue<number>();
    q.putSync(1);
    q.putSync(2);
    q.shutdown();
    expect(() => q.putSync(3)).toThrow(ShutDown);
    const seen: number[] = [];
    for await (const x of q) seen.push(x);
    expect(seen).toEqual([1, 2]);
    await expect(q.get()).rejects.toThrow(ShutDown);
    const now = new Queue<number>();
    now.putSync(1);
    now.shutdown({ immediate: true });
    expect(() => now.getSync()).toThrow(ShutDown);
    expect(now.qsize()).toBe(0);
  });

  it('a shutdown wakes a blocked get', async () => {
    const q = new Queue<number>();
    const pending = q.get({ timeout: GUARD_MS });
    setTimeout(() => q.shutdown(), 20);
    await expect(withGuard(pending, 'the get to end')).rejects.toThrow(ShutDown);
  });

  it('an async get waits without blocking the event loop, and an abort signal rejects it', async () => {
    const q = new Queue<number>();
    let ticks = 0;
    const timer = setInterval(() => ticks++, 5);
    const pending = q.get({ timeout: GUARD_MS });
    await sleep(60);
    q.putSync(7);
    expect(await withGuard(pending, 'get')).toBe(7);
    clearInterval(timer);
    expect(ticks).toBeGreaterThan(3);
    const controller = new AbortController();
    const aborted = q.get({ signal: controller.signal });
    controller.abort(new Error('no more waiting'));
    await expect(aborted).rejects.toThrow('no more waiting');
  });
});

describe('Queue across workers', () => {
  it('4 producers x 1000 sequenced items to 4 consumers: each exactly once, per-producer order kept', async () => {
    const q = new Queue<{ producer: number; seq: number }>(64);
    const results = new Queue<Array<{ producer: number; seq: number }>>();
    const consumers = [0, 1, 2, 3].map(
      (i) => new Process({ target: target('consume'), args: [q, results, i % 2 === 0] }),
    );
    const producers = [0, 1, 2, 3].map(
      (p) => new Process({ target: target('produce'), args: [q, p, 1000, p % 2 === 0] }),
    );
    for (const p of [...consumers, ...producers]) p.start();
    expect(await joinAll(producers)).toEqual([0, 0, 0, 0]);
    q.shutdown();
    const batches = await Promise.all(consumers.map(() => results.get({ timeout: GUARD_MS })));
    expect(await joinAll(consumers)).toEqual([0, 0, 0, 0]);
    const all = batches.flat();
    expect(all).toHaveLength(4000);
    for (let producer = 0; producer < 4; producer++) {
      const seqs = all.filter((m) => m.producer === producer).map((m) => m.seq);
      expect(new Set(seqs).size).toBe(1000);
    }
    // Within each consumer, each producer's items come in order.
    for (const batch of batches) {
      for (let producer = 0; producer < 4; producer++) {
        const seqs = batch.filter((m) => m.producer === producer).map((m) => m.seq);
        expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
      }
    }
  });

  it('grows its ring while 2 producers and a consumer run: every item arrives, in each producer order', async () => {
    const q = new Queue<{ producer: number; seq: number }>({ capacityBytes: 256 });
    const producers = [0, 1].map((p) => new Process({ target: target('produce'), args: [q, p, 3000, p === 0] }));
    for (const p of producers) p.start();
    const next = [0, 0];
    for (let got = 0; got < 6000; got++) {
      const { producer, seq } = await q.get({ timeout: GUARD_MS });
      expect(seq).toBe(next[producer]);
      next[producer] = seq + 1;
    }
    expect(await joinAll(producers)).toEqual([0, 0]);
  });

  it("joining a producer that put more than the ring holds does not deadlock (Python's documented trap)", async () => {
    const q = new Queue<{ producer: number; seq: number }>({ capacityBytes: 1024 });
    const producer = new Process({ target: target('produce'), args: [q, 0, 10_000, true] });
    producer.start();
    expect(await joinAll([producer])).toEqual([0]);
    expect(q.qsize()).toBe(10_000);
    for (let seq = 0; seq < 10_000; seq++) expect(q.getSync().seq).toBe(seq);
  });

  it('a queue made with a custom codec needs it in other threads too (useCodec), else InvalidStateError', async () => {
    const jsonCodec = {
      encode: (value: unknown) => new TextEncoder().encode(JSON.stringify(value)),
      decode: (bytes: Uint8Array) => JSON.parse(new TextDecoder().decode(bytes)) as unknown,
    };
    const q = new Queue<unknown>({ codec: jsonCodec });
    const results = new Queue<{ code: string; item: unknown }>();
    q.putSync({ json: true });
    const child = new Process({ target: target('getWithJsonCodec'), args: [q, results] });
    child.start();
    expect(await results.get({ timeout: GUARD_MS })).toEqual({ code: 'ERR_IPC_INVALID_STATE', item: { json: true } });
    expect(await joinAll([child])).toEqual([0]);
  });

  it('@ipc primitives inside a message arrive live: a Futex and another Queue', async () => {
    const q = new Queue<{ futex: Futex; reply: Queue<string> }>();
    const futex = new Futex(0);
    const reply = new Queue<string>();
    const child = new Process({ target: target('useLivePrimitives'), args: [q] });
    child.start();
    q.putSync({ futex, reply });
    expect(await reply.get({ timeout: GUARD_MS })).toBe('answered through a queue that came inside a message');
    expect(futex.load()).toBe(42);
    expect(await joinAll([child])).toEqual([0]);
  });

  it('a consumer terminated while blocked in get takes nothing with it', async () => {
    const q = new Queue<string>();
    const started = new Futex(0);
    const consumer = new Process({ target: target('blockInGet'), args: [q, started] });
    consumer.start();
    await changed(started);
    await sleep(30);
    consumer.terminate();
    await joinAll([consumer]);
    q.putSync('for the living');
    expect(q.getSync({ timeout: 1000 })).toBe('for the living');
  });

  it('producers and consumers terminated mid-operation lose nothing whole and tear nothing', async () => {
    const q = new Queue<{ i: number; text: string }>({ maxsize: 100, capacityBytes: 4096 });
    const put = new Futex(0);
    const got = new Futex(0);
    const workers = [
      new Process({ target: target('putForever'), args: [q, put] }),
      new Process({ target: target('putForever'), args: [q, put] }),
      new Process({ target: target('getForever'), args: [q, got] }),
    ];
    for (const w of workers) w.start();
    await sleep(150);
    for (const w of workers) w.terminate();
    await joinAll(workers);
    // Every message still queued is whole; the counts add up within the in-flight ones of the dead.
    let left = 0;
    for (;;) {
      try {
        const m = q.getNowait();
        expect(m.text).toBe('x'.repeat(m.i % 100));
        left++;
      } catch (error) {
        expect(error).toBeInstanceOf(Empty);
        break;
      }
    }
    expect(Math.abs(put.load() - got.load() - left)).toBeLessThanOrEqual(3);
    q.putSync({ i: 1, text: 'x' });
    expect(q.getSync({ timeout: 1000 })).toEqual({ i: 1, text: 'x' });
  });
});
