/**
 * Copies of an end in flight (layout.ts, IN_FLIGHT) and ends that are garbage-collected: cases an adversarial
 * review found wrong, each once a bug.
 */
import { Heap, revive, share, structuredCodec } from '@ipc/core';
import { EOFError, Pipe } from '@ipc/pipe';
import { describe, expect, it } from 'vitest';

async function exposeGc(): Promise<() => void> {
  const { setFlagsFromString } = await import('node:v8');
  const { runInNewContext } = await import('node:vm');
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}
const tick = (ms = 10) => new Promise((resolve) => setTimeout(resolve, ms));

describe('IN_FLIGHT accounting', () => {
  it('a send that fails to encode after a Connection was written leaves it in flight: EOF never comes', () => {
    const [a, b] = Pipe<string>();
    const [x] = Pipe<unknown>();
    expect(() => x.sendSync({ end: b, f: () => 1 })).toThrow(TypeError);
    b.close();
    // Nothing was sent: b has no holder and no copy on its way, so a must see EOF.
    expect(a.pollSync()).toBe(true);
    expect(() => a.recvSync()).toThrow(EOFError);
  });

  it('a send to a closed peer carrying a Connection leaves it in flight: EOF never comes', () => {
    const [a, b] = Pipe<string>();
    const [x, y] = Pipe<unknown>();
    y.close();
    expect(() => x.sendSync({ end: b })).toThrow(/closed/);
    b.close();
    expect(a.pollSync()).toBe(true);
  });

  it('a share() descriptor revived twice counts two arrivals for one departure: EOF while a copy is in flight', () => {
    const [a, b] = Pipe<string>();
    const [x, y] = Pipe<unknown>();
    const descriptor = share(b);
    // share(): "any number of threads may revive the descriptor later".
    expect(revive(descriptor)).toBe(b);
    expect(revive(descriptor)).toBe(b);
    x.sendSync({ end: b }); // a copy of b on its way
    b.close();
    // b is in flight to a new holder: a must not see EOF yet.
    expect(a.pollSync()).toBe(false);
    const { end } = y.recvSync() as { end: typeof b };
    end.sendSync('after the trip');
    expect(a.recvSync()).toBe('after the trip');
  });
});

describe('IN_FLIGHT accounting (bytes)', () => {
  it('the bytes of a message carrying a Connection hold a copy of it until they are decoded', () => {
    const [a, b] = Pipe<string>();
    const [x, y] = Pipe<unknown>();
    x.sendSync({ b });
    const bytes = y.recvBytesSync();
    b.close();
    // The bytes can still become a live end (structuredCodec.decode): the end is not closed yet.
    expect(a.pollSync()).toBe(false);
    const { b: arrived } = structuredCodec.decode(bytes) as { b: typeof b };
    arrived.close();
    expect(a.pollSync()).toBe(true);
    expect(() => a.recvSync()).toThrow(EOFError);
  });
});

describe('garbage collection', () => {
  it('an object collected after the thread revived the end again closes the new object too (per-thread slot)', async () => {
    const gc = await exposeGc();
    const { a, d1, d2 } = (() => {
      const [a, b] = Pipe<string>();
      return { a, d1: share(b), d2: share(b) };
    })();
    await tick();
    let revived: ReturnType<typeof Pipe<string>>[1] | undefined;
    for (let i = 0; i < 10 && revived === undefined; i++) {
      gc(); // the first object of b is collected; its finalizers are still to run
      const again = revive(d1) as ReturnType<typeof Pipe<string>>[1];
      revive(d2);
      revived = again;
    }
    await tick(20);
    gc();
    await tick(20);
    // `revived` is open in this thread (never closed, still referenced): a must not see EOF.
    expect(revived?.closed).toBe(false);
    expect(a.pollSync()).toBe(false);
    revived?.sendSync('still open');
    expect(a.recvSync()).toBe('still open');
  });

  it('the pipe block is not freed while a collected end is still registered to give up its holder slot', async () => {
    const gc = await exposeGc();
    const heap = Heap.current();
    const original = heap.release.bind(heap);
    const leftBehind: number[] = [];
    const PIPE_WORDS = 768;
    const pipeOffsets = new Set<number>();
    // Spy: when a block of the pipe's size is freed, look at its holder slots.
    heap.release = (offset: number) => {
      const left = original(offset);
      if (left === 0 && pipeOffsets.has(offset)) {
        const words = new Int32Array(heap.buffer, offset, PIPE_WORDS);
        for (let i = 512; i < PIPE_WORDS; i++) if (Atomics.load(words, i) !== 0) leftBehind.push(i);
      }
      return left;
    };
    try {
      const origAllocate = heap.allocate.bind(heap);
      heap.allocate = (bytes: number) => {
        const at = origAllocate(bytes);
        if (bytes === PIPE_WORDS * 4) pipeOffsets.add(at);
        return at;
      };
      try {
        (() => {
          for (let i = 0; i < 5; i++) Pipe();
        })();
      } finally {
        heap.allocate = origAllocate;
      }
      for (let i = 0; i < 10; i++) {
        gc();
        await tick();
      }
    } finally {
      heap.release = original;
    }
    // A freed pipe block with a holder slot still set: closeOnCollect will CAS it (and sub HOLDERS) afterwards,
    // in memory the heap may have given to someone else.
    expect(leftBehind).toEqual([]);
  });
});
