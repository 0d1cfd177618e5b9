/**
 * The manager server against hostile and broken clients, over real sockets: peers without the key, bytes of
 * other protocols, malformed requests, calls of what is not exposed, forged reference counts, clients that
 * leave (or are killed) while they wait or hold a lock. After each, the server must go on serving others.
 *
 * Peers: `RawPeer` is a bare TCP socket (handshake abuse; it can also do the handshake itself, then send any
 * bytes); `RawClient` is an authenticated `Client` of @ipc/pipe speaking the manager's requests directly
 * (wire/messages.ts), encoded by a `DataCodec` with references; fixtures/security-client.mjs is an OS process
 * holding real proxies, killed with SIGKILL. fixtures/security-types.mjs registers the custom types, and
 * `probe`, which reports from the server's thread (objects still kept, memory after a GC).
 */

import { type ChildProcess, spawn } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { AuthenticationError, DataCodec, EOFError, InvalidStateError, PORTABLE_TYPE, RemoteError } from '@ipc/core';
import type { BaseProxy, DictProxy, LockProxy, Manager } from '@ipc/manager';
import { Client, type SocketConnection, type TcpAddress } from '@ipc/pipe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sleep, withGuard } from './helpers.ts';

const TYPES = new URL('./fixtures/security-types.mjs', import.meta.url);
const CLIENT = new URL('./fixtures/security-client.mjs', import.meta.url);

/** wire/messages.ts (not exported: a client of another implementation would write these numbers). */
const Op = { CALL: 0, CREATE: 1, CANCEL: 2, RELEASE: 3, HOLD: 4, CLAIM: 5, SHUTDOWN: 6, DESCRIBE: 7 } as const;
const OK = 0;
const ERROR = 1;
const MAX_MESSAGE_BYTES = 64 * 1024 * 1024;
type Reply = [callId: number, status: number, value: unknown];

let manager: Manager;
/** A probe of the server's thread (fixtures/security-types.mjs). */
let probe: BaseProxy;
/** A dict of this thread, used after each test to check that the server still serves. */
let shared: DictProxy;
let served = 0;
const children = new Set<ChildProcess>();

beforeAll(async () => {
  const { SecurityManager } = (await import(TYPES.href)) as { SecurityManager: typeof Manager };
  // `new` and start(), not SecurityManager.start(): see the skipped test of Manager.start() on a subclass.
  manager = new SecurityManager({ address: { port: 0 } });
  await withGuard(manager.start(), 'SecurityManager start()');
  probe = await manager.create('probe');
  shared = await manager.dict();
});

afterAll(async () => {
  for (const child of children) child.kill('SIGKILL');
  await withGuard(manager.shutdown(), 'manager.shutdown()');
});

// ---------------------------------------------------------------------------------------------------------
// Peers

/** A reference as the wire carries it: the object id from a client, `[id, typeid, exposed?]` from the server. */
class Ref {
  readonly id: number;
  readonly typeid: string | undefined;
  readonly exposed: string[] | undefined;
  constructor(id: number, typeid?: string, exposed?: string[]) {
    this.id = id;
    this.typeid = typeid;
    this.exposed = exposed;
  }
}

function wireCodec(): DataCodec {
  return new DataCodec({
    references: {
      is: (value) => value instanceof Ref,
      write: (value) => (value as Ref).id,
      read: (data) => {
        const [id, typeid, exposed] = data as [number, string, string[] | undefined];
        return new Ref(id, typeid, exposed);
      },
    },
  });
}

/** An authenticated connection that sends the manager's requests as given, and reads its replies. */
class RawClient {
  readonly codec = wireCodec();
  readonly #replies = new Map<number, (reply: Reply) => void>();
  #nextCallId = 1;
  /** Settles (never rejects) with what ended reading: an EOFError once the server closed this connection. */
  readonly ended: Promise<unknown>;
  readonly connection: SocketConnection;

  private constructor(connection: SocketConnection) {
    this.connection = connection;
    this.ended = this.#read();
  }

  static async open(): Promise<RawClient> {
    return new RawClient(await Client(manager.address, { authkey: manager.authkey }));
  }

  async #read(): Promise<unknown> {
    try {
      for (;;) {
        const reply = this.codec.decode(await this.connection.recvBytes()) as Reply;
        const settle = this.#replies.get(reply[0]);
        this.#replies.delete(reply[0]);
        settle?.(reply);
      }
    } catch (error) {
      return error;
    }
  }

  sendBytes(bytes: Uint8Array): void {
    this.connection.sendBytes(bytes).catch(() => {});
  }

  /** A request without a reply (RELEASE, HOLD, CLAIM, CANCEL), or anything at all. */
  post(message: unknown): void {
    this.sendBytes(this.codec.encode(message));
  }

  /** `[op, callId, ...rest]`, and its reply. */
  call(op: number, ...rest: unknown[]): Promise<Reply> {
    const callId = this.#nextCallId++;
    const reply = new Promise<Reply>((resolve) => this.#replies.set(callId, resolve));
    this.post([op, callId, ...rest]);
    return withGuard(reply, `the reply to request ${op} #${callId}`);
  }

  /** The value of an OK reply; the error of an ERROR reply is thrown. */
  async ok(op: number, ...rest: unknown[]): Promise<unknown> {
    const [, status, value] = await this.call(op, ...rest);
    if (status !== OK) throw value;
    return value;
  }

  invoke(id: number, method: string, ...args: unknown[]): Promise<unknown> {
    return this.ok(Op.CALL, id, method, args);
  }

  async create(typeid: string, ...args: unknown[]): Promise<Ref> {
    return (await this.ok(Op.CREATE, typeid, args)) as Ref;
  }

  /** A round trip: every request sent before it has been handled. */
  async sync(): Promise<void> {
    await this.ok(Op.DESCRIBE);
  }

  close(): void {
    this.connection.close();
  }
}

/** Waits until the server has closed `raw`'s connection. */
async function closedByServer(raw: RawClient): Promise<void> {
  expect(await withGuard(raw.ended, 'the server closing the connection', 3_000)).toBeInstanceOf(EOFError);
}

/** A bare TCP socket to the server, reading its frames (int32 big-endian length, payload). */
class RawPeer {
  readonly socket: Socket;
  readonly closed: Promise<void>;
  #buffer = Buffer.alloc(0);
  #wake: (() => void) | undefined;

  private constructor(socket: Socket) {
    this.socket = socket;
    socket.on('error', () => {});
    socket.on('data', (chunk: Buffer) => {
      this.#buffer = Buffer.concat([this.#buffer, chunk]);
      this.#wake?.();
    });
    this.closed = new Promise((resolve) => socket.once('close', () => resolve()));
    void this.closed.then(() => this.#wake?.());
  }

  static async open(): Promise<RawPeer> {
    const { host, port } = manager.address as TcpAddress;
    const socket = connect(port, host);
    const peer = new RawPeer(socket);
    await withGuard(new Promise((resolve) => socket.once('connect', resolve)), 'connecting');
    return peer;
  }

  /** A peer that passed the handshake by itself (as handshake.ts does): it may then send any bytes. */
  static async authenticated(): Promise<RawPeer> {
    const peer = await RawPeer.open();
    const challenge = await peer.frame();
    expect(challenge.subarray(0, 11).toString()).toBe('#CHALLENGE#');
    const mac = createHmac('sha256', manager.authkey).update(challenge.subarray(11)).digest();
    peer.send(Buffer.concat([Buffer.from('{sha256}'), mac]));
    expect((await peer.frame()).toString()).toBe('#WELCOME#');
    peer.send(Buffer.concat([Buffer.from('#CHALLENGE#{sha256}'), randomBytes(40)]));
    await peer.frame(); // the server's answer: not checked, this side trusts it
    peer.send(Buffer.from('#WELCOME#'));
    return peer;
  }

  /** The next whole frame's payload. */
  async frame(): Promise<Buffer> {
    for (;;) {
      if (this.#buffer.length >= 4) {
        const length = this.#buffer.readUInt32BE(0);
        if (this.#buffer.length >= 4 + length) {
          const payload = this.#buffer.subarray(4, 4 + length);
          this.#buffer = this.#buffer.subarray(4 + length);
          return payload;
        }
      }
      if (this.socket.destroyed) throw new Error('the server closed the connection before a whole frame came');
      await withGuard(
        new Promise<void>((resolve) => {
          this.#wake = resolve;
        }),
        'a frame from the server',
      );
    }
  }

  /** Sends `payload` as one frame. */
  send(payload: Uint8Array): void {
    const header = Buffer.alloc(4);
    header.writeUInt32BE(payload.length);
    this.socket.write(Buffer.concat([header, payload]));
  }

  /** Waits (well under the 10 s handshake timeout) for the server to close the socket. */
  async closedByServer(): Promise<void> {
    await withGuard(this.closed, 'the server closing the socket', 3_000);
  }
}

/** The id of `proxy`'s object (as a client that guesses ids would name it). */
function idOf(proxy: BaseProxy): number {
  return (proxy as unknown as Record<symbol, number>)[Symbol.for('@ipc/manager.proxyId')] as number;
}

/** What a proxy sent to another thread or process carries (the sender's HOLD goes out now). */
function handOff(proxy: BaseProxy): { id: number; typeid: string; token: string } {
  const wire = proxy[PORTABLE_TYPE].encode(proxy) as unknown[];
  return { id: wire[4] as number, typeid: wire[5] as string, token: wire[7] as string };
}

/** `raw` takes `proxy`'s object as a proxy arriving from another thread does (CLAIM of a hand-off); its id. */
function claim(raw: RawClient, proxy: BaseProxy): number {
  const { id, token } = handOff(proxy);
  raw.post([Op.CLAIM, token, id]);
  return id;
}

/** An OS process holding real proxies of `proxies` (fixtures/security-client.mjs); resolves its report. */
function spawnClient(action: string, ...proxies: BaseProxy[]): { child: ChildProcess; report: Promise<string> } {
  const handOffs = proxies.map((proxy) => {
    const { id, typeid, token } = handOff(proxy);
    return [id, typeid, token];
  });
  const config = JSON.stringify([manager.address, Buffer.from(manager.authkey).toString('hex'), handOffs]);
  const child = spawn(process.execPath, [fileURLToPath(CLIENT), config, action], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.add(child);
  const report = new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (chunk) => {
      out += String(chunk);
      if (out.includes('\n')) resolve(out.trim());
    });
    child.once('exit', (code) => reject(new Error(`the client process exited (${code}) before it reported`)));
  });
  return { child, report: withGuard(report, `the client process's ${action}`) };
}

async function kill(child: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await withGuard(exited, 'the client process to die');
  children.delete(child);
}

/** How many objects of `kind` (with `tag`: made with that tag) the server keeps. */
function live(kind: 'Tracked' | 'Slow', tag?: string): Promise<number> {
  return probe.callMethod('live', [kind, tag]) as Promise<number>;
}

/** Waits (guarded) until the server keeps `count` Tracked objects tagged `tag` (a connection's end comes later). */
async function expectLive(tag: string, count: number): Promise<void> {
  const end = performance.now() + 3_000;
  let seen = await live('Tracked', tag);
  while (seen !== count && performance.now() < end) {
    await sleep(20);
    seen = await live('Tracked', tag);
  }
  expect(seen).toBe(count);
}

/** The server thread's V8 heap, after a GC (`all`: with memory outside it, such as socket buffers). */
async function serverMemory(which: 'heap' | 'all' = 'heap'): Promise<number> {
  const { heap, external } = (await probe.callMethod('memory')) as { heap: number; external: number };
  return which === 'heap' ? heap : heap + external;
}

/** After each abuse: a new client is served (create, set, get), and so is this thread's proxy. */
async function expectServing(): Promise<void> {
  const raw = await RawClient.open();
  try {
    const dict = await raw.create('dict');
    await raw.invoke(dict.id, 'set', 'key', 'value');
    expect(await raw.invoke(dict.id, 'get', 'key')).toBe('value');
  } finally {
    raw.close();
  }
  const n = ++served;
  await shared.set('n', n);
  expect(await shared.get('n')).toBe(n);
}

/** The remote name of a RemoteError (Python's exception class), or the class name of another error. */
function errorName(error: unknown): string {
  return error instanceof RemoteError ? error.remoteName : (error as Error).name;
}

// ---------------------------------------------------------------------------------------------------------

describe('authentication comes before anything is decoded', () => {
  it('a client with a wrong authkey is refused with AuthenticationError', async () => {
    await expect(Client(manager.address, { authkey: 'not the key' })).rejects.toBeInstanceOf(AuthenticationError);
    await expectServing();
  });

  it('a client without an authkey gets the challenge; its request is never decoded or run', async () => {
    const made = await probe.callMethod('everMade', ['Tracked']);
    const connection = await Client(manager.address); // no key: this side does no handshake
    await connection.sendBytes(wireCodec().encode([Op.CREATE, 1, 'Tracked', ['no key']]));
    await expect(withGuard(connection.recv(), 'the challenge')).rejects.toBeInstanceOf(AuthenticationError);
    connection.close();
    expect(await probe.callMethod('everMade', ['Tracked'])).toBe(made);
    await expectServing();
  });

  it.each([
    ['an HTTP request', Buffer.from('GET / HTTP/1.1\r\nHost: manager\r\n\r\n')],
    ['a negative frame length', Buffer.from([0x80, 0, 0, 1, 0xff])],
    ['a frame over the 256 bytes of a handshake frame', Buffer.from([0, 0, 1, 1])],
    ['a 64-bit frame length', Buffer.from([0xff, 0xff, 0xff, 0xff, 0, 0, 1, 0, 0, 0, 0, 0])],
    ['a manager request without the handshake', Buffer.concat([Buffer.from([0, 0, 0, 3]), Buffer.from([0x92, 7, 1])])],
    ['an empty frame', Buffer.from([0, 0, 0, 0])],
  ])('%s instead of the handshake: the socket is closed at once', async (_what, bytes) => {
    const peer = await RawPeer.open();
    expect((await peer.frame()).subarray(0, 11).toString()).toBe('#CHALLENGE#');
    peer.socket.write(bytes);
    await peer.closedByServer();
    await expectServing();
  });

  it('garbage before a valid answer: the garbage is taken as the answer, refused with #FAILURE#', async () => {
    const peer = await RawPeer.open();
    const challenge = await peer.frame();
    const mac = createHmac('sha256', manager.authkey).update(challenge.subarray(11)).digest();
    peer.send(randomBytes(16)); // a legacy-sized answer: checked, and wrong
    peer.send(Buffer.concat([Buffer.from('{sha256}'), mac])); // too late
    expect((await peer.frame()).toString()).toBe('#FAILURE#');
    await peer.closedByServer();
    await expectServing();
  });

  it('a peer that says nothing holds up no one, and is dropped at the handshake timeout (10 s)', async () => {
    const silent = await RawPeer.open();
    const started = performance.now();
    await expectServing();
    await withGuard(silent.closed, 'the silent peer being dropped', 15_000);
    expect(performance.now() - started).toBeGreaterThan(9_000);
    await expectServing();
  }, 20_000);
});

describe('frames and messages of an authenticated client', () => {
  it.each([
    ['announcing MAX_MESSAGE_BYTES + 1', Buffer.from([0x04, 0, 0, 1])],
    ['announcing 2^40 bytes (64-bit length)', Buffer.from([0xff, 0xff, 0xff, 0xff, 0, 0, 1, 0, 0, 0, 0, 0])],
    ['with a negative length', Buffer.from([0x80, 0, 0, 0])],
  ])('a frame %s ends that connection before its payload is read', async (_what, header) => {
    const peer = await RawPeer.authenticated();
    peer.socket.write(header);
    await peer.closedByServer();
    await expectServing();
  });

  it('a message of MAX_MESSAGE_BYTES + 1 sent whole ends that connection', async () => {
    const connection = await Client(manager.address, {
      authkey: manager.authkey,
      maxMessageBytes: MAX_MESSAGE_BYTES + 1,
    });
    const sent = connection.sendBytes(new Uint8Array(MAX_MESSAGE_BYTES + 1)).catch(() => {});
    await expect(withGuard(connection.recvBytes(), 'the server closing the connection')).rejects.toBeInstanceOf(
      EOFError,
    );
    await sent;
    connection.close();
    await expectServing();
  });

  const nested = (depth: number): Uint8Array => {
    const bytes = new Uint8Array(depth + 1).fill(0x91);
    bytes[depth] = 0xc0;
    return bytes;
  };
  it.each([
    ['a byte that is no MessagePack type', Uint8Array.of(0xc1)],
    ['a truncated array', Uint8Array.of(0x95, 0x00, 0x01)],
    ['bytes after the value', Uint8Array.of(0x92, 0x07, 0x01, 0x00)],
    ['a string longer than the message', Uint8Array.of(0xdb, 0xff, 0xff, 0xff, 0xff, 0x61)],
    ['an array announcing 2^32 - 1 items', Uint8Array.of(0xdd, 0xff, 0xff, 0xff, 0xff, 0x00)],
    ['nesting 100 000 levels deep', nested(100_000)],
    ['an unknown extension', Uint8Array.of(0xd4, 0x63, 0x00)],
    ['a typed array of an unknown class', Uint8Array.of(0xc7, 0x05, 0x05, 0x04, 0x42, 0x6f, 0x6f, 0x6d)],
    ['an invalid RegExp', Uint8Array.of(0xc9, 0, 0, 0, 4, 0x07, 0x92, 0xa1, 0x28, 0xa0)],
  ])('a message that does not decode (%s) ends that connection only', async (_what, bytes) => {
    const raw = await RawClient.open();
    await raw.sync();
    raw.sendBytes(bytes);
    await closedByServer(raw);
    await expectServing();
  });

  it('a reference to an object that does not exist ends that connection', async () => {
    const raw = await RawClient.open();
    const dict = await raw.create('dict');
    raw.post([Op.CALL, 99, dict.id, 'set', ['key', new Ref(987_654)]]);
    await closedByServer(raw);
    await expectServing();
  });

  it.each([
    ['a number', 42],
    ['a string', 'CALL'],
    ['null', null],
    ['an object', { op: 0, callId: 1 }],
    ['a Map', new Map([[0, 1]])],
    ['an empty array', []],
    ['an unknown op', [99, 1]],
    ['a negative op', [-1, 1]],
    ['an op as a string', ['0', 1, 1, 'get', []]],
  ])('a request that is not one (%s) ends that connection', async (_what, message) => {
    const raw = await RawClient.open();
    raw.post(message);
    await closedByServer(raw);
    await expectServing();
  });

  it.each([
    ['a string', 'one'],
    ['a fraction', 1.5],
    ['NaN', Number.NaN],
    ['an unsafe integer', 2 ** 60],
    ['a bigint', 1n],
    ['null', null],
    ['missing', undefined],
  ])('a call id that is not an integer (%s) ends that connection', async (_what, callId) => {
    for (const message of [
      [Op.CALL, callId, 1, 'get', []],
      [Op.CREATE, callId, 'dict', []],
      [Op.DESCRIBE, callId],
      [Op.SHUTDOWN, callId],
    ]) {
      const raw = await RawClient.open();
      raw.post(message);
      await closedByServer(raw);
    }
    await expectServing();
  });

  it('bad arguments, object ids and method names get an error reply; the connection stays usable', async () => {
    const raw = await RawClient.open();
    const dict = await raw.create('dict');
    const cases: Array<[unknown[], string]> = [
      [[Op.CALL, dict.id, 'get', 'not an array'], 'TypeError'],
      [[Op.CALL, dict.id, 'get', { length: 1, 0: 'key' }], 'TypeError'],
      [[Op.CALL, dict.id, 'get'], 'TypeError'],
      [[Op.CREATE, 'dict', 'not an array'], 'TypeError'],
      [[Op.CREATE, 'dict', null], 'TypeError'],
      [[Op.CALL, 987_654, 'get', []], 'RangeError'],
      [[Op.CALL, 'one', 'get', []], 'RangeError'],
      [[Op.CALL, dict.id, 42, []], 'AttributeError'],
      [[Op.CALL, dict.id, ['get'], []], 'AttributeError'],
      [[Op.CALL, dict.id, null, []], 'AttributeError'],
      [[Op.CALL, dict.id, 'set', [{ notAKey: true }, 1]], 'TypeError'],
    ];
    for (const [[op, ...rest], name] of cases) {
      const [, status, error] = await raw.call(op as number, ...rest);
      expect(status).toBe(ERROR);
      expect(errorName(error)).toBe(name);
    }
    await raw.invoke(dict.id, 'set', 'still', 'works');
    expect(await raw.invoke(dict.id, 'get', 'still')).toBe('works');
    raw.close();
    await expectServing();
  });
});

describe('only registered methods of registered types can be called', () => {
  const notMethods = [
    'constructor',
    '__proto__',
    'prototype',
    'toString',
    'valueOf',
    'hasOwnProperty',
    'isPrototypeOf',
    '__defineGetter__',
    '__lookupGetter__',
    'then',
    '',
  ];

  it('a built-in type answers only its own methods', async () => {
    const raw = await RawClient.open();
    const dict = await raw.create('dict');
    // Methods of the Map that holds a dict, and of Object: never reachable.
    for (const name of [...notMethods, 'entries', 'forEach', 'size', '_private', 'methods', 'value']) {
      const [, status, error] = await raw.call(Op.CALL, dict.id, name, []);
      expect.soft(status, name).toBe(ERROR);
      expect.soft(errorName(error), name).toBe('AttributeError');
    }
    raw.close();
    await expectServing();
  });

  it('a registered class answers its public methods, not _private ones, fields or Object methods', async () => {
    const raw = await RawClient.open();
    const forbidden = await probe.callMethod('forbiddenCalls');
    const tracked = await raw.create('Tracked', 'class');
    expect([...(tracked.exposed ?? [])].sort()).toEqual(['echo', 'ping']);
    expect(await raw.invoke(tracked.id, 'ping')).toBe('pong');
    for (const name of [...notMethods, '_secret', 'tag']) {
      const [, status, error] = await raw.call(Op.CALL, tracked.id, name, []);
      expect.soft(status, name).toBe(ERROR);
      expect.soft(errorName(error), name).toBe('AttributeError');
    }
    expect(await probe.callMethod('forbiddenCalls')).toBe(forbidden);
    raw.close();
    await expectServing();
  });

  it('a type registered with `exposed` answers only those', async () => {
    const raw = await RawClient.open();
    const forbidden = await probe.callMethod('forbiddenCalls');
    const limited = await raw.create('Limited');
    expect(limited.exposed).toEqual(['visible']);
    expect(await raw.invoke(limited.id, 'visible')).toBe('visible');
    for (const name of [...notMethods, 'hidden']) {
      const [, status, error] = await raw.call(Op.CALL, limited.id, name, []);
      expect.soft(status, name).toBe(ERROR);
      expect.soft(errorName(error), name).toBe('AttributeError');
    }
    expect(await probe.callMethod('forbiddenCalls')).toBe(forbidden);
    raw.close();
    await expectServing();
  });

  it('an async factory: its object’s methods are served, not the promise’s then/catch/finally', async () => {
    // Fixed in server/custom-type.ts: the methods were taken from the Promise the factory returned.
    const raw = await RawClient.open();
    const made = await raw.create('AsyncMade');
    expect([...(made.exposed ?? [])].sort()).toEqual(['echo', 'ping']);
    expect(await raw.invoke(made.id, 'ping')).toBe('pong');
    for (const name of ['then', 'catch', 'finally']) {
      const [, status] = await raw.call(Op.CALL, made.id, name, []);
      expect(status, name).toBe(ERROR);
    }
    raw.close();
    await expectServing();
  });

  it('CREATE of a typeid that is not registered is refused', async () => {
    const raw = await RawClient.open();
    for (const typeid of ['Nope', '__proto__', 'constructor', 'toString', 'hasOwnProperty', '', 'probe ', 42, null]) {
      const [, status, error] = await raw.call(Op.CREATE, typeid, []);
      expect.soft(status, String(typeid)).toBe(ERROR);
      expect.soft(errorName(error), String(typeid)).toBe('AttributeError');
    }
    raw.close();
    await expectServing();
  });

  it('SHUTDOWN from a socket client is refused, and the server goes on', async () => {
    const raw = await RawClient.open();
    const [, status, error] = await raw.call(Op.SHUTDOWN);
    expect(status).toBe(ERROR);
    expect(error).toBeInstanceOf(InvalidStateError);
    await raw.sync();
    raw.close();
    await expectServing();
  });
});

describe('reference counts cannot be forged', () => {
  it('a RELEASE for an object the connection does not hold frees nothing', async () => {
    const tracked = await manager.create('Tracked', 'held here');
    const id = idOf(tracked);
    const raw = await RawClient.open();
    for (let i = 0; i < 10; i++) raw.post([Op.RELEASE, id]);
    raw.post([Op.RELEASE, 'one']);
    raw.post([Op.RELEASE]);
    await raw.sync();
    raw.close();
    expect(await tracked.callMethod('ping')).toBe('pong');
    await expectServing();
  });

  it('a RELEASE beyond what the connection holds frees nothing', async () => {
    const raw = await RawClient.open();
    const tracked = await raw.create('Tracked', 'released twice');
    // A hand-off from raw to other: other holds one.
    raw.post([Op.HOLD, 'hand-off', tracked.id]);
    const other = await RawClient.open();
    other.post([Op.CLAIM, 'hand-off', tracked.id]);
    await other.sync();
    for (let i = 0; i < 5; i++) raw.post([Op.RELEASE, tracked.id]);
    await raw.sync();
    expect(await other.invoke(tracked.id, 'ping')).toBe('pong');
    raw.close();
    other.close();
    await expectServing();
  });

  it('a HOLD from a connection that does not hold the object keeps nothing alive', async () => {
    const tag = 'not held by the forger';
    const owner = await RawClient.open();
    const tracked = await owner.create('Tracked', tag);
    const forger = await RawClient.open();
    for (let i = 0; i < 5; i++) forger.post([Op.HOLD, `forged-${i}`, tracked.id]);
    await forger.sync();
    expect(await live('Tracked', tag)).toBe(1);
    owner.close();
    await expectLive(tag, 0);
    forger.close();
    await expectServing();
  });

  it('the count of a CLAIM without a HOLD ends with its connection', async () => {
    const tag = 'claimed by a forger';
    const owner = await RawClient.open();
    const tracked = await owner.create('Tracked', tag);
    const forger = await RawClient.open();
    forger.post([Op.CLAIM, 'no such hold', tracked.id]);
    await forger.sync();
    owner.close();
    forger.close();
    await expectLive(tag, 0);
    await expectServing();
  });

  it('objects a connection made are dropped when it ends, whatever it was doing', async () => {
    const tag = 'made by a client that leaves';
    const raw = await RawClient.open();
    const made = await Promise.all([1, 2, 3, 4, 5].map(() => raw.create('Tracked', tag)));
    const queue = await raw.create('Queue');
    await raw.invoke(queue.id, 'put', made[0]);
    raw.post([Op.CALL, 1_000, queue.id, 'get', [{ timeout: 60_000 }]]); // answered at once
    raw.post([Op.CALL, 1_001, queue.id, 'get', [{ timeout: 60_000 }]]); // waits
    await raw.sync();
    expect(await live('Tracked', tag)).toBe(5);
    raw.close();
    await expectLive(tag, 0);
    await expectServing();
  });

  it('a reference stored in a managed dict keeps its object until it is removed', async () => {
    const tag = 'stored in a dict';
    const raw = await RawClient.open();
    const tracked = await raw.create('Tracked', tag);
    const dict = await raw.create('dict');
    await raw.invoke(dict.id, 'set', 'tracked', tracked);
    raw.post([Op.RELEASE, tracked.id]); // the connection's own count
    await raw.sync();
    expect(await live('Tracked', tag)).toBe(1);
    const again = (await raw.invoke(dict.id, 'get', 'tracked')) as Ref;
    expect(again.id).toBe(tracked.id);
    expect(await raw.invoke(again.id, 'ping')).toBe('pong');
    raw.post([Op.RELEASE, again.id]);
    await raw.invoke(dict.id, 'delete', 'tracked');
    await expectLive(tag, 0);
    raw.close();
    await expectServing();
  });

  it('forged CLAIM tokens do not pile up on the server', async () => {
    // Fixed in server/object-table.ts: every CLAIM whose HOLD never came kept its token for good.
    const raw = await RawClient.open();
    const dict = await raw.create('dict');
    const before = await serverMemory();
    const long = 'x'.repeat(1_000);
    for (let i = 0; i < 50_000; i++) raw.post([Op.CLAIM, `${long}${i}`, dict.id]);
    for (let i = 0; i < 200_000; i++) raw.post([Op.CLAIM, `forged-${i}-0000-0000-0000-000000000000`, dict.id]);
    await raw.sync();
    raw.close();
    await sleep(50);
    expect(await serverMemory()).toBeLessThan(before + 8 * 1024 * 1024);
    await expectServing();
  }, 30_000);

  it('HOLD tokens that are never claimed do not pile up on the server', async () => {
    // Fixed in server/object-table.ts: each HOLD kept its token (of any length) for good.
    const tag = 'held for ever?';
    const raw = await RawClient.open();
    const tracked = await raw.create('Tracked', tag);
    const memory = await serverMemory();
    const long = 'x'.repeat(1_000);
    for (let i = 0; i < 50_000; i++) raw.post([Op.HOLD, `hold-${long}${i}`, tracked.id]);
    for (let i = 0; i < 5; i++) raw.post([Op.HOLD, 'the same token', tracked.id]);
    await raw.sync();
    raw.close();
    await sleep(50);
    expect(await serverMemory()).toBeLessThan(memory + 8 * 1024 * 1024);
    // One HOLD of the same token counts once: its CLAIM gives that count back, and the object goes.
    const claimer = await RawClient.open();
    claimer.post([Op.CLAIM, 'the same token', tracked.id]);
    await claimer.sync();
    claimer.close();
    await expectLive(tag, 0);
    await expectServing();
  }, 30_000);
});

describe('a client that leaves while it waits or holds', () => {
  /** `raw` takes the lock `sentinel`: when another connection gets it back, the server has ended `raw`'s. */
  async function holdSentinel(raw: RawClient): Promise<LockProxy> {
    const sentinel = (await manager.Lock()) as LockProxy;
    const id = claim(raw, sentinel);
    expect(await raw.invoke(id, 'acquire', undefined)).toBe(1);
    return sentinel;
  }
  async function waitUntilGone(sentinel: LockProxy): Promise<void> {
    expect(await sentinel.acquire({ timeout: 5_000 })).toBe(true);
    expect(sentinel.abandoned).toBe(true);
    await sentinel.release();
  }

  it('queue.get() waiting when its client leaves takes no item', async () => {
    const queue = await manager.Queue<string>();
    const raw = await RawClient.open();
    const sentinel = await holdSentinel(raw);
    const id = claim(raw, queue);
    raw.post([Op.CALL, 500, id, 'get', [undefined]]);
    raw.post([Op.CALL, 501, id, 'get', [{ timeout: 60_000 }]]);
    await raw.sync();
    raw.close();
    await waitUntilGone(sentinel);
    await queue.put('first');
    await queue.put('second');
    expect(await queue.get({ timeout: 2_000 })).toBe('first');
    expect(await queue.get({ timeout: 2_000 })).toBe('second');
    await expectServing();
  });

  it('lock.acquire() waiting when its client leaves does not take the lock', async () => {
    const lock = await manager.Lock();
    expect(await lock.acquire()).toBe(true);
    const raw = await RawClient.open();
    const sentinel = await holdSentinel(raw);
    const id = claim(raw, lock);
    raw.post([Op.CALL, 500, id, 'acquire', [undefined]]);
    await raw.sync();
    raw.close();
    await waitUntilGone(sentinel);
    await lock.release();
    expect(await lock.locked()).toBe(false);
    expect(await lock.acquire({ block: false })).toBe(true);
    expect(lock.abandoned).toBe(false);
    await lock.release();
    await expectServing();
  });

  it('semaphore.acquire() waiting when its client leaves takes no permit', async () => {
    const semaphore = await manager.Semaphore(1);
    expect(await semaphore.acquire()).toBe(true);
    const raw = await RawClient.open();
    const sentinel = await holdSentinel(raw);
    const id = claim(raw, semaphore);
    raw.post([Op.CALL, 500, id, 'acquire', [undefined]]);
    await raw.sync();
    raw.close();
    await waitUntilGone(sentinel);
    await semaphore.release();
    expect(await semaphore.getValue()).toBe(1);
    await expectServing();
  });

  it('a killed client process holding a Lock: it is released, and the next acquirer sees it abandoned', async () => {
    const lock = await manager.Lock();
    const { child, report } = spawnClient('acquire', lock);
    expect(await report).toBe('acquired true');
    expect(await lock.locked()).toBe(true);
    await kill(child);
    expect(await lock.acquire({ timeout: 5_000 })).toBe(true);
    expect(lock.abandoned).toBe(true);
    await lock.release();
    await expectServing();
  });

  it('a killed client process whose queue.get() waits takes no item', async () => {
    const queue = await manager.Queue<string>();
    const sentinel = await manager.Lock();
    const { child, report } = spawnClient('get', queue, sentinel);
    expect(await report).toBe('getting');
    await kill(child);
    await waitUntilGone(sentinel);
    await queue.put('item');
    expect(await queue.get({ timeout: 2_000 })).toBe('item');
    await expectServing();
  });

  // A Condition.wait() whose client leaves must not hand the lock to the dead connection.
  it('condition.wait() waiting when its client leaves does not keep the lock', async () => {
    const condition = await manager.Condition();
    const raw = await RawClient.open();
    const sentinel = await holdSentinel(raw);
    const id = claim(raw, condition);
    expect(await raw.invoke(id, 'acquire', undefined)).toBe(1);
    raw.post([Op.CALL, 500, id, 'wait', [undefined]]);
    await raw.sync();
    raw.close();
    await waitUntilGone(sentinel);
    expect(await condition.acquire({ timeout: 1_000 })).toBeTruthy();
    await condition.release();
    await expectServing();
  });
});

describe('prototype pollution', () => {
  const hostile = (): Record<string, unknown> =>
    JSON.parse('{"__proto__": {"polluted": true, "isAdmin": true}, "constructor": {"prototype": {"polluted": 1}}}');

  it('__proto__ and constructor keys are plain keys in dicts, Namespaces, lists and Values', async () => {
    const dict = await manager.dict(hostile());
    await dict.update(hostile());
    await dict.set('__proto__', hostile());
    expect(await dict.get('__proto__')).toEqual(hostile());
    expect((await dict.keys()).sort()).toEqual(['__proto__', 'constructor']);
    const namespace = await manager.Namespace(hostile());
    await namespace.set('__proto__', { isAdmin: true });
    const object = await namespace.toObject();
    expect(Object.getPrototypeOf(object)).toBe(Object.prototype);
    expect(Object.keys(object).sort()).toEqual(['__proto__', 'constructor']);
    expect((object as { isAdmin?: unknown }).isAdmin).toBeUndefined();
    const list = await manager.list([hostile()]);
    await list.append(hostile());
    const [first] = await list.copy();
    expect(Object.getPrototypeOf(first)).toBe(Object.prototype);
    expect((first as { polluted?: unknown }).polluted).toBeUndefined();
    const value = await manager.Value('any', hostile());
    expect(Object.getPrototypeOf(await value.get())).toBe(Object.prototype);
    // The same from a socket client.
    const raw = await RawClient.open();
    const rawDict = await raw.create('dict', hostile());
    await raw.invoke(rawDict.id, 'update', hostile());
    const copy = (await raw.invoke(rawDict.id, 'copy')) as Map<string, unknown>;
    expect([...copy.keys()].sort()).toEqual(['__proto__', 'constructor']);
    raw.close();
    expect(await probe.callMethod('polluted')).toBe(false);
    expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
    await expectServing();
  });
});

describe('defects found in review (fixes outside this review’s files)', () => {
  // A reply over MAX_MESSAGE_BYTES is answered with the size error (a request too: the call rejects).
  it('a reply too big for a socket is answered with an error, not never', async () => {
    const list = await manager.list();
    const big = 'x'.repeat(30 * 1024 * 1024);
    for (let i = 0; i < 3; i++) await list.append(big);
    const raw = await RawClient.open();
    const id = claim(raw, list);
    const [, status, error] = await raw.call(Op.CALL, id, 'copy', []);
    expect(status).toBe(ERROR);
    expect(error).toBeInstanceOf(RangeError);
    raw.close();
    await list.clear();
    await expectServing();
  });

  // Messages over 64 KiB are copied before the socket keeps them (the codec's scratch is reused), and a client
  // that never reads its replies does not make the server buffer them without bound.
  it('replies a client reads late arrive whole, and the server does not buffer them without bound', async () => {
    const items = ['a', 'b', 'c'].map((c) => c.repeat(1024 * 1024));
    const list = await manager.list(items);
    const memory = await serverMemory('all');
    // A client that does not read for a while (RawClient reads at once).
    const connection = await Client(manager.address, { authkey: manager.authkey });
    const codec = wireCodec();
    const { id, token } = handOff(list);
    await connection.sendBytes(codec.encode([Op.CLAIM, token, id]));
    for (let i = 0; i < 60; i++) await connection.sendBytes(codec.encode([Op.CALL, i, id, 'get', [i % 3]]));
    await sleep(1_500);
    expect(await serverMemory('all')).toBeLessThan(memory + 32 * 1024 * 1024);
    for (let i = 0; i < 60; i++) {
      const [callId, status, value] = codec.decode(await withGuard(connection.recvBytes(), 'a reply')) as Reply;
      expect(status).toBe(OK);
      expect(value === items[callId % 3], `reply ${callId}`).toBe(true);
    }
    connection.close();
    await expectServing();
  });

  // Calls that may wait are bounded per connection (each costs the server a few kilobytes): one more is refused.
  it('calls waiting in the server are bounded per connection', async () => {
    const raw = await RawClient.open();
    const queue = await raw.create('Queue');
    await raw.sync();
    const memory = await serverMemory();
    for (let i = 0; i < 40_000; i++) raw.post([Op.CALL, 10_000 + i, queue.id, 'get', [{ timeout: 60_000 }]]);
    await sleep(2_000);
    expect(await serverMemory()).toBeLessThan(memory + 32 * 1024 * 1024);
    raw.close();
    await expectServing();
  }, 30_000);

  // An object whose async factory finishes after its client left would be in the table with nobody to count it.
  it('an object made after its client left is not kept', async () => {
    const raw = await RawClient.open();
    raw.post([Op.CREATE, 1, 'SlowMade', []]);
    await raw.sync();
    raw.close();
    await sleep(600);
    expect(await probe.callMethod('everMade', ['Slow'])).toBe(1);
    expect(await live('Slow')).toBe(0);
    await expectServing();
  });

  // setTimeout holds at most 2^31 - 1 ms (24.8 days): a longer wait re-arms its timer.
  it('a timeout of 30 days waits', async () => {
    const lock = await manager.Lock();
    await lock.acquire();
    const raw = await RawClient.open();
    const id = claim(raw, lock);
    const outcome = raw.call(Op.CALL, id, 'acquire', [{ timeout: 30 * 24 * 3600 * 1000 }]);
    const first = await Promise.race([outcome.then(() => 'answered'), sleep(300).then(() => 'waiting')]);
    expect(first).toBe('waiting');
    raw.close();
    await lock.release();
    await expectServing();
  });

  // ConditionProxy.acquire resolves a boolean, as LockProxy.acquire does.
  it('condition.acquire() resolves a boolean', async () => {
    const condition = await manager.Condition();
    expect(await condition.acquire()).toBe(true);
    await condition.release();
    expect(await condition.acquire({ block: false })).toBe(true);
    await condition.release();
    await expectServing();
  });

  // Sorting a long list must not pass every item as an argument (the stack would overflow).
  it('a list of 1 000 000 items can be sorted', async () => {
    const list = await manager.list(Array.from({ length: 1_000_000 }, (_, i) => 1_000_000 - i));
    await list.sort();
    expect(await list.get(0)).toBe(1);
    await expectServing();
  });

  it('start() on a subclass of Manager serves the subclass’s registered types', async () => {
    const { SecurityManager } = (await import(TYPES.href)) as { SecurityManager: typeof Manager };
    const started = await withGuard(SecurityManager.start(), 'SecurityManager.start()');
    try {
      const tracked = await started.create('Tracked', 'subclass');
      expect(await tracked.callMethod('ping')).toBe('pong');
    } finally {
      await started.shutdown();
    }
  });

  // A proxy with a `then` method would be taken for a promise by `await` (the create() would never end).
  it('a registered class with a then() method can be created', async () => {
    const made = await withGuard(manager.create('Thenable'), "create('Thenable')", 2_000);
    expect(await made.callMethod('then')).toBe('then');
    await expectServing();
  });

  // A few bytes of request must not take gigabytes of the server's memory: an Array is at most one message.
  it('an Array too big to travel is refused', async () => {
    const raw = await RawClient.open();
    const [, status, error] = await raw.call(Op.CREATE, 'Array', ['d', 2 ** 30]);
    expect(status).toBe(ERROR);
    expect(error).toBeInstanceOf(RangeError);
    raw.close();
    await expectServing();
  });

  // Errors sent to a socket client carry no server stack (the class and message are what it needs).
  it('errors sent to a socket client do not show the server’s files', async () => {
    const raw = await RawClient.open();
    const dict = await raw.create('dict');
    const replies = await Promise.all([
      raw.call(Op.CALL, 987_654, 'get', []),
      raw.call(Op.CALL, dict.id, 'nope', []),
      raw.call(Op.CALL, dict.id, 'pop', ['missing']),
    ]);
    for (const [, status, error] of replies) {
      expect(status).toBe(ERROR);
      const shown = `${(error as Error).stack ?? ''}\n${(error as RemoteError).remoteStack ?? ''}`;
      expect(shown).not.toMatch(/file:\/\/|\/dist\/|node:internal/);
    }
    raw.close();
    await expectServing();
  });
});
