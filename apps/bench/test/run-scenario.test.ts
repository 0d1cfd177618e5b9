import { describe, expect, it } from 'vitest';
import { checkTarget, runScenario } from '../src/run-scenario.ts';
import { type Scenario, single } from '../src/scenario.ts';

/** A scenario of fake measurements: each returns the next of its rates. */
function scenario(parts: Partial<Scenario>): Scenario {
  return {
    id: 'fake',
    title: 'Fake',
    unit: 'ops/s',
    workload: '1 op',
    about: 'Fake.',
    measurements: [],
    targets: [],
    ...parts,
  };
}

describe('runScenario', () => {
  it("runs every measurement round-robin and keeps each row's median and spread", async () => {
    const order: string[] = [];
    const rates = { ours: [30, 10, 20], theirs: [4, 6, 5] };
    const result = await runScenario(
      scenario({
        measurements: [
          single('cpython', 'theirs', () => rates.theirs.shift() as number),
          single('ipc', 'ours', () => rates.ours.shift() as number),
        ],
        targets: [{ kind: 'ratio', baseline: 'cpython', ratio: 3 }],
      }),
      3,
      (_, row, repetition) => order.push(`${row.label}${repetition}`),
    );
    expect(order).toEqual(['theirs0', 'ours0', 'theirs1', 'ours1', 'theirs2', 'ours2']);
    // Ours comes first whatever the order of the measurements.
    expect(result.rows.map((row) => [row.label, row.median, row.min, row.max])).toEqual([
      ['ours', 20, 10, 30],
      ['theirs', 5, 4, 6],
    ]);
    expect(result.targets).toEqual([expect.objectContaining({ text: '≥ 3× CPython', reached: 4, met: true })]);
  });

  it('stops running a measurement that failed, says why, keeps its rates, and misses its targets', async () => {
    let runs = 0;
    const result = await runScenario(
      scenario({
        measurements: [
          single('ipc', 'flaky', () => {
            runs++;
            if (runs === 2) throw new Error('invalid: the counter is 9, expected 10');
            return 100;
          }),
          single('cpython', 'theirs', () => 1),
        ],
        targets: [{ kind: 'ratio', baseline: 'cpython', ratio: 10 }],
      }),
      4,
      () => {},
    );
    expect(runs).toBe(2);
    expect(result.rows[0]).toMatchObject({
      samples: [100],
      note: 'failed in run 2: invalid: the counter is 9, expected 10',
    });
    // 100× CPython in the run that passed its checks, but a run that counted wrong fails the target.
    expect(result.targets[0]).toMatchObject({ met: false });
    expect(result.targets[0]?.reached).toBeUndefined();
  });

  it('takes the mean of the two middle runs of an even count as the median', async () => {
    const rates = [40, 10, 30, 20];
    const result = await runScenario(
      scenario({ measurements: [single('ipc', 'ours', () => rates.shift() as number)] }),
      4,
      () => {},
    );
    expect(result.rows[0]).toMatchObject({ median: 25, min: 10, max: 40 });
  });

  it('fails every row when setting up fails, runs nothing, and still tears down', async () => {
    const events: string[] = [];
    const result = await runScenario(
      scenario({
        measurements: [single('ipc', 'ours', () => events.push('run'))],
        targets: [{ kind: 'rate', rate: 1 }],
        setUp: async () => {
          throw new Error('no server');
        },
        tearDown: async () => {
          events.push('down');
        },
      }),
      3,
      () => {},
    );
    expect(events).toEqual(['down']);
    expect(result.rows[0]?.note).toBe('failed to set up: no server');
    expect(result.targets[0]).toMatchObject({ met: false });
  });

  it('fills several rows from one measurement, and shows skipped rows with their note', async () => {
    const result = await runScenario(
      scenario({
        measurements: [
          {
            rows: [
              { side: 'ipc', label: 'ours' },
              { side: 'floor', label: 'raw' },
            ],
            run: async () => [1, 2],
          },
        ],
        skipped: [{ side: 'cpython', label: 'CPython', note: 'skipped: python3 not found' }],
        targets: [{ kind: 'ratio', baseline: 'cpython', ratio: 10 }],
      }),
      1,
      () => {},
    );
    expect(result.rows.map((row) => [row.side, row.samples, row.note])).toEqual([
      ['ipc', [1], undefined],
      ['cpython', [], 'skipped: python3 not found'],
      ['floor', [2], undefined],
    ]);
    expect(result.targets[0]).toEqual({
      target: { kind: 'ratio', baseline: 'cpython', ratio: 10 },
      text: '≥ 10× CPython',
    });
  });

  it('sets up before the first run and tears down after the last, even when runs fail', async () => {
    const events: string[] = [];
    await runScenario(
      scenario({
        measurements: [
          single('ipc', 'ours', () => {
            events.push('run');
            throw new Error('broken');
          }),
        ],
        setUp: async () => {
          events.push('up');
        },
        tearDown: async () => {
          events.push('down');
        },
      }),
      2,
      () => {},
    );
    expect(events).toEqual(['up', 'run', 'down']);
  });
});

describe('checkTarget', () => {
  const rows = [
    { side: 'ipc' as const, label: 'ours', samples: [300_000], median: 300_000 },
    { side: 'floor' as const, label: 'raw', samples: [400_000], median: 400_000 },
  ];

  it('says MISSED with the ratio reached', () => {
    expect(checkTarget({ kind: 'ratio', baseline: 'floor', ratio: 0.8 }, 'ops/s', rows)).toMatchObject({
      text: '≥ 0.8× floor',
      reached: 0.75,
      met: false,
    });
  });

  it('checks an absolute rate against our median', () => {
    expect(checkTarget({ kind: 'rate', rate: 400_000 }, 'round trips/s', rows)).toMatchObject({
      text: '≥ 400,000 round trips/s',
      reached: 300_000,
      met: false,
    });
  });
});
