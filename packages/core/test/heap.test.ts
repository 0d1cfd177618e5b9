import { describe, expect, it } from 'vitest';
import { Heap } from '../src/index.ts';

describe('the shared heap', () => {
  const heap = Heap.current();

  it('is one growable SharedArrayBuffer, the same object for the whole thread', () => {
    expect(heap.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(heap.buffer.growable).toBe(true);
    expect(Heap.current()).toBe(heap);
    expect(Heap.of(heap.buffer)).toBe(heap);
    expect(Heap.byId(heap.id)).toBe(heap);
  });

  it('hands out zeroed, 16-byte-aligned, non-overlapping blocks', () => {
    const blocks = [1, 4, 48, 49, 100, 1000, 5000].map((size) => ({ size, offset: heap.allocate(size) }));
    for (const { size, offset } of blocks) {
      expect(offset % 16).toBe(0);
      expect(heap.capacity(offset)).toBeGreaterThanOrEqual(size);
      expect(new Uint8Array(heap.buffer, offset, size).every((b) => b === 0)).toBe(true);
      new Uint8Array(heap.buffer, offset, size).fill(0xab);
    }
    const sorted = [...blocks].sort((a, b) => a.offset - b.offset);
    for (let i = 1; i < sorted.length; i++) {
      const previous = sorted[i - 1];
      const current = sorted[i];
      if (previous && current)
        expect(previous.offset + heap.capacity(previous.offset)).toBeLessThanOrEqual(current.offset);
    }
    for (const { offset } of blocks) heap.release(offset);
  });

  it('reuses a freed block, zeroed again', () => {
    const first = heap.allocate(200);
    new Uint8Array(heap.buffer, first, 200).fill(7);
    expect(heap.release(first)).toBe(0);
    const second = heap.allocate(200);
    expect(second).toBe(first);
    expect(new Uint8Array(heap.buffer, second, 200).every((b) => b === 0)).toBe(true);
    heap.release(second);
  });

  it('reuses a freed block as it was with zeroed: false (for a caller that overwrites it all)', () => {
    const first = heap.allocate(300);
    new Uint8Array(heap.buffer, first, 300).fill(9);
    heap.release(first);
    const second = heap.allocate(300, { zeroed: false });
    expect(second).toBe(first);
    expect(new Uint8Array(heap.buffer, second, 300).every((b) => b === 9)).toBe(true);
    heap.release(second);
    const third = heap.allocate(300, { zeroed: true });
    expect(new Uint8Array(heap.buffer, third, 300).every((b) => b === 0)).toBe(true);
    heap.release(third);
  });

  it('frees a block only when its last reference goes', () => {
    const offset = heap.allocate(64);
    heap.retain(offset);
    expect(heap.release(offset)).toBe(1);
    expect(heap.release(offset)).toBe(0);
    expect(() => heap.retain(offset)).toThrow(/already freed/);
  });

  it('keeps a pinned block for good', () => {
    const offset = heap.allocate(64);
    heap.pin(offset);
    heap.pin(offset); // pinning twice takes one reference only
    expect(heap.release(offset)).toBe(1);
  });

  it('grows past its first megabyte, and every view sees the new memory', () => {
    const before = heap.buffer.byteLength;
    const offset = heap.allocate(3 << 20);
    expect(heap.buffer.byteLength).toBeGreaterThan(before);
    const view = new Uint8Array(heap.buffer, offset, 3 << 20);
    view[view.length - 1] = 9;
    expect(view[view.length - 1]).toBe(9);
    heap.release(offset);
  });

  it('refuses bad sizes and foreign buffers', () => {
    expect(() => heap.allocate(-1)).toThrow(RangeError);
    expect(() => heap.allocate(1.5)).toThrow(RangeError);
    expect(() => heap.allocate(2 ** 31)).toThrow(/largest block/);
    expect(() => Heap.of(new SharedArrayBuffer(1024))).toThrow(TypeError);
    expect(() => Heap.of(new SharedArrayBuffer(1024, { maxByteLength: 4096 }))).toThrow(/not the @ipc shared heap/);
  });
});
