// Long tasks while the viz components watch training: `node bench/viz-longtasks.mjs [--backend=webgl,cpu] [--rounds=3]`.
// Builds bench/viz-longtasks.html with Vite (into bench/dist/viz-longtasks, React's production build), serves it
// with `vite preview` on 127.0.0.1 and opens it in Debian's Chromium through Playwright (bench/harness.mjs), once
// per backend, then prints a table. Goal: no main-thread task over 50 ms after warm-up with LossChart +
// DecisionBoundary + WeightHistogram mounted. Exits 0 whatever the numbers (a missed goal is marked ✗), as `npm run bench` does.
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { OUT as BENCH_OUT, ROOT, runPageInChromium, table } from './harness.mjs';

const OUT = join(BENCH_OUT, 'viz-longtasks');
const option = (name) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const BACKENDS = option('backend')?.split(',') ?? ['webgl', 'cpu'];
const ROUNDS = Number(option('rounds') ?? 3);

const results = await runPageInChromium({
  root: join(ROOT, 'bench'),
  outDir: OUT,
  port: 4181,
  input: join(ROOT, 'bench/viz-longtasks.html'),
  backends: BACKENDS,
  url: (base, backend) => `${base}viz-longtasks.html?backend=${backend}&rounds=${ROUNDS}`,
  global: 'vizResult',
  onError: (backend, error) => ({ backend, error, runs: [] }),
  progress: false,
  viewport: { width: 1200, height: 900 },
});

const f = (x, d = 1) => (Number.isFinite(x) ? x.toFixed(d) : String(x));
const rows = results.flatMap((r) =>
  r.error
    ? [[r.backend, `failed: ${r.error}`, '', '', '', '', '']]
    : r.runs.map((run, i) => [
        r.backend,
        run.label,
        f(run.epochsPerSecond, 2),
        `${run.longTasks} (${run.perRound.join(', ')})`,
        `${f(run.maxTaskMs)} ms`,
        `${f(run.blockingMs)} ms`,
        i === 0 ? '' : run.longTasks === 0 ? '✓' : '✗ missed',
      ]),
);
const head = [
  'backend',
  'run (after warm-up)',
  'epochs/s',
  'tasks > 50 ms (rounds)',
  'longest',
  'blocking',
  'goal: none',
];
console.log(
  `\nViz long tasks: moons MLP 2→16→16→1, ${results[0]?.points ?? '?'} points, batch 32, Adam; ${ROUNDS} rounds per run`,
);
console.log(table(head, rows));
console.log('  epochs/s: median of the rounds; long tasks, longest and blocking: the round with the fewest long tasks');
console.log(
  `  load average now ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')} — other work on the machine adds long tasks`,
);
for (const r of results) {
  if (!r.error)
    console.log(
      `  ${r.backend}: ${r.boundaryRedraws} decision-boundary redraws measured, ${r.leakedTensors} tensors leaked`,
    );
}
mkdirSync(OUT, { recursive: true });
writeFileSync(join(OUT, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
