import { once } from 'node:events';
import { ProcessError } from '@ipc/core';
import { Client, EOFError, InvalidStateError } from '@ipc/pipe';
import { describe, expect, it } from 'vitest';
import { connectedPair, frame, listen, rawSocket, rejection, sleep, withGuard } from './helpers.ts';

/** A listener without an authkey, one connection from a raw socket, and the accepted end. */
async function rawPeer(maxMessageBytes?: number) {
  const { listener, address } = await listen(maxMessageBytes === undefined ? {} : { maxMessageBytes });
  const raw = await rawSocket(address);
  const accepted = await withGuard(listener.accept(), 'accept');
  return { listener, address, raw, accepted };
}

/** The listener still serves a well-behaved client after the bad one. */
async function expectStillServing(listener: Awaited<ReturnType<typeof listen>>['listener']): Promise<void> {
  const [server, client] = await withGuard(Promise.all([listener.accept(), Client(listener.address)]), 'a new client');
  await client.send('still here');
  expect(await withGuard(server.recv(), 'recv')).toBe('still here');
  server.close();
  client.close();
}

describe('bad input from the peer', () => {
  // Scenario: a peer announces a message over maxMessageBytes; this end must not buffer it.
  it('an oversized frame closes the connection with a clear error, after the messages before it', async () => {
    const { listener, raw, accepted } = await rawPeer(1024);
    raw.write(frame(Buffer.from([0xa2, 0x6f, 0x6b]))); // the string 'ok', then a 1 GiB announcement
    const header = Buffer.alloc(4);
    header.writeInt32BE(1024 ** 3);
    raw.write(header);
    expect(await withGuard(accepted.recv(), 'the message before')).toBe('ok');
    const error = await rejection(accepted.recv(), 'recv of the oversized frame');
    expect(error).toBeInstanceOf(ProcessError);
    expect(error.message).toBe(
      'the connection was closed after receiving a message of 1073741824 bytes, over the limit of 1024 bytes (maxMessageBytes)',
    );
    expect(accepted.writable).toBe(false);
    await expect(accepted.send('x')).rejects.toThrow(InvalidStateError);
    // This end closed the socket: the peer sees it end.
    await withGuard(once(raw, 'close'), 'the raw socket to be closed');
    await expectStillServing(listener);
  });

  // Scenario (review3): a peer floods empty messages (4 bytes each on the wire, 0 bytes of payload) at a
  // connection nobody reads. Each waits as an object of its own; counting only payload bytes, the 8 MiB
  // backpressure bound is never reached and memory grows for as long as the peer sends.
  it('stops reading a flood of empty messages nobody reads: the peer waits', async () => {
    const { raw, accepted } = await rawPeer();
    const flood = Buffer.alloc(8 * 1024 * 1024); // 2 Mi empty frames
    raw.write(flood);
    await sleep(1000);
    // The reader paused: most of the flood is still in the peer's buffer.
    expect(raw.writableLength).toBeGreaterThan(flood.length / 2);
    expect(await withGuard(accepted.recvBytes(), 'an empty message')).toHaveLength(0);
  });

  it('a long header (-1, then a 64-bit length) over the limit is refused the same way', async () => {
    const { raw, accepted } = await rawPeer();
    const header = Buffer.alloc(12);
    header.writeInt32BE(-1);
    header.writeBigUInt64BE(2n ** 63n, 4);
    raw.write(header);
    const error = await rejection(accepted.recv(), 'recv');
    expect(error).toBeInstanceOf(ProcessError);
    expect(error.message).toMatch(/a message of 9223372036854776000 bytes, over the limit of 67108864 bytes/);
  });

  it('a negative length is refused as bytes of another protocol', async () => {
    const { raw, accepted } = await rawPeer();
    const header = Buffer.alloc(4);
    header.writeInt32BE(-5);
    raw.write(header);
    const error = await rejection(accepted.recvBytes(), 'recvBytes');
    expect(error.message).toMatch(/a frame header with a negative length \(-5\): bytes of another protocol/);
  });

  // Scenario: the peer dies in the middle of writing a message.
  it('a truncated frame (the peer closes mid-frame) is an EOFError saying so', async () => {
    const { listener, raw, accepted } = await rawPeer();
    const header = Buffer.alloc(4);
    header.writeInt32BE(100);
    raw.end(Buffer.concat([frame('whole'), header, Buffer.alloc(10)]));
    expect(Buffer.from(await withGuard(accepted.recvBytes(), 'the whole message')).toString()).toBe('whole');
    const error = await rejection(accepted.recvBytes(), 'recvBytes of the truncated one');
    expect(error).toBeInstanceOf(EOFError);
    expect(error.message).toBe('the peer closed the connection in the middle of a message (14 byte(s) of it received)');
    await expectStillServing(listener);
  });

  it('a message the codec cannot decode is a TypeError; it is consumed and the next one reads', async () => {
    const { raw, accepted } = await rawPeer();
    raw.write(Buffer.concat([frame(Buffer.from([0xc1])), frame(Buffer.from([0xdd, 0xff, 0xff, 0xff, 0xff]))]));
    raw.write(frame(Buffer.from([0x2a])));
    expect(await rejection(accepted.recv(), 'recv of 0xc1')).toBeInstanceOf(TypeError);
    const lying = await rejection(accepted.recv(), 'recv of an array that claims 4G items');
    expect(lying.message).toMatch(/cannot decode the message: it ends inside a value/);
    expect(await withGuard(accepted.recv(), 'recv of 42')).toBe(42);
  });

  // Scenario: a Python peer sends a pickle whose loading would run os.system; it must stay bytes.
  it('a pickle is not run: it is a TypeError for recv, bytes for recvBytes', async () => {
    const { raw, accepted } = await rawPeer();
    // pickle.dumps of an object whose __reduce__ returns (os.system, ('echo pwned',)), protocol 4.
    const pickle = Buffer.from(
      '80049525000000000000008c05706f736978948c0673797374656d9493948c0a6563686f2070776e656494859452942e',
      'hex',
    );
    raw.write(Buffer.concat([frame(pickle), frame(pickle)]));
    expect(await rejection(accepted.recv(), 'recv of a pickle')).toBeInstanceOf(TypeError);
    expect(Buffer.from(await withGuard(accepted.recvBytes(), 'recvBytes')).equals(pickle)).toBe(true);
  });
});

describe('bad arguments', () => {
  it('negative, fractional or out-of-range offsets and sizes are RangeErrors, checked before anything is sent', async () => {
    const { server, client } = await connectedPair();
    const buf = new Uint8Array(8);
    await expect(client.sendBytes(buf, -1)).rejects.toThrow(/offset is negative: -1/);
    await expect(client.sendBytes(buf, 0, -1)).rejects.toThrow(/size is negative: -1/);
    await expect(client.sendBytes(buf, 1.5)).rejects.toThrow(RangeError);
    await expect(client.sendBytes(buf, 9)).rejects.toThrow(/buffer length < offset: 8 < 9/);
    await expect(client.recvBytes(-1)).rejects.toThrow(/negative maxlength/);
    await expect(server.recvBytesInto(buf, -1)).rejects.toThrow(/negative offset: -1/);
    await expect(server.recvBytesInto(buf, 9)).rejects.toThrow(/offset too large: 9 > 8/);
    await expect(server.poll(Number.NaN)).rejects.toThrow(RangeError);
    await client.send('only this was sent');
    expect(await withGuard(server.recv(), 'recv')).toBe('only this was sent');
  });

  it('sendBytes past the end of the buffer is a RangeError', async () => {
    const { client } = await connectedPair();
    const buf = new Float64Array(2); // 16 bytes
    await expect(client.sendBytes(buf, 8, 9)).rejects.toThrow(/buffer length < offset \+ size: 16 < 8 \+ 9/);
    await expect(client.sendBytes(buf, 0, 17)).rejects.toThrow(RangeError);
    await expect(client.sendBytes(buf, 8, 8)).resolves.toBeUndefined();
  });

  it('something other than bytes is a TypeError', async () => {
    const { server, client } = await connectedPair();
    await expect(client.sendBytes('text' as unknown as Uint8Array)).rejects.toThrow(TypeError);
    await expect(client.sendBytes(new Uint8Array(1), '1' as unknown as number)).rejects.toThrow(TypeError);
    await expect(server.recvBytesInto([1, 2] as unknown as Uint8Array)).rejects.toThrow(TypeError);
  });
});
