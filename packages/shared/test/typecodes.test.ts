/** The element types (typecodes.ts): unit tests of the source, no threads. */
import { describe, expect, it } from 'vitest';
import { checkElement, elementType, elementTypeById } from '../src/typecodes.ts';

describe('typecodes', () => {
  it("names Python's letters and the readable names alike, one type each", () => {
    expect(elementType('i')).toBe(elementType('int32'));
    expect(elementType('l')).toBe(elementType('q'));
    expect(elementType('L').name).toBe('uint64');
    expect(elementType('d').array).toBe(Float64Array);
    expect(elementType('c').kind).toBe('char');
    for (const code of ['b', 'B', 'h', 'H', 'i', 'I', 'l', 'L', 'q', 'Q', 'f', 'd', 'c']) {
      const type = elementType(code);
      expect(elementTypeById(type.id)).toBe(type);
      expect(type.array.BYTES_PER_ELEMENT).toBe(type.bytes);
    }
  });

  it('refuses an unknown typecode with TypeError naming the valid ones', () => {
    expect(() => elementType('x')).toThrow(TypeError);
    expect(() => elementType('x')).toThrow(/expected one of 'b', 'B'.*'float64'/);
    expect(() => elementType(5)).toThrow(TypeError);
    expect(() => elementTypeById(99)).toThrow(TypeError);
  });

  it('checks values: numbers for number codes, integers for integer codes, bigints for 64-bit codes', () => {
    expect(checkElement(elementType('i'), 7)).toBe(7);
    expect(() => checkElement(elementType('i'), 1.5)).toThrow(/must be an integer/);
    expect(() => checkElement(elementType('i'), '7')).toThrow(/must be a number, got "7"/);
    expect(checkElement(elementType('d'), 1.5)).toBe(1.5);
    expect(checkElement(elementType('q'), 5)).toBe(5n);
    expect(checkElement(elementType('Q'), 2n ** 63n)).toBe(2n ** 63n);
    expect(() => checkElement(elementType('q'), 2 ** 60)).toThrow(/bigint/);
  });

  it('out-of-range stores wrap as ctypes does (the typed array does it), floats round', () => {
    const wrap = (code: string, value: number | bigint) => {
      const type = elementType(code);
      const cell = new type.array(1) as unknown as { 0: number | bigint };
      cell[0] = checkElement(type, value);
      return cell[0];
    };
    expect(wrap('b', 128)).toBe(-128);
    expect(wrap('B', 256)).toBe(0);
    expect(wrap('i', 2 ** 31)).toBe(-(2 ** 31));
    expect(wrap('I', -1)).toBe(2 ** 32 - 1);
    expect(wrap('q', 2n ** 63n)).toBe(-(2n ** 63n));
    expect(wrap('f', 0.1)).toBe(Math.fround(0.1));
    expect(wrap('f', 1e40)).toBe(Number.POSITIVE_INFINITY);
  });
});
