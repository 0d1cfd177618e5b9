/**
 * A child's stdout and stderr write straight to the OS process's file descriptors 1 and 2, synchronously,
 * as a Python child process shares its parent's terminal. Node would otherwise forward a worker's output
 * through its parent's event loop, so it could arrive after the parent's own later output, after `join()`,
 * or never (when the parent blocks in `joinSync()` or exits first).
 */

import { writeSync } from 'node:fs';

function writeAll(fd: number, bytes: Uint8Array): void {
  let offset = 0;
  while (offset < bytes.length) {
    try {
      offset += writeSync(fd, bytes, offset);
    } catch (error) {
      // A non-blocking pipe that is full: wait for the reader, as a blocking write would.
      if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw error;
    }
  }
}

function directWriter(fd: number) {
  return (chunk: string | Uint8Array, encoding?: BufferEncoding | (() => void), callback?: () => void): boolean => {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk, typeof encoding === 'string' ? encoding : 'utf8') : chunk;
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
