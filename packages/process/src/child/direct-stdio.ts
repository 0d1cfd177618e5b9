/**
 * A child's stdout and stderr write straight to the OS process's file descriptors 1 and 2, synchronously,
 * as a Python child process shares its parent's terminal. Node would otherwise forward a worker's output
 * through its parent's event loop, so it could arrive after the parent's own later output, after `join()`,
 * or never (when the parent blocks in `joinSync()` or exits first).
 */

import { writeSync } from 'node:fs';

/** A word to sleep on (never woken) while a full pipe drains. */
const napWord = new Int32Array(new SharedArrayBuffer(4));

function writeAll(fd: number, bytes: Uint8Array): void {
  let offset = 0;
  while (offset < bytes.length) {
    try {
      offset += writeSync(fd, bytes, offset);
    } catch (error) {
      // A non-blocking pipe that is full: wait for the reader, as a blocking write would, 1 ms at a time
      // rather than spinning a core.
      if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw error;
      Atomics.wait(napWord, 0, 0, 1);
    }
  }
}

function directWriter(fd: number) {
  return (chunk: string | Uint8Array, encoding?: BufferEncoding | (() => void), callback?: () => void): boolean => {
    if (typeof chunk !== 'string' && !(chunk instanceof Uint8Array)) {
      throw new TypeError(`The "chunk" argument must be of type string or an instance of Buffer or Uint8Array`);
    }
    const bytes =
      typeof chunk === 'string' ? Buffer.from(chunk, typeof encoding === 'string' ? encoding : 'utf8') : chunk;
    writeAll(fd, bytes);
    const done = typeof encoding === 'function' ? encoding : callback;
    done?.();
    return true;
  };
}

/** Redirects this worker's `process.stdout`/`process.stderr` (and so `console`) to fds 1 and 2. */
export function useDirectStdio(): void {
  process.stdout.write = directWriter(1) as typeof process.stdout.write;
  process.stderr.write = directWriter(2) as typeof process.stderr.write;
}

/** Writes to the OS process's stderr at once (for a child's dying words). */
export function writeStderrSync(text: string): void {
  writeAll(2, Buffer.from(text, 'utf8'));
}

/**
 * Makes this (parent) thread's stdout and stderr block when they are pipes, as a Python parent's do. Node
 * queues a pipe write in the event loop when the pipe is full; a child writing to the same pipe directly
 * would then overtake the parent's earlier lines. (`_handle.setBlocking` is how Node itself makes its
 * stdio pipes blocking on Windows.) Called when @ipc/process loads; a no-op in a worker, whose stdio are not
 * pipes of its own.
 */
export function blockParentStdio(): void {
  for (const stream of [process.stdout, process.stderr]) {
    (stream as unknown as { _handle?: { setBlocking?: (blocking: boolean) => unknown } })._handle?.setBlocking?.(true);
  }
}
