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
// limits the cases, BENCH_BACKENDS=webgl the browser backends. Environment for WebGPU on SwiftShader as in scripts/test.sh.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, preview } from 'vite';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = join(ROOT, 'bench/dist');
const args = new Set(process.argv.slice(2));
const runNode = !args.has('--browser-only');
const runBrowser = !args.has('--node-only');
const BROWSER_BACKENDS = process.env.BENCH_BACKENDS?.split(',') ?? ['webgl', 'webgpu'];

const LOAD_AT_START = loadavg();
const GOALS = { editMs: 50, compileRatio: 1.2, trainRatio: 1.0 };

process.env.VK_ICD_FILENAMES ??= '/usr/lib/chromium/vk_swiftshader_icd.json';
process.env.XDG_RUNTIME_DIR ??= '/tmp';

const quiet = { configFile: false, root: ROOT, logLevel: 'warn', envDir: false, publicDir: false };

/** Builds and runs the Node half; resolves with its JSON. */
async function nodeBench() {
  await build({
    ...quiet,
    build: {
      ssr: 'bench/node.ts',
      outDir: join(OUT, 'node'),
      emptyOutDir: true,
      target: 'node20',
      minify: false,
      rolldownOptions: { output: { entryFileNames: '[name].mjs' } },
    },
  });
  const child = spawn(process.execPath, [join(OUT, 'node/node.mjs')], {
    cwd: ROOT,
    env: { ...process.env, NODE_ENV: 'production' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let stdout = '';
  child.stdout.on('data', (d) => {
    stdout += d;
  });
  const code = await new Promise((r) => child.on('close', r));
  if (code !== 0) throw new Error(`the Node bench exited with ${code}`);
  return JSON.parse(stdout.trim().split('\n').at(-1));
}

/** Builds the page, serves it and runs it in Chromium once per backend. */
async function browserBench() {
  await build({
    ...quiet,
    root: join(ROOT, 'bench/browser'),
    base: './',
    define: { 'process.env.NODE_ENV': JSON.stringify('production') },
    build: { outDir: join(OUT, 'browser'), emptyOutDir: true, target: 'es2022', chunkSizeWarningLimit: 100_000 },
  });
  const server = await preview({
    ...quiet,
    root: join(ROOT, 'bench/browser'),
    build: { outDir: join(OUT, 'browser') },
    preview: { host: '127.0.0.1', port: 4180, strictPort: false, open: false },
  });
  const url = server.resolvedUrls?.local[0];
  if (!url) throw new Error('vite preview did not say where it listens');
  const { chromium } = await import('playwright');
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--enable-unsafe-webgpu', '--use-webgpu-adapter=swiftshader', '--no-sandbox'],
  });
  const results = [];
  try {
    for (const backend of BROWSER_BACKENDS) {
      const page = await browser.newPage();
      page.on('console', (m) => {
        if (m.text().startsWith('[bench]')) console.error(m.text());
      });
      page.on('pageerror', (e) => console.error(`[page] ${e.message}`));
      const only = process.env.BENCH_ONLY ? `&only=${process.env.BENCH_ONLY}` : '';
      await page.goto(`${url}?backend=${backend}${only}`);
      try {
        results.push(await page.evaluate(() => window.benchResult, undefined, { timeout: 0 }));
      } catch (e) {
        console.error(`[bench] ${backend} failed: ${e.message}`);
        results.push({ backend, error: e.message.split('\n')[0], training: [] });
      }
      await page.close();
    }
  } finally {
    await browser.close();
    await new Promise((r) => server.httpServer.close(r));
  }
  return results;
}

// ---- the table ----

const fmt = (x, digits = 2) => (Number.isFinite(x) ? x.toFixed(digits) : String(x));
const mark = (ok) => (ok ? '✓' : '✗ missed');

function table(headers, rows) {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells) => `  ${cells.map((c, i) => String(c).padEnd(widths[i])).join('  ')}`.trimEnd();
  return [line(headers), line(widths.map((w) => '─'.repeat(w))), ...rows.map(line)].join('\n');
}

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
            'build the model (renderModel vs tf.sequential)',
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
const extra = [
  ['viz long tasks', 'bench/viz-longtasks.mjs', ['--rounds=1']],
  ['fused engines', 'bench/fused.mjs', []],
];
for (const [label, file, args] of extra) {
  if (!existsSync(file) || (!runBrowser && label === 'viz long tasks')) continue;
  console.log(`\n=== ${label} (${file}) ===`);
  await new Promise((done) => {
    const child = spawn(process.execPath, [file, ...args], { stdio: 'inherit' });
    child.on('exit', done);
    child.on('error', done);
  });
}
