import { pythonInfo } from '/work/main/apps/bench/src/machine-info.ts';
import { runScenario } from '/work/main/apps/bench/src/run-scenario.ts';
import { SCENARIOS } from '/work/main/apps/bench/src/scenarios/index.ts';

const py = await pythonInfo();
for (const f of SCENARIOS) {
  if (process.argv[2] && !process.argv.slice(2).includes(f.id)) continue;
  const t = performance.now();
  const r = await runScenario(
    f.create((process.env.MODE ?? 'quick') as 'quick', py),
    Number(process.env.REPS ?? 1),
    (s, row, rep) => process.stderr.write(`${s.id} ${row.label} ${rep}\n`),
  );
  console.log(JSON.stringify(r), ((performance.now() - t) / 1000).toFixed(1), 's');
}
