import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Client, type ConnectionOptions, Listener, type SocketAddress, type SocketConnection } from '@ipc/pipe';
import { afterEach } from 'vitest';
import { withGuard } from '../../../../tooling/test/guards.ts';

export { GUARD_MS, sleep, withGuard } from '../../../../tooling/test/guards.ts';

/** What each test opened; closed after it, whatever happened. */
const opened: Array<{ close(): void } | { destroy(): void }> = [];
const directories: string[] = [];

afterEach(() => {
  for (const thing of opened.splice(0)) {
    if ('close' in thing) thing.close();
    else thing.destroy();
  }
  for (const directory of directories.splice(0)) rmSync(directory, { recursive: true, force: true });
});

/** Closes `thing` after the test. */
export function track<T extends { close(): void } | { destroy(): void }>(thing: T): T {
  opened.push(thing);
  return thing;
}

/** A Unix socket path in a fresh temporary directory, removed after the test. */
export function socketPath(name = 'test.sock'): string {
  const directory = mkdtempSync(join(tmpdir(), 'ipc-pipe-test-'));
  directories.push(directory);
  return join(directory, name);
}

/** A listening Listener (closed after the test) and its address. */
export async function listen(
  options: ConnectionOptions & { address?: SocketAddress; backlog?: number } = {},
): Promise<{ listener: Listener; address: SocketAddress }> {
  const listener = track(new Listener({ address: socketPath(), ...options }));
  const address = await withGuard(listener.ready(), 'the listener to listen');
  return { listener, address };
}

/** Both ends of a connection through a new listener: [the accepted end, the client end]. */
export async function connectedPair<T = unknown>(
  options: ConnectionOptions & { address?: SocketAddress } = {},
): Promise<{ listener: Listener; server: SocketConnection<T>; client: SocketConnection<T> }> {
  const { listener, address } = await listen(options);
  const { address: _, ...clientOptions } = options;
  const [server, client] = await withGuard(
    Promise.all([listener.accept(), Client<T>(address, clientOptions)]),
    'the connection to be made',
  );
  return { listener, server: track(server as SocketConnection<T>), client: track(client) };
}

/**
 * A plain socket to `address`, for a peer that misbehaves; destroyed after the test. It reads (and drops)
 * what it receives, so that it sees the other end close.
 */
export async function rawSocket(address: SocketAddress): Promise<Socket> {
  const socket = track(connect(typeof address === 'string' ? { path: address } : address));
  socket.on('error', () => undefined);
  socket.resume();
  await withGuard(once(socket, 'connect'), 'the raw socket to connect');
  return socket;
}

/** `payload` as a frame of the wire (4-byte big-endian length, then the bytes). */
export function frame(payload: Uint8Array | string): Buffer {
  const bytes = typeof payload === 'string' ? Buffer.from(payload) : payload;
  const header = Buffer.alloc(4);
  header.writeInt32BE(bytes.length);
  return Buffer.concat([header, bytes]);
}

/** Resolves with what `promise` rejected with; fails (within the guard) if it resolves. */
export async function rejection(promise: Promise<unknown>, what: string): Promise<Error> {
  try {
    await withGuard(promise, what);
  } catch (error) {
    return error as Error;
  }
  throw new Error(`${what} resolved; a rejection was expected`);
}

/**
 * The command of a CPython `major.minor`: `pythonX.Y` on the PATH, `python3` when it is that version, or
 * pyenv's copy. Undefined when there is none (the interoperability tests are skipped then).
 */
export function findPython(version: string): string | undefined {
  const pyenv = spawnSync('pyenv', ['whence', '--path', `python${version}`], { encoding: 'utf8', timeout: 10_000 });
  const candidates = [`python${version}`, 'python3', ...(pyenv.stdout ?? '').split('\n').filter(Boolean)];
  for (const candidate of candidates) {
    const probe = spawnSync(candidate, ['-c', 'import sys; print("%d.%d" % sys.version_info[:2])'], {
      encoding: 'utf8',
      timeout: 10_000,
    });
    if (probe.status === 0 && probe.stdout.trim() === version) return candidate;
  }
  return undefined;
}

/** A program at the other end of a connection: its JSON lines, in order, and its exit. */
export interface Peer {
  readonly child: ChildProcess;
  /** The next JSON line it prints (guarded). */
  line(): Promise<Record<string, unknown>>;
  /** Its exit code (guarded); its stderr is in the error when it fails. */
  exitCode(): Promise<number | null>;
}

/** Starts `command args` (killed after the test if still running), reading its stdout as JSON lines. */
export function startPeer(command: string, args: readonly string[]): Peer {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  track({ destroy: () => child.kill() });
  let stderr = '';
  child.stderr?.on('data', (chunk) => {
    stderr += String(chunk);
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const lines = createInterface({ input: child.stdout as NonNullable<typeof child.stdout> })[Symbol.asyncIterator]();
  return {
    child,
    async line() {
      const next = await withGuard(lines.next(), `a line from ${command}`);
      if (next.done === true) throw new Error(`${command} printed no more lines; stderr: ${stderr}`);
      return JSON.parse(next.value) as Record<string, unknown>;
    },
    async exitCode() {
      const code = await withGuard(exited, `${command} to exit`);
      if (code !== 0) throw new Error(`${command} exited with ${code}; stderr: ${stderr}`);
      return code;
    },
  };
}

/** The fixture at `test/fixtures/<name>`, as a path. */
export function fixture(name: string): string {
  return new URL(`../fixtures/${name}`, import.meta.url).pathname;
}
