// `npm run bench`: react-nn against hand-written tfjs, measured side by side in one run, printed as a table.
// Speed goals live here, never in tests. Exits 0 whatever the numbers; a goal missed is marked ✗.
//
// The bench is TypeScript/JSX in bench/ that imports react-nn's src/ directly. Node 20 cannot run .ts, so
// Vite builds it first (bench/dist/, git-ignored):
//   1. bench/node.ts → bench/dist/node/node.mjs (SSR build: packages stay imports), run in a fresh `node`
//      with NODE_ENV=production (React's production build, as deployed) on tfjs' CPU backend: compile and edit
//      timings, then training throughput. It prints one JSON line.
//   2. bench/browser/ → bench/dist/browser/ (a page), served by `vite preview` on 127.0.0.1 and opened in
//      Debian's Chromium through Playwright — WebGPU runs on SwiftShader there, so its sizes are tiny — once
//      per backend (?backend=webgl, ?backend=webgpu). The page leaves its results on `window.benchResult`.
//
// Options: `npm run bench -- --node-only` (skip Chromium), `--browser-only`. BENCH_ONLY=compile,mlp-moons,cnn-mnist
// limits the cases (also viz-longtasks, playground-page, and the fused runner's cases: see bench/README.md),
// BENCH_BACKENDS=webgl the browser backends. Building, running and Chromium: bench/harness.mjs.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { buildNodeEntry, OUT, ROOT, runNodeJson, runPageInChromium, table } from '../bench/harness.mjs';

const args = new Set(process.argv.slice(2));
const runNode = !args.has('--browser-only');
const runBrowser = !args.has('--node-only');
const BROWSER_BACKENDS = process.env.BENCH_BACKENDS?.split(',') ?? ['webgl', 'webgpu'];

const LOAD_AT_START = loadavg();
const GOALS = { editMs: 50, compileRatio: 1.2, trainRatio: 1.0 };

/** Builds and runs the Node half; resolves with its JSON. */
async function nodeBench() {
  return runNodeJson(await buildNodeEntry('bench/node.ts', 'node'));
}

/** Builds the page, serves it and runs it in Chromium once per backend. */
function browserBench() {
  const only = process.env.BENCH_ONLY ? `&only=${process.env.BENCH_ONLY}` : '';
  return runPageInChromium({
    root: join(ROOT, 'bench/browser'),
    outDir: join(OUT, 'browser'),
    port: 4180,
    backends: BROWSER_BACKENDS,
    url: (base, backend) => `${base}?backend=${backend}${only}`,
    global: 'benchResult',
    onError: (backend, error) => ({ backend, error, training: [] }),
  });
}

// ---- the table ----

const fmt = (x, digits = 2) => (Number.isFinite(x) ? x.toFixed(digits) : String(x));
const mark = (ok) => (ok ? '✓' : '✗ missed');

function report(nodeResult, browserResults) {
  const out = [];
  out.push('');
  out.push(
    `react-nn bench — Node ${process.version}, tfjs ${nodeResult?.tfjs ?? browserResults[0]?.tfjs ?? '?'}, ${availableParallelism()} CPUs; React production build`,
  );
  out.push(
    `load average at start ${LOAD_AT_START.map((l) => l.toFixed(1)).join(' ')}, at end ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')} — other work on the machine makes every number noisier`,
  );
  const c = nodeResult?.compile;
  if (c) {
    out.push('');
    out.push(
      `Compile: 5-layer MLP 2→64→64→64→64→1 (ReLU), ${c.backend}; medians of ${c.samples} batches of 10 models, ${c.samples} edits`,
    );
    out.push(
      table(
        ['measure', 'react-nn', 'tfjs by hand', 'ratio', 'cpu-time ratio', 'goal', ''],
        [
          [
            'build the model (renderModel vs tf.sequential + build())',
            `${fmt(c.renderModelMs)} ms`,
            `${fmt(c.handMs)} ms`,
            fmt(c.ratio),
            c.cpuRatio === null ? '—' : fmt(c.cpuRatio),
            `ratio ≤ ${GOALS.compileRatio}`,
            mark(c.ratio <= GOALS.compileRatio),
          ],
          [
            `prop edit → recompiled model ready (p90 ${fmt(c.editP90Ms)} ms)`,
            `${fmt(c.editMs)} ms`,
            '—',
            '—',
            '—',
            `< ${GOALS.editMs} ms`,
            mark(c.editMs < GOALS.editMs),
          ],
        ],
      ),
    );
    out.push(
      `  fastest batch: renderModel ${fmt(c.bestMs.renderModel)} ms, by hand ${fmt(c.bestMs.hand)} ms, ratio ${fmt(c.bestRatio)} (least disturbed by load)`,
    );
    out.push(
      `  the edit widens Linear[2] 64 ↔ 96: ${c.lastEdit.kept} weights kept, ${c.lastEdit.reset} re-initialised per edit`,
    );
  }
  const training = [
    ...(nodeResult?.training ?? []).map((t) => ({ ...t, where: 'Node' })),
    ...browserResults.flatMap((r) => r?.training ?? []).map((t) => ({ ...t, where: 'Chromium' })),
  ];
  if (training.length > 0) {
    out.push('');
    out.push('Training: epochs/s, createTrainer vs model.fit — same model, data, batch size, Adam, backend');
    out.push(
      table(
        [
          'backend',
          'case',
          'engine',
          'react-nn',
          'tfjs fit',
          'ratio',
          'cpu-time ratio',
          'goal',
          '',
          'final loss rn/tfjs',
          'leaked tensors',
        ],
        training.map((t) => [
          `${t.backend} (${t.where})`,
          t.detail,
          t.requested === 'auto' ? `auto → ${t.engine}` : t.engine,
          fmt(t.reactnn),
          fmt(t.tfjs),
          fmt(t.ratio),
          t.cpuRatio == null ? '—' : fmt(t.cpuRatio),
          `≥ ${GOALS.trainRatio.toFixed(1)}`,
          mark(t.ratio >= GOALS.trainRatio),
          `${fmt(t.finalLoss.reactnn, 3)} / ${fmt(t.finalLoss.tfjs, 3)}`,
          `${t.leakedTensors.reactnn}/${t.leakedTensors.tfjs}`,
        ]),
      ),
    );
    out.push(
      '  ratio = median over rounds of react-nn epochs/s ÷ tfjs epochs/s in the same round (rounds rotate who goes first)',
    );
    out.push(
      "  cpu-time ratio: the same from the Node process's CPU time, which waiting for a busy core does not inflate (goals are judged on ratio)",
    );
    out.push(
      `  engine: createTrainer's default 'auto' and what it chose; 'tfjs' is added when auto chose another engine`,
    );
  }
  const checkpoints = nodeResult?.checkpoint ?? [];
  if (checkpoints.length > 0) {
    out.push('');
    out.push(
      `Checkpoints (Node, cpu): saveCheckpoint → .rnn bytes and loadCheckpoint + renderModel, vs tfjs model.save / tf.loadLayersModel in memory; medians of ${checkpoints[0].rounds} interleaved rounds`,
    );
    out.push(
      table(
        [
          'model',
          'params',
          'save',
          'tfjs save',
          'load + build',
          'tfjs load',
          '.rnn size',
          'tfjs size',
          'goal (1M: < 1 s)',
          '',
        ],
        checkpoints.map((c) => [
          `${c.name}${c.withTrainerState ? ' + Adam trainer state' : ''}`,
          String(c.params),
          `${fmt(c.saveMs, 1)} ms`,
          `${fmt(c.handSaveMs, 1)} ms`,
          `${fmt(c.loadMs, 1)} ms`,
          `${fmt(c.handLoadMs, 1)} ms`,
          `${fmt(c.bytes / 1024, 1)} KiB`,
          `${fmt(c.handBytes / 1024, 1)} KiB`,
          c.params >= 1e6 ? 'save, load < 1000 ms' : '—',
          c.params >= 1e6 ? mark(c.saveMs < 1000 && c.loadMs < 1000) : '',
        ]),
      ),
    );
    out.push(
      '  the tfjs side holds weights and topology only; a trainer checkpoint also holds the optimizer slots (twice the weights for Adam)',
    );
  }
  for (const r of browserResults) {
    if (r?.adapter) out.push(`  ${r.backend} adapter: ${JSON.stringify(r.adapter)}`);
    if (r?.error) out.push(`  ${r.backend} (Chromium): not measured — ${r.error}`);
  }
  console.log(out.join('\n'));
}

let nodeResult = null;
const browserResults = [];
if (runNode) nodeResult = await nodeBench();
if (runBrowser) {
  if (existsSync('/usr/bin/chromium')) browserResults.push(...(await browserBench()));
  else console.error('[bench] no /usr/bin/chromium (apt-get install -y chromium): WebGL and WebGPU not measured');
}
report(nodeResult, browserResults);
mkdirSync(OUT, { recursive: true });
writeFileSync(join(OUT, 'results.json'), `${JSON.stringify({ node: nodeResult, browser: browserResults }, null, 2)}\n`);
console.log(`\nAll numbers: ${join(OUT, 'results.json')}`);

// The other benchmarks run as their own processes, one after another, so each owns the machine while it measures.
// BENCH_ONLY names them too (viz-longtasks, playground-page); the fused runner reads BENCH_ONLY for its own cases.
const only = process.env.BENCH_ONLY?.split(',');
const extra = [
  ['viz long tasks', 'bench/viz-longtasks.mjs', ['--rounds=1'], 'viz-longtasks'],
  ['playground', 'bench/playground-page.mjs', [], 'playground-page'],
  // The same --node-only / --browser-only choice as this run's.
  ['fused engines', 'bench/fused.mjs', [...args].filter((a) => a === '--node-only' || a === '--browser-only'), null],
];
for (const [label, file, args, id] of extra) {
  if (!existsSync(file) || (id && ((only && !only.includes(id)) || !runBrowser))) continue;
  console.log(`\n=== ${label} (${file}) ===`);
  await new Promise((done) => {
    const child = spawn(process.execPath, [file, ...args], { stdio: 'inherit' });
    child.on('exit', done);
    child.on('error', done);
  });
}
