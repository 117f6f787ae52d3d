// Where the Playground page's long main-thread tasks go: `node bench/playground-page.profile.mjs [--seconds=6]`.
// Builds bench/playground-page.html unminified (so functions keep their names), plays one round of the bench
// page in Debian's Chromium under the DevTools sampling profiler, cuts the samples into runs between idle
// samples, and for every run over 50 ms prints how much of it each part of the page took. Not part of
// `npm run bench`: a diagnosis, for when bench/playground-page.mjs reports long tasks.
import { join } from 'node:path';
import { build, preview } from 'vite';
import { ROOT } from './harness.mjs';

const option = (name) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const SECONDS = Number(option('seconds') ?? 6);
/** `--shape=8,8,8,8,8,8`: hidden layer sizes, as bench/playground-page.mjs takes them. */
const SHAPE = option('shape');
const outDir = join(ROOT, 'bench/dist/playground-page-profile');
/** Parts of the page, by the functions whose time (inclusive) counts for them. */
const PARTS = {
  'trainer: shuffle-ahead (EpochCursor.prefetch/buildOrders)': ['prefetch', 'buildOrders'],
  'trainer: #publish (snapshot with the whole history)': ['#publish'],
  'fused-cpu host: postMessage to the Worker': ['train'],
  'React render and commit': ['performWorkOnRoot'],
  'garbage collection': ['(garbage collector)'],
};

await build({
  root: join(ROOT, 'bench'),
  base: './',
  logLevel: 'warn',
  resolve: { alias: { 'tf-playground-nn': join(ROOT, 'bench/tf-playground/nn.ts') } },
  define: { 'process.env.NODE_ENV': JSON.stringify('production') },
  build: {
    outDir,
    emptyOutDir: true,
    target: 'es2022',
    minify: false,
    chunkSizeWarningLimit: 100_000,
    rolldownOptions: { input: join(ROOT, 'bench/playground-page.html') },
  },
});
const server = await preview({
  root: join(ROOT, 'bench'),
  logLevel: 'warn',
  build: { outDir },
  preview: { host: '127.0.0.1', port: 4183, strictPort: false },
});
const { chromium } = await import('playwright');
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox'] });
let profile;
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
  // The page logs a line when TF Playground's nn.ts round ends and its own play begins.
  const nnDone = new Promise((resolve) =>
    page.on('console', (m) => {
      if (m.text().includes('nn.ts')) resolve();
    }),
  );
  await page.goto(
    `${server.resolvedUrls.local[0]}playground-page.html?rounds=1&seconds=${SECONDS}${SHAPE ? `&shape=${SHAPE}` : ''}`,
  );
  await nnDone;
  await cdp.send('Profiler.start');
  const result = await page.evaluate(() => window.playgroundResult, { timeout: 0 });
  ({ profile } = await cdp.send('Profiler.stop'));
  const r = result.rounds[0];
  console.log(
    `page: ${Math.round(r.pageExamplesPerSecond)} examples/s, ${r.longTasks} tasks > 50 ms, longest ${r.maxTaskMs} ms`,
  );
} finally {
  await browser.close();
  await new Promise((r) => server.httpServer.close(r));
}

const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
let t = profile.startTime;
const samples = profile.samples.map((id, i) => {
  t += profile.timeDeltas[i];
  return { id, t };
});
const runs = [];
let current = null;
for (let i = 0; i < samples.length; i++) {
  const s = samples[i];
  if (nodes.get(s.id).callFrame.functionName === '(idle)') {
    if (current) runs.push({ ...current, end: s.t });
    current = null;
    continue;
  }
  current ??= { start: s.t, samples: [] };
  current.samples.push({ id: s.id, dt: (samples[i + 1]?.t ?? s.t) - s.t });
}
// `--stacks=N`: under each long run, the N functions of the page's code with the most time in it (inclusive).
const STACKS = Number(option('stacks') ?? 0);
const long = runs.filter((r) => (r.end - r.start) / 1000 > 50);
console.log(`${long.length} runs of samples over 50 ms (a run may hold several tasks back to back); ms per part:`);
const totals = {};
for (const run of long) {
  const parts = {};
  for (const { id, dt } of run.samples) {
    parts['(all of the run)'] = (parts['(all of the run)'] ?? 0) + dt;
    const chain = new Set();
    for (let p = id; p !== undefined; p = parent.get(p)) chain.add(nodes.get(p).callFrame.functionName);
    for (const [part, fns] of Object.entries(PARTS))
      if (fns.some((f) => chain.has(f))) parts[part] = (parts[part] ?? 0) + dt;
  }
  for (const [k, v] of Object.entries(parts)) totals[k] = (totals[k] ?? 0) + v;
  const shown = Object.entries(parts)
    .sort((a, b) => b[1] - a[1])
    .map(([k, v]) => `${k} ${(v / 1000).toFixed(0)}`);
  console.log(`  ${((run.end - run.start) / 1000).toFixed(0).padStart(4)} ms: ${shown.join(', ')}`);
  if (STACKS > 0) {
    // Inclusive time per function of the page's own code in this run: which task, view or hook it was.
    const inclusive = {};
    for (const { id, dt } of run.samples) {
      const seen = new Set();
      for (let p = id; p !== undefined; p = parent.get(p)) {
        const f = nodes.get(p).callFrame;
        if (!f.url) continue;
        const where = `${f.functionName || '(anonymous)'} :${f.lineNumber + 1}`;
        if (seen.has(where)) continue;
        seen.add(where);
        inclusive[where] = (inclusive[where] ?? 0) + dt;
      }
    }
    const top = Object.entries(inclusive)
      .sort((a, b) => b[1] - a[1])
      .slice(0, STACKS)
      .map(([k, v]) => `${k} ${(v / 1000).toFixed(0)}`);
    console.log(`        ${top.join(' · ')}`);
  }
}
console.log('in all:');
for (const [k, v] of Object.entries(totals).sort((a, b) => b[1] - a[1]))
  console.log(`  ${(v / 1000).toFixed(0).padStart(6)} ms  ${k}`);

// `--top=N`: the N functions with the most self time inside those runs (what the parts above do not name).
const TOP = Number(process.argv.find((a) => a.startsWith('--top='))?.slice(6) ?? 0);
if (TOP > 0) {
  const self = {};
  for (const run of long) {
    for (const { id, dt } of run.samples) {
      const f = nodes.get(id).callFrame;
      const where = `${f.functionName || '(anonymous)'} ${f.url.split('/').pop()}:${f.lineNumber + 1}`;
      self[where] = (self[where] ?? 0) + dt;
    }
  }
  console.log(`top ${TOP} by self time in those runs:`);
  for (const [k, v] of Object.entries(self)
    .sort((a, b) => b[1] - a[1])
    .slice(0, TOP))
    console.log(`  ${(v / 1000).toFixed(0).padStart(6)} ms  ${k}`);
}
