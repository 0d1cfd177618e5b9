import { describe, expect, it } from 'vitest';
import { parseOptions } from '../src/options.ts';

const IDS = ['queue-objects', 'pipe-ping-pong'];

describe('parseOptions', () => {
  it('runs everything, fully, five times by default', () => {
    expect(parseOptions([], IDS)).toEqual({ mode: 'full', repetitions: 5, only: [], outDir: undefined });
  });

  it('--quick takes two repetitions unless told otherwise', () => {
    expect(parseOptions(['--quick'], IDS)).toMatchObject({ mode: 'quick', repetitions: 2 });
    expect(parseOptions(['--quick', '--repetitions=3'], IDS)).toMatchObject({ mode: 'quick', repetitions: 3 });
  });

  it('reads --only and --out', () => {
    expect(parseOptions(['--only=pipe-ping-pong,queue-objects', '--out=/tmp/x'], IDS)).toMatchObject({
      only: ['pipe-ping-pong', 'queue-objects'],
      outDir: '/tmp/x',
    });
  });

  it.each([['--repetitions=0'], ['--repetitions=1.5'], ['--repetitions='], ['--fast'], ['--only='], ['quick']])(
    'refuses %s',
    (arg) => {
      expect(() => parseOptions([arg], IDS)).toThrow(RangeError);
    },
  );

  it('names an unknown scenario', () => {
    expect(() => parseOptions(['--only=queue-objects,nope'], IDS)).toThrow(/unknown scenario nope/);
  });
});
