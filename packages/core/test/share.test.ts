import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import {
  attachShared,
  currentThreadToken,
  defineSharedType,
  Empty,
  Futex,
  Heap,
  InvalidStateError,
  ProcessError,
  revive,
  SHARED_BLOCK,
  SharedBlock,
  type SharedDescriptor,
  SharedHandle,
  share,
  structuredCodec,
} from '../src/index.ts';
import { startFixture } from './helpers/workers.ts';

describe('share() and revive() in one thread', () => {
  it('gives back the very object this thread already has', () => {
    const futex = new Futex(3);
    const descriptor = share(futex);
    expect(structuredClone(descriptor)).toEqual(descriptor);
    expect(revive(descriptor)).toBe(futex);
    expect(revive(structuredClone(descriptor))).toBe(futex);
  });

  it('refuses what is not a primitive or an @ipc error, naming it', () => {
    expect(() => share({} as never)).toThrow(/got an instance of Object/);
    expect(() => share(new Error('plain') as never)).toThrow(/got an instance of Error/);
    expect(() => revive({ nope: 1 } as never)).toThrow(/takes a descriptor from share/);
  });

  it('names the package to import when a type is not registered', () => {
    const descriptor = { ...share(new Futex()), type: 'ipc.sync.Lock' } as SharedDescriptor;
    expect(() => revive(descriptor)).toThrow(/import '@ipc\/sync' in this thread first/);
  });

  it('refuses memory of another type, or of another layout version (word 0)', () => {
    class Other extends SharedHandle {
      constructor(from?: SharedBlock) {
        super(OTHER, from ?? 16);
      }
    }
    const OTHER = defineSharedType({ name: 'ipc.test.Other', tag: 0x7e01, version: 1, revive: (b) => new Other(b) });
    const { heap, byteOffset } = new Other()[SHARED_BLOCK];
    const futexType = new Futex()[SHARED_BLOCK].type;
    expect(() => SharedBlock.attach(heap, byteOffset, futexType)).toThrow(TypeError);
    expect(() => SharedBlock.attach(heap, byteOffset, futexType)).toThrow(/expected type tag 0x101, found 0x7e01/);
    expect(() => SharedBlock.attach(heap, byteOffset, { ...OTHER, version: 2 })).toThrow(
      /layout version 1, this code reads version 2/,
    );
    expect(() => SharedBlock.attach(heap, 8, OTHER)).toThrow(/not the offset/);
    expect(() => SharedBlock.attach(heap, 2 ** 32 - 16, OTHER)).toThrow(/outside the heap/);
  });

  it('a second object over the same block takes its own reference', async () => {
    const original = new Futex(42);
    const { heap, byteOffset } = original[SHARED_BLOCK];
    const refcount = () => new Int32Array(heap.buffer, byteOffset - 16, 4)[1];
    expect(refcount()).toBe(1);
    const alias = new Futex(original[SHARED_BLOCK]);
    expect(refcount()).toBe(2);
    expect(alias.load()).toBe(42);
  });

  it('a revive whose constructor throws leaves no half-built object behind', () => {
    let failNext = false;
    class Checked extends SharedHandle {
      constructor(from?: SharedBlock) {
        super(CHECKED, from ?? 16);
        if (failNext) {
          failNext = false;
          throw new Error('check failed after super()');
        }
      }
    }
    const CHECKED = defineSharedType({
      name: 'ipc.test.Checked',
      tag: 0x7e04,
      version: 1,
      revive: (b) => new Checked(b),
    });
    const heap = Heap.current();
    // Memory of the type with no object in this thread yet, so that attachShared must build one.
    const { byteOffset } = SharedBlock.allocate(heap, CHECKED, 16);
    failNext = true;
    expect(() => attachShared(heap, byteOffset, CHECKED)).toThrow('check failed after super()');
    const again = attachShared(heap, byteOffset, CHECKED);
    expect(again).toBeInstanceOf(Checked);
    expect(attachShared(heap, byteOffset, CHECKED)).toBe(again);
  });

  it('refuses to revive an object this thread holds as another type', () => {
    const descriptor = { ...share(new Futex()), type: 'ipc.test.Other' } as SharedDescriptor;
    expect(() => revive(descriptor)).toThrow(/is a ipc.core.Futex, not a ipc.test.Other/);
  });

  it('refuses a tag or a name that another type already holds', () => {
    expect(() => defineSharedType({ name: 'ipc.test.Clash', tag: 0x0101, version: 1, revive: () => ({}) })).toThrow(
      /taken by ipc.core.Futex/,
    );
    expect(() => defineSharedType({ name: 'ipc.core.Futex', tag: 0x7e03, version: 1, revive: () => ({}) })).toThrow(
      /already registered/,
    );
  });

  it('carries @ipc errors with their class, code, stack and cause', () => {
    const error = new Empty('nothing', { cause: new InvalidStateError('inner') });
    const back = revive(structuredClone(share(error))) as Empty;
    expect(back).toBeInstanceOf(Empty);
    expect(back.code).toBe('ERR_IPC_EMPTY');
    expect(back.message).toBe('nothing');
    expect(back.stack).toBe(error.stack);
    expect(back.cause).toBeInstanceOf(InvalidStateError);
  });
});

describe('share() and revive() across module copies', () => {
  // Scenario: the app imports @ipc/core (ESM) while a dependency requires it (CJS): two copies, one thread.
  it("the ESM and CJS copies revive each other's primitives into the same objects", () => {
    const cjs = createRequire(import.meta.url)('../dist/index.cjs') as typeof import('../src/index.ts');
    const fromEsm = new Futex(1);
    expect(cjs.revive(share(fromEsm))).toBe(fromEsm);
    const fromCjs = new cjs.Futex(2);
    expect(revive(cjs.share(fromCjs))).toBe(fromCjs);
    expect(structuredCodec.decode(cjs.structuredCodec.encode({ f: fromCjs }))).toEqual({ f: fromCjs });
    expect(cjs.currentThreadToken()).toBe(currentThreadToken());
    expect(cjs.Heap.current().buffer).toBe(Heap.current().buffer);
  });
});

describe('share() and revive() across workers', () => {
  it('a worker revives the same memory, not a copy', async () => {
    const futex = new Futex(0);
    const child = startFixture('futex-worker', { futex: share(futex), mode: 'store', value: 42 });
    await child.message();
    expect(futex.load()).toBe(42);
    await child.exit();
  });

  it('a thrown @ipc error keeps its class after a round trip through a worker', async () => {
    const child = startFixture('echo-worker');
    child.worker.postMessage({ kind: 'error', error: share(new Empty('no items')) });
    const reply = await child.message<{
      name: string;
      code: string;
      isInvalidState: boolean;
      causeCode: string | undefined;
      reply: SharedDescriptor;
    }>();
    expect(reply).toMatchObject({ name: 'Empty', code: 'ERR_IPC_EMPTY', isInvalidState: false });
    const back = revive(reply.reply) as InvalidStateError;
    expect(back).toBeInstanceOf(InvalidStateError);
    expect(back).toBeInstanceOf(ProcessError);
    expect(back.cause).toBeInstanceOf(Empty);
    child.worker.postMessage({ kind: 'close' });
    await child.exit();
  });
});

describe('releaseOwned: what a shared object owns goes with it', () => {
  /** A shared type whose word 1 names a heap block it owns, and the blocks its releaseOwned gave back. */
  const released: number[] = [];
  const OWNER = defineSharedType({
    name: 'ipc.test.Owner',
    tag: 0x7e05,
    version: 1,
    revive: (block) => new Owner(block),
    releaseOwned: (block) => {
      const owned = Atomics.load(block.int32(), 1);
      released.push(owned);
      block.heap.release(owned);
    },
  });
  class Owner extends SharedHandle {
    constructor(from?: SharedBlock) {
      super(OWNER, from ?? 8);
      if (from === undefined) Atomics.store(this[SHARED_BLOCK].int32(), 1, this[SHARED_BLOCK].heap.allocate(64));
    }
    get owned(): number {
      return Atomics.load(this[SHARED_BLOCK].int32(), 1);
    }
  }

  async function collect(): Promise<void> {
    const { setFlagsFromString } = await import('node:v8');
    const { runInNewContext } = await import('node:vm');
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    for (let i = 0; i < 3; i++) {
      gc();
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  it('is called once when an object that never crossed a thread is collected, not when one was shared', async () => {
    released.length = 0;
    const make = (shareIt: boolean) => {
      const owner = new Owner();
      if (shareIt) share(owner);
      return owner.owned;
    };
    const kept = make(false);
    const pinned = make(true);
    await collect();
    expect(released).toEqual([kept]);
    // The shared one is pinned: its block and what it owns live on.
    Heap.current().retain(pinned);
    Heap.current().release(pinned);
  });
});

describe('sent and received: what is in flight', () => {
  it('sent, received and lost are called for every share()/revive() and every message that carries the object', () => {
    const events: string[] = [];
    const TRACKED = defineSharedType({
      name: 'ipc.test.Tracked',
      tag: 0x7e06,
      version: 1,
      revive: (block) => new Tracked(block),
      sent: () => events.push('sent'),
      received: (object) => events.push(object instanceof Tracked ? 'received' : 'wrong object'),
      lost: () => events.push('lost'),
    });
    class Tracked extends SharedHandle {
      constructor(from?: SharedBlock) {
        super(TRACKED, from ?? 8);
      }
    }
    const tracked = new Tracked();
    expect(revive(share(tracked))).toBe(tracked);
    const bytes = structuredCodec.encode({ inside: [tracked, tracked] });
    structuredCodec.decode(bytes);
    // The codec writes an object met twice in one message once (structured clone's references): one each.
    expect(events).toEqual(['sent', 'received', 'sent', 'received']);
    // An encode that fails after writing the handle: the copy counted as sent will never arrive.
    events.length = 0;
    expect(() => structuredCodec.encode({ tracked, f: () => 1 })).toThrow(TypeError);
    expect(events).toEqual(['sent', 'lost']);
  });
});
