// Long tasks while the viz components watch training: `node bench/viz-longtasks.mjs [--backend=webgl,cpu] [--rounds=3]`.
// Builds bench/viz-longtasks.html with Vite (into bench/dist/viz-longtasks, React's production build), serves it
// with `vite preview` on 127.0.0.1 and opens it in Debian's Chromium through Playwright, once per backend, then
// prints a table. Goal: no main-thread task over 50 ms after warm-up with LossChart + DecisionBoundary +
// WeightHistogram mounted. Exits 0 whatever the numbers (a missed goal is marked ✗), as `npm run bench` does.
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, preview } from 'vite';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = join(ROOT, 'bench/dist/viz-longtasks');
const option = (name) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const BACKENDS = option('backend')?.split(',') ?? ['webgl', 'cpu'];
const ROUNDS = Number(option('rounds') ?? 3);

process.env.VK_ICD_FILENAMES ??= '/usr/lib/chromium/vk_swiftshader_icd.json';
process.env.XDG_RUNTIME_DIR ??= '/tmp';

const quiet = { configFile: false, logLevel: 'warn', envDir: false, publicDir: false, root: join(ROOT, 'bench') };
await build({
  ...quiet,
  base: './',
  define: { 'process.env.NODE_ENV': JSON.stringify('production') },
  build: {
    outDir: OUT,
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 100_000,
    rolldownOptions: { input: join(ROOT, 'bench/viz-longtasks.html') },
  },
});
const server = await preview({
  ...quiet,
  build: { outDir: OUT },
  preview: { host: '127.0.0.1', port: 4181, strictPort: false, open: false },
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
  for (const backend of BACKENDS) {
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    page.on('pageerror', (e) => console.error(`[page] ${e.message}`));
    await page.goto(`${url}viz-longtasks.html?backend=${backend}&rounds=${ROUNDS}`);
    try {
      results.push(await page.evaluate(() => window.vizResult, undefined, { timeout: 0 }));
    } catch (e) {
      results.push({ backend, error: e.message.split('\n')[0], runs: [] });
    }
    await page.close();
  }
} finally {
  await browser.close();
  await new Promise((r) => server.httpServer.close(r));
}

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
const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
const line = (cells) => `  ${cells.map((c, i) => c.padEnd(widths[i])).join('  ')}`.trimEnd();
console.log(
  `\nViz long tasks: moons MLP 2→16→16→1, ${results[0]?.points ?? '?'} points, batch 32, Adam; ${ROUNDS} rounds per run`,
);
console.log([line(head), line(widths.map((w) => '─'.repeat(w))), ...rows.map(line)].join('\n'));
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
