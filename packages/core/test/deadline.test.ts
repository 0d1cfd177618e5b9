import { describe, expect, it } from 'vitest';
import { deadlineAfter } from '../src/index.ts';

describe('deadlineAfter', () => {
  it('has no end without a timeout', () => {
    for (const timeout of [undefined, null, Number.POSITIVE_INFINITY]) {
      const deadline = deadlineAfter(timeout);
      expect(deadline.remaining()).toBe(Number.POSITIVE_INFINITY);
      expect(deadline.expired()).toBe(false);
    }
  });

  it('counts down on the monotonic clock', async () => {
    const deadline = deadlineAfter(60);
    expect(deadline.remaining()).toBeGreaterThan(40);
    expect(deadline.remaining()).toBeLessThanOrEqual(60);
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(deadline.remaining()).toBe(0);
    expect(deadline.expired()).toBe(true);
  });

  it('treats a negative timeout as 0', () => {
    expect(deadlineAfter(-5).remaining()).toBe(0);
    expect(deadlineAfter(-5).expired()).toBe(true);
  });

  it('refuses NaN and non-numbers, naming the option', () => {
    expect(() => deadlineAfter(Number.NaN)).toThrow(RangeError);
    expect(() => deadlineAfter('10' as unknown as number, 'timeout')).toThrow(/timeout must be a number/);
  });
});
