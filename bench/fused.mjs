// Fused-engine bench: examples/s of react-nn's fused engines vs its tfjs engine vs hand-written tfjs
// (model.fit) vs TF Playground's own nn.ts, in Node (tfjs cpu; fused-webgpu through Dawn when
// the `webgpu` package finds an adapter) and in Chromium (tfjs webgl, webgpu on SwiftShader, cpu), with the
// main thread's long tasks while each contender trains. Prints a table; all numbers go to
// bench/dist/fused-results.json. Speed goals are reported, never enforced (exit code 0).
//
//   node bench/fused.mjs                 # everything (a few minutes)
//   node bench/fused.mjs --node-only     # or --browser-only
//   BENCH_ONLY=playground-2-4-2-1,playground-2-8x6-1,mnist-784-128-10  BENCH_BACKENDS=webgl,webgpu,cpu
//   BENCH_ROUND_SECONDS=0.5              # length of each measured round
//
// Built like scripts/bench.mjs (bench/harness.mjs): Vite bundles the TypeScript (bench/fused-node.ts,
// bench/fused-browser/) into bench/dist/ first, since Node 20 cannot run .ts.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { BENCH_ALIAS, buildNodeEntry, OUT, ROOT, runNodeJson, runPageInChromium, table } from './harness.mjs';

const args = new Set(process.argv.slice(2));
const BACKENDS = process.env.BENCH_BACKENDS?.split(',') ?? ['webgl', 'webgpu', 'cpu'];
const ROUND = process.env.BENCH_ROUND_SECONDS ?? '0.5';
const LOAD_AT_START = loadavg();

async function nodeBench() {
  const file = await buildNodeEntry('bench/fused-node.ts', 'fused-node', { alias: BENCH_ALIAS });
  return runNodeJson(file, { env: { BENCH_ROUND_SECONDS: ROUND }, what: 'the Node half' });
}

function browserBench() {
  const only = process.env.BENCH_ONLY ? `&only=${process.env.BENCH_ONLY}` : '';
  const extra = process.env.BENCH_PAGE_QUERY ? `&${process.env.BENCH_PAGE_QUERY}` : '';
  return runPageInChromium({
    root: join(ROOT, 'bench/fused-browser'),
    outDir: join(OUT, 'fused-browser'),
    port: 4181,
    alias: BENCH_ALIAS,
    backends: BACKENDS,
    url: (base, backend) => `${base}?backend=${backend}&round=${ROUND}${only}${extra}`,
    global: 'fusedResult',
    onError: (backend, error) => ({ environment: 'chromium', backend, error, rows: [] }),
  });
}

// ---- the report ----

const fmt = (x) => (x === undefined ? '—' : x >= 100 ? Math.round(x).toLocaleString('en-US') : x.toFixed(1));
const ratio = (a, b) =>
  a && b ? `${a / b >= 10 ? Math.round(a / b).toLocaleString('en-US') : (a / b).toFixed(2)}×` : '—';
const mark = (ok) => (ok === undefined ? '' : ok ? '✓' : '✗ missed');
const mid = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/**
 * a ÷ b from rounds measured side by side: the median of the per-round ratios (round r of a against round r of
 * b, which ran next to each other), and their range. Falls back to the ratio of medians without rounds.
 */
function paired(row, a, b) {
  const ra = row.rounds?.[a];
  const rb = row.rounds?.[b];
  const ea = row.examplesPerSecond[a];
  const eb = row.examplesPerSecond[b];
  if (!ra?.length || ra.length !== rb?.length) return { value: ea / eb, text: ratio(ea, eb) };
  const rs = ra.map((x, i) => x / rb[i]);
  const value = mid(rs);
  const f = (x) => (x >= 10 ? Math.round(x).toLocaleString('en-US') : x.toFixed(2));
  return { value, text: `${f(value)}× (rounds ${f(Math.min(...rs))}–${f(Math.max(...rs))})` };
}

/**
 * The fastest hand-written tfjs on `caseId` for the goal "auto never slower than the fastest tfjs backend of the
 * page": in Node the one tfjs backend of the run (sameRun: compare round by round); in Chromium the best over the
 * backend pages measured.
 */
function bestTfjs(results, r, caseId) {
  const HAND = 'tfjs by hand (model.fit)';
  if (r.environment === 'node') {
    const eps = r.rows.find((row) => row.case === caseId)?.examplesPerSecond[HAND];
    return eps ? { eps, backend: r.backend, sameRun: true } : null;
  }
  let best = null;
  for (const p of results) {
    if (p.environment !== 'chromium' || p.error) continue;
    const eps = p.rows.find((row) => row.case === caseId)?.examplesPerSecond[HAND];
    if (eps && (!best || eps > best.eps)) best = { eps, backend: p.backend, sameRun: p === r };
  }
  return best;
}

function report(results) {
  const out = [''];
  out.push(
    `react-nn fused-engine bench — Node ${process.version}, ${availableParallelism()} CPUs, load average ${LOAD_AT_START.map((l) => l.toFixed(1)).join(' ')} at start, ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')} at end (other work on the machine moves every number)`,
  );
  const goals = [];
  for (const r of results) {
    if (r.error) {
      out.push(`\n${r.environment} ${r.backend}: not measured — ${r.error}`);
      continue;
    }
    out.push('');
    out.push(
      `${r.environment === 'node' ? 'Node' : 'Chromium'}, tfjs backend ${r.backend}${r.adapter ? ` (WebGPU adapter ${r.adapter.vendor} ${r.adapter.architecture})` : ''}: examples/s`,
    );
    const names = [...new Set(r.rows.flatMap((row) => Object.keys(row.examplesPerSecond)))];
    out.push(
      table(
        ['case', ...names],
        r.rows.map((row) => [
          row.detail,
          ...names.map((n) => {
            const lt = row.longTaskMs?.[n];
            return `${fmt(row.examplesPerSecond[n])}${lt !== undefined && r.environment === 'chromium' ? ` (${lt} ms)` : ''}`;
          }),
        ]),
      ),
    );
    if (r.environment === 'chromium')
      out.push("  (n ms) = longest main-thread task during that contender's measured rounds (after warm-up)");
    for (const row of r.rows) {
      const e = row.examplesPerSecond;
      const HAND = 'tfjs by hand (model.fit)';
      const NEURON = 'TF Playground nn.ts';
      const hand = e[HAND];
      const neuron = e[NEURON];
      const fusedCpu = e['react-nn fused-cpu']
        ? 'react-nn fused-cpu'
        : row.notes['react-nn auto']?.startsWith('fused-cpu')
          ? 'react-nn auto'
          : undefined;
      const where = `${r.environment} ${r.backend}`;
      const small = row.case.startsWith('playground');
      const cnn = row.case.startsWith('cnn');
      if (small && fusedCpu && neuron) {
        const q = paired(row, fusedCpu, NEURON);
        goals.push([where, row.detail, 'fused-cpu ≥ 3× TF Playground nn.ts', q.text, mark(q.value >= 3)]);
      }
      if (row.case === 'startup-2-4-2-1') {
        const q = paired(row, 'react-nn auto, fresh trainer', 'TF Playground nn.ts, fresh network');
        goals.push([where, row.detail, 'fresh trainer ≥ 2× TF Playground nn.ts', q.text, mark(q.value >= 2)]);
      }
      if (small && r.backend === 'webgpu' && e['react-nn fused-webgpu'] && hand) {
        const q = paired(row, 'react-nn fused-webgpu', HAND);
        goals.push([where, row.detail, 'fused-webgpu ≥ 1,000× tfjs-webgpu by hand', q.text, mark(q.value >= 1000)]);
      }
      if (cnn && fusedCpu && hand && r.backend === 'cpu') {
        const q = paired(row, fusedCpu, HAND);
        goals.push([where, row.detail, 'fused-cpu ≥ 10× tfjs by hand on cpu', q.text, mark(q.value >= 10)]);
      }
      if (cnn && r.backend === 'webgpu' && e['react-nn fused-webgpu'] && hand) {
        const q = paired(row, 'react-nn fused-webgpu', HAND);
        const ran = (row.notes['react-nn fused-webgpu'] ?? '').split(':')[0];
        goals.push([
          where,
          row.detail,
          `fused-webgpu (ran ${ran}) ≥ 10× tfjs-webgpu by hand`,
          q.text,
          // A fallback's speed is another engine's: the goal is not met, nor missed, by fused-webgpu.
          ran === 'fused-webgpu' ? mark(q.value >= 10) : '— fell back',
        ]);
      }
      // "Never slower than the fastest tfjs backend of the page" (auto runs fused-cpu where it is the best choice).
      for (const name of ['react-nn auto']) {
        const best = cnn && e[name] ? bestTfjs(results, r, row.case) : null;
        if (!best) continue;
        const q = best.sameRun
          ? paired(row, name, HAND)
          : { value: e[name] / best.eps, text: `${ratio(e[name], best.eps)} (vs ${best.backend} ${fmt(best.eps)})` };
        const ran = (row.notes[name] ?? '').split(':')[0];
        goals.push([where, row.detail, `${name} (ran ${ran}) ≥ fastest tfjs by hand`, q.text, mark(q.value >= 1)]);
      }
      if (!small && !cnn && hand) {
        for (const name of Object.keys(e)) {
          if (!name.startsWith('react-nn')) continue;
          const q = paired(row, name, HAND);
          goals.push([where, row.detail, `${name} ≥ tfjs by hand`, q.text, mark(q.value >= 1)]);
        }
      }
      if (r.environment === 'chromium') {
        for (const [name, ms] of Object.entries(row.longTaskMs ?? {})) {
          if (!name.startsWith('react-nn') || !(row.notes[name] ?? '').startsWith('fused')) continue;
          goals.push([where, row.detail, `${name}: no main-thread task > 50 ms`, `${ms} ms`, mark(ms <= 50)]);
        }
      }
    }
    for (const row of r.rows) {
      for (const [name, note] of Object.entries(row.notes))
        if (name.startsWith('react-nn') || note.startsWith('not measured')) out.push(`  ${row.case} ${name}: ${note}`);
    }
  }
  if (goals.length) {
    out.push('\nGoals of the fused engines');
    out.push(table(['where', 'case', 'goal', 'measured', ''], goals));
  }
  console.log(out.join('\n'));
}

const results = [];
if (!args.has('--browser-only')) {
  try {
    results.push(await nodeBench());
  } catch (e) {
    console.error(`[bench] Node half failed: ${e.message}`);
  }
}
if (!args.has('--node-only')) {
  if (existsSync('/usr/bin/chromium')) results.push(...(await browserBench()));
  else console.error('[bench] no /usr/bin/chromium (apt-get install -y chromium): Chromium not measured');
}
report(results);
mkdirSync(OUT, { recursive: true });
writeFileSync(join(OUT, 'fused-results.json'), `${JSON.stringify(results, null, 2)}\n`);
console.log(`\nAll numbers: ${join(OUT, 'fused-results.json')}`);
