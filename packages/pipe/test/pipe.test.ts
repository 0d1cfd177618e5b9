import { Futex } from '@ipc/core';
import { BufferTooShort, EOFError, InvalidStateError, MAX_UNREAD, Pipe, wait, waitSync } from '@ipc/pipe';
import { Process } from '@ipc/process';
import { describe, expect, it } from 'vitest';
import { changed, GUARD_MS, joinAll, sleep, target, withGuard } from './helpers.ts';

describe('Pipe in one thread', () => {
  it('a duplex pipe carries objects both ways, in order, as copies', async () => {
    const [a, b] = Pipe<unknown>();
    const sent = { n: 1, list: [1, 2], when: new Date(0), map: new Map([['k', 1]]) };
    await a.send(sent);
    a.sendSync('second');
    b.sendSync('back');
    const got = await b.recv();
    expect(got).toEqual(sent);
    expect(got).not.toBe(sent);
    expect(b.recvSync()).toBe('second');
    expect(await a.recv()).toBe('back');
    expect([a.readable, a.writable, b.readable, b.writable]).toEqual([true, true, true, true]);
  });

  it('a one-way pipe: the first end only receives, the second only sends (else InvalidStateError)', async () => {
    const [reader, writer] = Pipe<string>(false);
    expect([reader.readable, reader.writable, writer.readable, writer.writable]).toEqual([true, false, false, true]);
    writer.sendSync('one way');
    expect(reader.recvSync()).toBe('one way');
    expect(() => reader.sendSync('x')).toThrow(InvalidStateError);
    await expect(reader.send('x')).rejects.toThrow(InvalidStateError);
    expect(() => writer.recvSync()).toThrow(InvalidStateError);
    await expect(writer.recv()).rejects.toThrow(InvalidStateError);
    expect(() => Pipe('no' as never)).toThrow(TypeError);
  });

  it('sendBytes / recvBytes / recvBytesInto, with offsets, maxlength and BufferTooShort', async () => {
    const [a, b] = Pipe();
    const data = new Uint8Array([0, 1, 2, 3, 4, 5, 6, 7]);
    a.sendBytesSync(data, 2, 3);
    expect([...b.recvBytesSync()]).toEqual([2, 3, 4]);
    await a.sendBytes(new Uint16Array([1, 2]));
    expect(await b.recvBytes()).toHaveLength(4);
    a.sendBytesSync(data);
    const into = new Uint8Array(12);
    expect(b.recvBytesIntoSync(into, 4)).toBe(8);
    expect([...into.subarray(4)]).toEqual([...data]);
    a.sendBytesSync(data);
    const small = new Uint8Array(4);
    const tooShort = await b.recvBytesInto(small).catch((error: unknown) => error);
    expect(tooShort).toBeInstanceOf(BufferTooShort);
    expect([...(tooShort as BufferTooShort).data]).toEqual([...data]);
    // Bad ranges: RangeError, nothing sent.
    expect(() => a.sendBytesSync(data, -1)).toThrow(RangeError);
    expect(() => a.sendBytesSync(data, 9)).toThrow(RangeError);
    expect(() => a.sendBytesSync(data, 4, 5)).toThrow(RangeError);
    expect(() => b.recvBytesIntoSync(small, 5)).toThrow(RangeError);
    expect(b.pollSync()).toBe(false);
    // A message longer than maxlength is taken and reported whole; the end stays usable.
    a.sendBytesSync(data);
    const tooLong = await b.recvBytes(4).catch((error: unknown) => error);
    expect(tooLong).toBeInstanceOf(BufferTooShort);
    expect([...(tooLong as BufferTooShort).data]).toEqual([...data]);
    a.sendSync('after');
    expect(b.recvSync()).toBe('after');
  });

  it('poll: false when empty, true with a message, waits up to its timeout', async () => {
    const [a, b] = Pipe();
    expect(b.pollSync()).toBe(false);
    const started = performance.now();
    expect(await b.poll(100)).toBe(false);
    expect(performance.now() - started).toBeGreaterThanOrEqual(90);
    setTimeout(() => a.sendSync('late'), 20);
    expect(await b.poll(GUARD_MS)).toBe(true);
    expect(b.recvSync()).toBe('late');
  });

  it('after the other end is closed: recv drains, then EOFError; send throws; for await ends', async () => {
    const [a, b] = Pipe<number>();
    for (const n of [1, 2, 3]) a.sendSync(n);
    a.close();
    expect(a.closed).toBe(true);
    expect(() => a.sendSync(4)).toThrow(InvalidStateError);
    expect(b.recvSync()).toBe(1);
    const rest: number[] = [];
    for await (const n of b) rest.push(n);
    expect(rest).toEqual([2, 3]);
    expect(() => b.recvSync()).toThrow(EOFError);
    await expect(b.recv()).rejects.toThrow(EOFError);
    expect(b.pollSync()).toBe(true);
    expect(() => b.sendSync(5)).toThrow(/other end of the pipe is closed/);
    a.close();
  });

  it('an end collected without close() is closed: the other end gets EOFError', async () => {
    const { setFlagsFromString } = await import('node:v8');
    const { runInNewContext } = await import('node:vm');
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const make = () => {
      const [kept, dropped] = Pipe<string>();
      dropped.sendSync('last words');
      return kept;
    };
    const kept = make();
    expect(kept.recvSync()).toBe('last words');
    for (let i = 0; i < 20; i++) {
      gc();
      await new Promise((resolve) => setTimeout(resolve, 10));
      if (kept.pollSync()) break;
    }
    expect(() => kept.recvSync()).toThrow(EOFError);
  });

  it('an abort signal rejects a waiting recv with its reason, and an aborted one before it takes anything', async () => {
    const [a, b] = Pipe<string>();
    const controller = new AbortController();
    const pending = b.recv({ signal: controller.signal });
    setTimeout(() => controller.abort(new Error('stop waiting')), 20);
    await expect(withGuard(pending, 'the abort')).rejects.toThrow('stop waiting');
    a.sendSync('kept');
    await expect(b.recv({ signal: controller.signal })).rejects.toThrow('stop waiting');
    expect(b.recvSync()).toBe('kept');
  });

  it('a send made while an earlier one waits for room (MAX_UNREAD) goes after it, not into the room first', async () => {
    const [a, b] = Pipe();
    for (let i = 0; i < MAX_UNREAD; i++) a.sendSync(i);
    const waiting = a.send('first to wait');
    expect(b.recvSync()).toBe(0); // room for one: the waiting send's, not the next one's
    const next = a.sendBytes(new Uint8Array([7]));
    for (let i = 1; i < MAX_UNREAD; i++) expect(b.recvSync()).toBe(i);
    expect(await withGuard(b.recv(), 'the waiting send')).toBe('first to wait');
    expect((await withGuard(b.recvBytes(), 'the next send'))[0]).toBe(7);
    await withGuard(Promise.all([waiting, next]), 'the sends');
  });

  it('carries messages far larger than its ring (16 MiB)', () => {
    const [a, b] = Pipe<Uint8Array>();
    const big = new Uint8Array(16 * 2 ** 20).fill(7);
    a.sendSync(big);
    a.sendBytesSync(big);
    expect(b.recvSync().length).toBe(big.length);
    expect(b.recvBytesSync()).toHaveLength(big.length);
  });

  it('an unencodable message throws in send, and nothing is sent', () => {
    const [a, b] = Pipe<unknown>();
    expect(() => a.sendSync({ f: () => 1 })).toThrow(TypeError);
    expect(b.pollSync()).toBe(false);
  });
});

describe('Pipe across workers', () => {
  it('a child echoes what it receives, sync in the child and async here; EOF ends it', async () => {
    const [here, there] = Pipe<unknown>();
    const child = new Process({ target: target('echo'), args: [there] });
    child.start();
    there.close();
    for (let i = 0; i < 100; i++) {
      await here.send({ i, text: 'x'.repeat(i) });
      expect(await withGuard(here.recv(), 'the echo')).toEqual({ i, text: 'x'.repeat(i) });
    }
    here.close();
    expect(await joinAll([child])).toEqual([0]);
  });

  it("seed 004: two children share one end; one's close() does not close it for the other", async () => {
    const [main, sub] = Pipe<string>();
    const children = ['first', 'second'].map(
      (name) => new Process({ target: target('greetAndClose'), args: [sub, name] }),
    );
    for (const c of children) c.start();
    // One stream for both children: a greeting and a report of the other child can come in any order.
    const got: string[] = [];
    for (let i = 0; i < 4; i++) {
      const message = await withGuard(main.recv(), 'a message');
      got.push(message);
      if (message.startsWith("Hi I'm")) await main.send("Remember I'm your Master");
    }
    expect(got.sort()).toEqual([
      "Hi I'm first",
      "Hi I'm second",
      "first got: Remember I'm your Master",
      "second got: Remember I'm your Master",
    ]);
    expect(await joinAll(children)).toEqual([0, 0]);
  });

  it('a child that ends without close() closes its end: recv gets what it sent, then EOFError', async () => {
    const [here, there] = Pipe<{ i: number }>();
    const child = new Process({ target: target('sendAndEnd'), args: [there, 50] });
    child.start();
    there.close();
    const got: number[] = [];
    for await (const { i } of here) got.push(i);
    expect(got).toEqual([...Array(50).keys()]);
    expect(await joinAll([child])).toEqual([0]);
  });

  it('a child terminated before it decoded its args gives its copy of the end back: EOFError comes', async () => {
    const [here, there] = Pipe<string>();
    const child = new Process({ target: target('neverReached'), args: [there] });
    child.start();
    there.close();
    child.terminate();
    await joinAll([child]);
    expect(
      await withGuard(
        here.recv().catch((error: unknown) => error),
        'EOF',
      ),
    ).toBeInstanceOf(EOFError);
  });

  it('a Process made with an end in its args and collected without start() gives its copy back', async () => {
    const { setFlagsFromString } = await import('node:v8');
    const { runInNewContext } = await import('node:vm');
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const [here, there] = Pipe<string>();
    (() => new Process({ target: target('neverReached'), args: [there] }))();
    there.close();
    for (let i = 0; i < 20 && !here.pollSync(); i++) {
      gc();
      await sleep(10);
    }
    expect(() => here.recvSync()).toThrow(EOFError);
  });

  it('a pipe made with a custom codec: other threads need useCodec, then objects go through it', async () => {
    const jsonCodec = {
      encode: (value: unknown) => new TextEncoder().encode(JSON.stringify(value)),
      decode: (bytes: Uint8Array) => JSON.parse(new TextDecoder().decode(bytes)) as unknown,
    };
    const [here, there] = Pipe<unknown>(true, { codec: jsonCodec });
    const child = new Process({ target: target('echoWithJsonCodec'), args: [there] });
    child.start();
    there.close();
    await here.send({ when: new Date(0) });
    // JSON: the Date arrives as its string, as this codec carries it.
    expect(await withGuard(here.recv(), 'the answer')).toEqual({
      code: 'ERR_IPC_INVALID_STATE',
      got: { when: '1970-01-01T00:00:00.000Z' },
    });
    expect(await joinAll([child])).toEqual([0]);
    expect(() => Pipe(true, { codec: {} as never })).toThrow(TypeError);
  });

  it('a reader terminated while blocked in recv: the pipe still works for the living', async () => {
    const [here, there] = Pipe<string>();
    const started = new Futex(0);
    const child = new Process({ target: target('blockInRecv'), args: [there, started] });
    child.start();
    await changed(started);
    await sleep(20);
    child.terminate();
    await joinAll([child]);
    here.sendSync('for the living');
    expect(there.recvSync()).toBe('for the living');
  });

  it('a Connection inside a message arrives live', async () => {
    const [here, there] = Pipe<unknown>();
    const [replyHere, replyThere] = Pipe<string>();
    const child = new Process({ target: target('replyThrough'), args: [there] });
    child.start();
    here.sendSync({ reply: replyThere, text: 'hello' });
    replyThere.close();
    expect(await withGuard(replyHere.recv(), 'the reply')).toBe('hello (through a connection sent in a message)');
    expect(
      await withGuard(
        replyHere.recv().catch((e: unknown) => e),
        'EOF',
      ),
    ).toBeInstanceOf(EOFError);
    expect(await joinAll([child])).toEqual([0]);
  });
});

describe('wait() and waitSync()', () => {
  it('return the ready connections, in the order given, or [] at the timeout', async () => {
    const [a1, b1] = Pipe();
    const [a2, b2] = Pipe();
    expect(await wait([b1, b2], 0)).toEqual([]);
    const started = performance.now();
    expect(waitSync([b1, b2], 50)).toEqual([]);
    expect(performance.now() - started).toBeGreaterThanOrEqual(45);
    setTimeout(() => a2.sendSync('two'), 20);
    expect(await withGuard(wait([b1, b2], GUARD_MS), 'wait')).toEqual([b2]);
    a1.sendSync('one');
    expect(waitSync([b1, b2], GUARD_MS)).toEqual([b1, b2]);
    a1.close();
    b1.recvSync();
    // Closed and drained: ready (recv would throw EOFError at once).
    expect(waitSync([b1], 0)).toEqual([b1]);
    expect(() => waitSync([{}] as never)).toThrow(TypeError);
  });

  it("wake for a message from another thread and for a process's end (its sentinel)", async () => {
    const [here, there] = Pipe<{ i: number }>();
    const child = new Process({ target: target('sendAndEnd'), args: [there, 1] });
    child.start();
    there.close();
    expect(await withGuard(wait([here], GUARD_MS), 'a message')).toEqual([here]);
    expect(here.recvSync()).toEqual({ i: 0 });
    const sentinel = child.sentinel;
    expect(await withGuard(wait([sentinel], GUARD_MS), 'the end')).toEqual([sentinel]);
    expect(await joinAll([child])).toEqual([0]);
  });
});
