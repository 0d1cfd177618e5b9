import { deadlineAfter, Futex, parkUntil, WAITABLE } from '@ipc/core';
import { BufferTooShort, EOFError, InvalidStateError, type SocketConnection } from '@ipc/pipe';
import { describe, expect, it } from 'vitest';
import { connectedPair, GUARD_MS, rejection, sleep, withGuard } from './helpers.ts';

describe('SocketConnection messages', () => {
  it('carries data values both ways over a Unix socket, through the data codec', async () => {
    const { server, client } = await connectedPair();
    const value = {
      text: 'héllo ✓',
      numbers: [0, -1, 2 ** 40, 1.5, Number.NaN],
      big: 2n ** 100n,
      when: new Date(1_700_000_000_000),
      map: new Map<unknown, unknown>([[1, { nested: new Set(['a']) }]]),
      bytes: new Uint8Array([1, 2, 3]),
      floats: new Float32Array([0.5]),
      error: new RangeError('kept'),
      nothing: null,
      missing: undefined,
    };
    await withGuard(client.send(value), 'send');
    expect(await withGuard(server.recv(), 'recv')).toEqual(value);
    await withGuard(server.send('reply'), 'send back');
    expect(await withGuard(client.recv(), 'recv back')).toBe('reply');
  });

  it('works over TCP on loopback: port 0 gives a real port', async () => {
    const { listener, server, client } = await connectedPair({ address: { host: '127.0.0.1', port: 0 } });
    const address = listener.address as { host: string; port: number };
    expect(address.host).toBe('127.0.0.1');
    expect(address.port).toBeGreaterThan(0);
    await withGuard(client.send({ i: 1, s: 'x' }), 'send');
    expect(await withGuard(server.recv(), 'recv')).toEqual({ i: 1, s: 'x' });
  });

  it('delivers every message whole and in order, large ones (spread over many reads) too', async () => {
    const { server, client } = await connectedPair();
    const big = new Uint8Array(4 * 1024 * 1024).map((_, i) => i % 251);
    const sent = [1, 'two', big, { three: 3 }, big.subarray(0, 70_000), 'last'];
    await withGuard(Promise.all(sent.map((message) => client.send(message))), 'the sends');
    for (const expected of sent) {
      const got = await withGuard(server.recv(), 'recv');
      // Byte arrays compared as Buffers: a deep toEqual of 4 MiB takes seconds.
      if (expected instanceof Uint8Array) expect(Buffer.from(got as Uint8Array).equals(expected)).toBe(true);
      else expect(got).toEqual(expected);
    }
  });

  // Scenario: a fast sender, a receiver that does not read; the receiver's memory must not grow without bound.
  it('stops reading while 8 MiB of messages wait unread, so that the sender waits; all arrive once read', async () => {
    const { server, client } = await connectedPair();
    const payload = new Uint8Array(1024 * 1024);
    let resolved = 0;
    const sends = Array.from({ length: 40 }, () => client.sendBytes(payload).then(() => resolved++));
    await sleep(300);
    // 8 MiB waiting here, what the kernel buffers, and the sender's own buffer: far from 40 MiB.
    expect(resolved).toBeLessThan(30);
    for (let i = 0; i < 40; i++)
      expect(await withGuard(server.recvBytes(), `message ${i}`)).toHaveLength(payload.length);
    await withGuard(Promise.all(sends), 'every send');
    expect(resolved).toBe(40);
  });

  it('serves concurrent recv calls in call order', async () => {
    const { server, client } = await connectedPair();
    const pending = [server.recv(), server.recv(), server.recv()];
    for (const message of ['a', 'b', 'c']) await client.send(message);
    expect(await withGuard(Promise.all(pending), 'the recvs')).toEqual(['a', 'b', 'c']);
  });

  it('refuses, at send, a value holding a shared-memory primitive; nothing is sent', async () => {
    const { server, client } = await connectedPair();
    const error = await rejection(client.send({ done: new Futex(0) }), 'send of a Futex');
    expect(error).toBeInstanceOf(TypeError);
    expect(error.message).toMatch(/cannot encode a shared ipc\.core\.Futex/);
    await expect(client.send({ f: () => 1 })).rejects.toThrow(TypeError);
    await client.send('after');
    expect(await withGuard(server.recv(), 'recv')).toBe('after');
  });

  it('refuses a message over maxMessageBytes at send with a RangeError; the connection goes on', async () => {
    const { server, client } = await connectedPair({ maxMessageBytes: 1000 });
    await expect(client.sendBytes(new Uint8Array(1001))).rejects.toThrow(/1001 bytes is over maxMessageBytes \(1000\)/);
    await expect(client.send('x'.repeat(2000))).rejects.toThrow(RangeError);
    await client.sendBytes(new Uint8Array(1000));
    expect(await withGuard(server.recvBytes(), 'recvBytes')).toHaveLength(1000);
  });
});

describe('SocketConnection raw bytes', () => {
  it('sendBytes sends buf[offset..offset+size); offsets count bytes whatever the element size', async () => {
    const { server, client } = await connectedPair();
    await client.sendBytes(new Uint8Array([0, 1, 2, 3, 4, 5]), 2, 3);
    expect(await withGuard(server.recvBytes(), 'recvBytes')).toEqual(new Uint8Array([2, 3, 4]));
    await client.sendBytes(new Uint16Array([0x0102, 0x0304]), 1);
    const littleEndian = new Uint8Array(new Uint16Array([0x0102, 0x0304]).buffer);
    expect(await withGuard(server.recvBytes(), 'recvBytes')).toEqual(littleEndian.slice(1));
    await client.sendBytes(new Uint8Array(0));
    expect(await withGuard(server.recvBytes(), 'empty message')).toEqual(new Uint8Array(0));
    await client.sendBytes(new Uint8Array([9, 8]).buffer);
    const received = await withGuard(server.recvBytes(), 'recvBytes');
    expect(received).toEqual(new Uint8Array([9, 8]));
    // A Uint8Array of its own, not a view of a larger read buffer.
    expect(received.constructor).toBe(Uint8Array);
    expect(received.buffer.byteLength).toBe(2);
  });

  it('a resolved sendBytes lets the buffer be reused: large payloads are not copied, but written before', async () => {
    const { server, client } = await connectedPair();
    const payload = new Uint8Array(1024 * 1024).fill(1);
    await withGuard(client.sendBytes(payload), 'sendBytes');
    payload.fill(2);
    const received = await withGuard(server.recvBytes(), 'recvBytes');
    expect(received.every((byte) => byte === 1)).toBe(true);
  });

  it('recvBytesInto writes at a byte offset and returns the length', async () => {
    const { server, client } = await connectedPair();
    await client.sendBytes(new Uint8Array([7, 8, 9]));
    const target = new Uint8Array(6);
    expect(await withGuard(server.recvBytesInto(target, 2), 'recvBytesInto')).toBe(3);
    expect(target).toEqual(new Uint8Array([0, 0, 7, 8, 9, 0]));
    await client.sendBytes(new Uint8Array([1, 0, 0, 0]));
    const words = new Int32Array(2);
    expect(await server.recvBytesInto(words, 4)).toBe(4);
    expect(words[1]).toBe(1);
  });

  it('recvBytesInto into a buffer too small throws BufferTooShort holding the whole message; the next reads', async () => {
    const { server, client } = await connectedPair();
    await client.sendBytes(new Uint8Array([1, 2, 3, 4]));
    await client.sendBytes(new Uint8Array([5]));
    const error = await rejection(server.recvBytesInto(new Uint8Array(5), 2), 'recvBytesInto');
    expect(error).toBeInstanceOf(BufferTooShort);
    expect((error as BufferTooShort).data).toEqual(new Uint8Array([1, 2, 3, 4]));
    expect(await withGuard(server.recvBytes(), 'the next message')).toEqual(new Uint8Array([5]));
  });

  it('recvBytes(maxlength) with a longer message throws BufferTooShort holding it; the connection goes on', async () => {
    const { server, client } = await connectedPair();
    await client.sendBytes(new Uint8Array(10));
    await client.sendBytes(new Uint8Array(3));
    const error = await rejection(server.recvBytes(9), 'recvBytes(9)');
    expect(error).toBeInstanceOf(BufferTooShort);
    expect((error as BufferTooShort).data).toHaveLength(10);
    expect(await withGuard(server.recvBytes(3), 'recvBytes(3)')).toHaveLength(3);
  });

  it('send and sendBytes, recv and recvBytes mix: a message is bytes either way', async () => {
    const { server, client } = await connectedPair();
    await client.send({ i: 1 });
    const bytes = await withGuard(server.recvBytes(), 'recvBytes of a sent value');
    await server.sendBytes(bytes);
    expect(await withGuard(client.recv(), 'recv of sent bytes')).toEqual({ i: 1 });
  });
});

describe('SocketConnection poll, EOF and close', () => {
  it('poll() looks once; poll(ms) waits up to ms for a whole message; poll(null) waits for ever', async () => {
    const { server, client } = await connectedPair();
    expect(await server.poll()).toBe(false);
    const started = performance.now();
    expect(await withGuard(server.poll(60), 'poll(60)')).toBe(false);
    expect(performance.now() - started).toBeGreaterThanOrEqual(50);
    const waiting = server.poll(null);
    setTimeout(() => void client.send('now'), 30);
    expect(await withGuard(waiting, 'poll(null)')).toBe(true);
    expect(await server.poll()).toBe(true);
    expect(await server.recv()).toBe('now');
    expect(await server.poll()).toBe(false);
  });

  it('after the peer closes: the messages sent before are read, then EOFError; poll says true', async () => {
    const { server, client } = await connectedPair();
    await client.send(1);
    await client.send(2);
    client.close();
    expect(await withGuard(server.recv(), 'recv 1')).toBe(1);
    expect(await withGuard(server.recv(), 'recv 2')).toBe(2);
    const error = await rejection(server.recv(), 'recv at EOF');
    expect(error).toBeInstanceOf(EOFError);
    expect(error.message).toBe('the peer closed the connection');
    expect(await server.poll()).toBe(true);
    expect(server.readable).toBe(false);
    expect(server.closed).toBe(false);
  });

  it('for await reads every message and ends when the peer closes', async () => {
    const { server, client } = await connectedPair<number>();
    for (let i = 0; i < 5; i++) await client.send(i);
    client.close();
    const got: number[] = [];
    await withGuard(
      (async () => {
        for await (const message of server) got.push(message);
      })(),
      'the loop to end',
    );
    expect(got).toEqual([0, 1, 2, 3, 4]);
  });

  it('for await ends when this end is closed while it waits', async () => {
    const { server } = await connectedPair();
    const loop = (async () => {
      for await (const _ of server) throw new Error('no message was sent');
    })();
    await sleep(20);
    server.close();
    await withGuard(loop, 'the loop to end');
  });

  it('send to a peer that closed rejects with InvalidStateError: never a silent drop', async () => {
    const { server, client } = await connectedPair();
    client.close();
    await rejection(server.recv(), 'EOF');
    expect(server.writable).toBe(false);
    const error = await rejection(server.send('anyone?'), 'send after the peer closed');
    expect(error).toBeInstanceOf(InvalidStateError);
    expect(error.message).toMatch(/peer closed the connection/);
  });

  it('send to a peer that is gone, without reading first, fails within a few sends', async () => {
    const { server, client } = await connectedPair();
    client.close();
    const error = await rejection(
      (async () => {
        for (;;) {
          await server.sendBytes(new Uint8Array(1024));
          await sleep(5);
        }
      })(),
      'a send to fail',
    );
    expect(error).toBeInstanceOf(InvalidStateError);
  });

  it('close() rejects a waiting recv and every later call with InvalidStateError; the peer reads what was sent', async () => {
    const { server, client } = await connectedPair();
    const waiting = client.recv();
    await client.send('sent before close');
    client.close();
    client.close();
    expect(client.closed).toBe(true);
    expect(client.readable).toBe(false);
    expect(client.writable).toBe(false);
    expect(await rejection(waiting, 'the waiting recv')).toBeInstanceOf(InvalidStateError);
    await expect(client.recv()).rejects.toThrow(InvalidStateError);
    await expect(client.send(1)).rejects.toThrow(/the connection is closed/);
    await expect(client.recvBytes()).rejects.toThrow(InvalidStateError);
    await expect(client.poll()).rejects.toThrow(InvalidStateError);
    expect(await withGuard(server.recv(), 'recv')).toBe('sent before close');
    await expect(server.recv()).rejects.toThrow(EOFError);
  });

  it('implements the readiness protocol: ready() and the spot word follow arriving messages', async () => {
    const { server, client }: { server: SocketConnection; client: SocketConnection } = await connectedPair();
    const readiness = server[WAITABLE];
    expect(readiness.ready()).toBe(false);
    const before = Atomics.load(readiness.spot.i32, readiness.spot.valueIndex);
    // How wait() waits: park on the spot until ready() (the sender runs on this thread's event loop).
    const parked = parkUntil(readiness.spot, () => (readiness.ready() ? true : undefined), {
      deadline: deadlineAfter(GUARD_MS),
    });
    setTimeout(() => void client.send('wake'), 20);
    expect(await withGuard(parked, 'the wake-up')).toBe(true);
    expect(Atomics.load(readiness.spot.i32, readiness.spot.valueIndex)).not.toBe(before);
    await server.recv();
    expect(server[WAITABLE].ready()).toBe(false);
  });
});
