import { createHmac } from 'node:crypto';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { AuthenticationError, Client, type SocketAddress } from '@ipc/pipe';
import { describe, expect, it } from 'vitest';
import { answerFor, checkAnswer, digestAndPayload } from '../../src/socket/handshake.ts';
import { connectedPair, frame, listen, rawSocket, rejection, socketPath, track, withGuard } from './helpers.ts';

const KEY = Buffer.from('the key');

describe('the HMAC challenge, as CPython 3.12 computes it', () => {
  const challenge = Buffer.concat([Buffer.from('{sha256}'), Buffer.alloc(40, 7)]);

  it('answers a {digest} challenge with {digest} and the HMAC of the whole challenge, prefix included', () => {
    const answer = answerFor(KEY, challenge);
    const mac = createHmac('sha256', KEY).update(challenge).digest();
    expect(answer).toEqual(Buffer.concat([Buffer.from('{sha256}'), mac]));
    expect(() => checkAnswer(KEY, challenge, answer)).not.toThrow();
  });

  it('answers a legacy 20-byte challenge (CPython 3.11) with a bare HMAC-MD5', () => {
    const legacy = Buffer.alloc(20, 3);
    expect(answerFor(KEY, legacy)).toEqual(createHmac('md5', KEY).update(legacy).digest());
  });

  it('accepts a bare 16-byte answer as HMAC-MD5 of its own challenge (a CPython 3.11 client)', () => {
    expect(() => checkAnswer(KEY, challenge, createHmac('md5', KEY).update(challenge).digest())).not.toThrow();
  });

  it('accepts the other digests CPython allows, by their wire names', () => {
    for (const [wire, node] of [
      ['sha384', 'sha384'],
      ['sha3_256', 'sha3-256'],
      ['sha3_384', 'sha3-384'],
      ['md5', 'md5'],
    ]) {
      const answer = Buffer.concat([
        Buffer.from(`{${wire}}`),
        createHmac(node as string, KEY)
          .update(challenge)
          .digest(),
      ]);
      expect(() => checkAnswer(KEY, challenge, answer), wire).not.toThrow();
    }
  });

  it('rejects a wrong key, a truncated MAC, an unknown digest and a malformed answer', () => {
    const wrong = answerFor(Buffer.from('another key'), challenge);
    expect(() => checkAnswer(KEY, challenge, wrong)).toThrow(/digest received was wrong/);
    expect(() => checkAnswer(KEY, challenge, answerFor(KEY, challenge).subarray(0, 30))).toThrow(
      /not a sha256 digest \(22 bytes instead of 32\)/,
    );
    expect(() => checkAnswer(KEY, challenge, Buffer.concat([Buffer.from('{sha1}'), Buffer.alloc(20)]))).toThrow(
      AuthenticationError,
    );
    expect(() => digestAndPayload(Buffer.from('no braces at all, 33 bytes long!'))).toThrow(/unsupported handshake/);
    expect(() => digestAndPayload(Buffer.from('{sha256'))).toThrow(AuthenticationError);
  });
});

describe('authentication between Listener and Client', () => {
  it('passes with the same key, given as a string on one side and bytes on the other', async () => {
    const { listener, address } = await listen({ authkey: 'the key' });
    const [server, client] = await withGuard(
      Promise.all([listener.accept(), Client(address, { authkey: KEY })]),
      'the handshake',
    );
    track(server);
    track(client);
    await client.send('authenticated');
    expect(await withGuard(server.recv(), 'recv')).toBe('authenticated');
  });

  it('keeps what the client sends right after the handshake (it may arrive with the last handshake frame)', async () => {
    const { server, client } = await connectedPair({ authkey: KEY });
    const messages = Array.from({ length: 50 }, (_, i) => i);
    await Promise.all(messages.map((i) => client.send(i)));
    for (const i of messages) expect(await withGuard(server.recv(), 'recv')).toBe(i);
  });

  // Scenario: a client with the wrong key; Python raises AuthenticationError on both sides.
  it('a wrong key is an AuthenticationError on both sides, and the listener serves the next client', async () => {
    const { listener, address } = await listen({ authkey: KEY });
    const [accepted, connected] = await withGuard(
      Promise.allSettled([listener.accept(), Client(address, { authkey: 'wrong' })]),
      'both sides to fail',
    );
    expect(accepted.status === 'rejected' && accepted.reason).toBeInstanceOf(AuthenticationError);
    expect(connected.status === 'rejected' && connected.reason).toBeInstanceOf(AuthenticationError);
    expect((connected as PromiseRejectedResult).reason.message).toMatch(/digest sent was rejected/);
    const [server, client] = await withGuard(
      Promise.all([listener.accept(), Client(address, { authkey: KEY })]),
      'the next client',
    );
    await client.send('next');
    expect(await withGuard(track(server).recv(), 'recv')).toBe('next');
    track(client);
  });

  it('a client without a key, to a listener with one: both sides are told', async () => {
    const { listener, address } = await listen({ authkey: KEY });
    const client = track(await withGuard(Client(address), 'connect'));
    await client.send('hello?');
    const refused = await rejection(listener.accept(), 'accept');
    expect(refused).toBeInstanceOf(AuthenticationError);
    const told = await rejection(client.recv(), 'recv of the challenge');
    expect(told).toBeInstanceOf(AuthenticationError);
    expect(told.message).toMatch(/handshake of a peer that uses an authkey/);
  });

  it('a client with a key, to a listener without one: AuthenticationError, at once if the listener speaks first', async () => {
    const { listener, address } = await listen();
    const connecting = Client(address, { authkey: KEY, handshakeTimeout: 5_000 });
    const server = track(await withGuard(listener.accept(), 'accept'));
    await server.send('welcome, anyone');
    const error = await rejection(connecting, 'the client handshake');
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error.message).toMatch(/expected an authentication challenge.*does the other end use an authkey/);
  });

  it('a client with a key, to a silent listener without one: AuthenticationError after handshakeTimeout', async () => {
    const { listener, address } = await listen();
    const connecting = Client(address, { authkey: KEY, handshakeTimeout: 200 });
    track(await withGuard(listener.accept(), 'accept'));
    const error = await rejection(connecting, 'the client handshake');
    expect(error.message).toMatch(/no authentication within 200 ms \(handshakeTimeout\)/);
  });

  // Scenario: something that is not an @ipc or CPython client (an HTTP request) hits the listener.
  it('garbage before the handshake: AuthenticationError for that peer, nothing decoded, the listener goes on', async () => {
    const { listener, address } = await listen({ authkey: KEY });
    const raw = await rawSocket(address);
    raw.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n');
    const error = await rejection(listener.accept(), 'accept of the HTTP client');
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error.message).toMatch(/a message of 1195725856 bytes, over the limit of 256 bytes.*does not speak/);
    await withGuard(once(raw, 'close'), 'the HTTP client to be disconnected');
    const [server, client] = await withGuard(
      Promise.all([listener.accept(), Client(address, { authkey: KEY })]),
      'a good client after',
    );
    track(server);
    track(client);
  });

  it('an answer over 256 bytes is refused before it is read', async () => {
    const { listener, address } = await listen({ authkey: KEY });
    const raw = await rawSocket(address);
    raw.write(frame(Buffer.alloc(300)));
    expect((await rejection(listener.accept(), 'accept')).message).toMatch(/over the limit of 256 bytes/);
  });

  // Scenario: a peer connects and never speaks (Python's accept() would block every later client).
  it('a silent peer times out (handshakeTimeout) while other clients are accepted meanwhile', async () => {
    const { listener, address } = await listen({ authkey: KEY, handshakeTimeout: 400 });
    const silent = await rawSocket(address);
    const silentClosed = once(silent, 'close');
    const started = performance.now();
    const [server, client] = await withGuard(
      Promise.all([listener.accept(), Client(address, { authkey: KEY })]),
      'the good client',
    );
    expect(performance.now() - started).toBeLessThan(400);
    track(server);
    track(client);
    const error = await rejection(listener.accept(), 'accept of the silent peer');
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error.message).toMatch(/no authentication within 400 ms \(handshakeTimeout\)/);
    await withGuard(silentClosed, 'the silent peer to be disconnected');
    await client.send('unaffected');
    expect(await withGuard(server.recv(), 'recv')).toBe('unaffected');
  });

  it('a Client refuses a server that does not send a challenge but something else', async () => {
    const path = socketPath();
    const fake = track(createServer((socket) => socket.end(frame('#CHALLENGE'))));
    fake.listen(path);
    await withGuard(once(fake, 'listening'), 'the fake server');
    const error = await rejection(Client(path as SocketAddress, { authkey: KEY }), 'Client');
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error.message).toMatch(/expected an authentication challenge, got a message of 10 bytes/);
  });
});
