import { describe, expect, it } from 'vitest';
import { FrameLengthError, FrameReader, headerBytes, writeHeader } from '../../src/socket/frame.ts';

/** `payload` behind its header, as a sender writes it. */
function framed(payload: Uint8Array): Uint8Array {
  const frame = new Uint8Array(headerBytes(payload.length) + payload.length);
  frame.set(payload, writeHeader(frame, payload.length));
  return frame;
}

describe('framing (CPython multiprocessing.connection wire)', () => {
  it('writes a 4-byte big-endian length below 2^31, and -1 with a 64-bit length from 2^31 on', () => {
    const short = new Uint8Array(4);
    expect(writeHeader(short, 0x01020304)).toBe(4);
    expect([...short]).toEqual([1, 2, 3, 4]);
    const long = new Uint8Array(12);
    expect(headerBytes(2 ** 32 + 5)).toBe(12);
    expect(writeHeader(long, 2 ** 32 + 5)).toBe(12);
    expect([...long]).toEqual([0xff, 0xff, 0xff, 0xff, 0, 0, 0, 1, 0, 0, 0, 5]);
  });

  it('cuts frames out of bytes split at every position, the empty frame included', () => {
    const stream = new Uint8Array([
      ...framed(new Uint8Array([1, 2, 3])),
      ...framed(new Uint8Array(0)),
      ...framed(new Uint8Array([9])),
    ]);
    for (let cut = 0; cut <= stream.length; cut++) {
      const reader = new FrameReader();
      const frames: number[][] = [];
      for (const part of [stream.subarray(0, cut), stream.subarray(cut)]) {
        reader.push(part);
        for (let frame = reader.take(100); frame !== undefined; frame = reader.take(100)) frames.push([...frame]);
      }
      expect(frames, `cut at ${cut}`).toEqual([[1, 2, 3], [], [9]]);
      expect(reader.buffered).toBe(0);
    }
  });

  it('reads a long header, and refuses a length over the limit as soon as the header is in', () => {
    const reader = new FrameReader();
    reader.push(new Uint8Array([0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0]));
    expect(reader.take(10)).toBeUndefined();
    reader.push(new Uint8Array([0, 0, 0, 2, 7, 8]));
    expect([...(reader.take(10) as Uint8Array)]).toEqual([7, 8]);
    reader.push(new Uint8Array([0, 0, 0, 11]));
    expect(() => reader.take(10)).toThrow(FrameLengthError);
    expect(() => reader.take(10)).toThrow('a message of 11 bytes, over the limit of 10 bytes');
    expect(reader.take(11)).toBeUndefined();
  });

  it('takes each frame with the limit in force when it is taken (a handshake frame, then a large one)', () => {
    const reader = new FrameReader();
    reader.push(new Uint8Array([...framed(new Uint8Array(3)), ...framed(new Uint8Array(300))]));
    expect(reader.take(256)).toHaveLength(3);
    expect(() => reader.take(256)).toThrow(FrameLengthError);
    expect(reader.take(1000)).toHaveLength(300);
  });
});
