// The Playground bench: `node bench/playground-page.mjs [--rounds=3] [--seconds=4]` (also run by `npm run bench`).
// Builds bench/playground-page.html with Vite (React's production build), serves it with `vite preview` on
// 127.0.0.1 and opens it in Debian's Chromium (bench/harness.mjs). In that one page: TF Playground's own nn.ts
// (bench/tf-playground, vendored verbatim) against react-nn's <Playground> with every view live, on Playground's
// default network and data. Goals: ≥ 3× nn.ts's examples/s, no main-thread task over 50 ms, 60 frames a second
// while playing. Exits 0 whatever the numbers (a missed goal is marked ✗).
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { OUT as BENCH_OUT, ROOT, runPageInChromium, table } from './harness.mjs';

const OUT = join(BENCH_OUT, 'playground-page');
const option = (name) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const ROUNDS = Number(option('rounds') ?? 3);
const SECONDS = Number(option('seconds') ?? 4);
/** The model's backend; default: what <Playground> chooses (cpu here: WebGL is SwiftShader, a software renderer). */
const BACKEND = option('backend');
/** Hidden layer sizes, e.g. `--shape=8,8,8,8,8,8` (default Playground's 4,2), for nn.ts and the page alike. */
const SHAPE = option('shape');
const GOALS = { ratio: 3, maxTaskMs: 50, fps: 60 };

const [result] = await runPageInChromium({
  root: join(ROOT, 'bench'),
  outDir: OUT,
  port: 4182,
  input: join(ROOT, 'bench/playground-page.html'),
  backends: ['default'],
  url: (base) =>
    `${base}playground-page.html?rounds=${ROUNDS}&seconds=${SECONDS}${BACKEND ? `&backend=${BACKEND}` : ''}${SHAPE ? `&shape=${SHAPE}` : ''}`,
  global: 'playgroundResult',
  onError: (_, error) => ({ error, rounds: [] }),
  viewport: { width: 1400, height: 1000 },
  alias: { 'tf-playground-nn': join(ROOT, 'bench/tf-playground/nn.ts') },
});

const f = (x, d = 0) => (Number.isFinite(x) ? x.toFixed(d) : String(x));
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
console.log(
  `\nPlayground: 2-${SHAPE ? SHAPE.replaceAll(',', '-') : '4-2'}-1 tanh, batch 10, lr 0.03, circle data, ${result.trainPoints ?? '?'} training points; ` +
    `${ROUNDS} rounds of ${SECONDS} s each, interleaved`,
);
if (result.error) {
  console.log(`  failed: ${result.error}`);
} else {
  const rows = result.rounds.map((r, i) => [
    `round ${i + 1}`,
    f(r.nnExamplesPerSecond),
    f(r.pageExamplesPerSecond),
    `${f(r.pageExamplesPerSecond / r.nnExamplesPerSecond, 2)}×`,
    String(r.longTasks),
    r.longTasks ? `${f(r.maxTaskMs, 1)} ms` : '< 50 ms',
    `${f(r.fps)} fps (paused: ${f(r.idleFps)}), longest gap ${f(r.maxFrameGapMs)} ms`,
    String(r.nnLongTasks),
  ]);
  const ratios = result.rounds.map((r) => r.pageExamplesPerSecond / r.nnExamplesPerSecond);
  const ratio = median(ratios);
  const worst = Math.max(0, ...result.rounds.map((r) => r.maxTaskMs));
  const tasks = result.rounds.reduce((s, r) => s + r.longTasks, 0);
  // 60 fps within a frame's rounding (rAF ticks at the display's rate; the paused column shows this browser's).
  const fps = median(result.rounds.map((r) => r.fps));
  const gap = Math.max(...result.rounds.map((r) => r.maxFrameGapMs));
  rows.push([
    'median',
    f(median(result.rounds.map((r) => r.nnExamplesPerSecond))),
    f(median(result.rounds.map((r) => r.pageExamplesPerSecond))),
    `${f(ratio, 2)}× ${ratio >= GOALS.ratio ? '✓' : '✗ missed'} (goal ≥ ${GOALS.ratio}×)`,
    `${tasks} ${tasks === 0 ? '✓' : '✗ missed'}`,
    worst ? `${f(worst, 1)} ms` : '< 50 ms',
    `${f(fps)} fps ${fps >= GOALS.fps - 1.5 ? '✓' : '✗ missed'}, longest gap ${f(gap)} ms`,
    String(result.rounds.reduce((s, r) => s + r.nnLongTasks, 0)),
  ]);
  console.log(
    table(
      [
        '',
        "TF Playground's nn.ts, examples/s",
        'react-nn <Playground>, examples/s',
        'ratio',
        'tasks > 50 ms',
        'longest task',
        'frames painted while playing',
        'tasks > 50 ms during nn.ts (30 ms slices)',
      ],
      rows,
    ),
  );
  console.log(
    `  react-nn engine: ${result.engine} (${result.engineReason}); the views on tfjs ${result.backend}; ${result.redraws} network-view redraws in the last run`,
  );
  console.log(
    '  nn.ts runs on the main thread in 30 ms slices (yielding between them, as a page must); the react-nn page',
  );
  console.log('  plays with every view live (neuron heatmaps, output, timeline, gradients, loss chart, JSX, summary).');
}
console.log(
  `  load average now ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')} — other work on the machine makes every number noisier`,
);
mkdirSync(OUT, { recursive: true });
writeFileSync(join(OUT, 'results.json'), `${JSON.stringify(result, null, 2)}\n`);
