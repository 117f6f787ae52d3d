// What every bench runner (scripts/bench.mjs, bench/fused.mjs, bench/viz-longtasks.mjs) does the same way:
// Vite-build a TypeScript entry into bench/dist/ (Node 20 cannot run .ts, and the bench imports src/ directly),
// then either run it in a fresh `node` and read the one JSON line it prints, or serve the built page with
// `vite preview` and open it in Debian's Chromium through Playwright, reading the promise it leaves on `window`.
// One copy, so a fix (a Chromium flag, the React production build, how a failed page is reported) reaches all three.
import { spawn } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, preview } from 'vite';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/** Where the bench builds go and where the results land (git-ignored). */
export const OUT = join(ROOT, 'bench/dist');

// WebGPU on SwiftShader, as in scripts/test.sh. Set on import, not at launch: Chromium reads these, and so does
// Dawn (the `webgpu` package) in the Node children the runners spawn, which inherit this environment.
process.env.VK_ICD_FILENAMES ??= '/usr/lib/chromium/vk_swiftshader_icd.json';
process.env.XDG_RUNTIME_DIR ??= '/tmp';

/** Module names the bench builds map to files: TF Playground's own network code, vendored (bench/tf-playground/). */
export const BENCH_ALIAS = { 'tf-playground-nn': join(ROOT, 'bench/tf-playground/nn.ts') };

/** No vite.config.ts, .env or public/: the bench builds exactly what it names, quietly. */
const quiet = { configFile: false, root: ROOT, logLevel: 'warn', envDir: false, publicDir: false };

/**
 * Builds `entry` (relative to the repo) as an SSR bundle — packages stay imports, resolved from node_modules at
 * run time — into bench/dist/<outName>/; resolves with the path of the built .mjs. `alias` as for the pages.
 */
export async function buildNodeEntry(entry, outName, { alias } = {}) {
  await build({
    ...quiet,
    ...(alias ? { resolve: { alias } } : {}),
    build: {
      ssr: entry,
      outDir: join(OUT, outName),
      emptyOutDir: true,
      target: 'node20',
      minify: false,
      rolldownOptions: { output: { entryFileNames: '[name].mjs' } },
    },
  });
  const name = entry
    .split('/')
    .at(-1)
    .replace(/\.[^.]+$/, '');
  return join(OUT, outName, `${name}.mjs`);
}

/**
 * Runs a built Node bench in a fresh `node` with React's production build (NODE_ENV=production, as deployed),
 * its progress on our stderr; resolves with the last line it printed, parsed as JSON. `what` names it in the error.
 */
export async function runNodeJson(file, { env = {}, what = 'the Node bench' } = {}) {
  const child = spawn(process.execPath, [file], {
    cwd: ROOT,
    env: { ...process.env, NODE_ENV: 'production', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let stdout = '';
  child.stdout.on('data', (d) => {
    stdout += d;
  });
  const code = await new Promise((r) => child.on('close', r));
  if (code !== 0) throw new Error(`${what} exited with ${code}`);
  return JSON.parse(stdout.trim().split('\n').at(-1));
}

/**
 * Builds the page `root`/index.html (or `input`) with Vite — React's production build — into `outDir`, serves it
 * with `vite preview` on 127.0.0.1 (`port`, or the next free one) and opens `url(base, backend)` in Debian's
 * Chromium once per backend, one after another so each run owns the machine. Resolves with, per backend, what the
 * promise the page leaves on `window[global]` resolved to (no timeout: a bench takes minutes), or
 * `onError(backend, firstLineOfMessage)` when the page failed. Page errors go to stderr; with `progress`, so do
 * the page's `[bench]` lines and each failure. `alias` maps module names for the build (Vite's resolve.alias).
 */
export async function runPageInChromium({
  root,
  outDir,
  port,
  input,
  backends,
  url,
  global,
  onError,
  progress = true,
  viewport,
  alias,
}) {
  await build({
    ...quiet,
    root,
    base: './',
    ...(alias ? { resolve: { alias } } : {}),
    define: { 'process.env.NODE_ENV': JSON.stringify('production') },
    build: {
      outDir,
      emptyOutDir: true,
      target: 'es2022',
      chunkSizeWarningLimit: 100_000,
      ...(input ? { rolldownOptions: { input } } : {}),
    },
  });
  const server = await preview({
    ...quiet,
    root,
    build: { outDir },
    preview: { host: '127.0.0.1', port, strictPort: false, open: false },
  });
  try {
    const base = server.resolvedUrls?.local[0];
    if (!base) throw new Error('vite preview did not say where it listens');
    return await withChromium(async (browser) => {
      const results = [];
      for (const backend of backends) {
        const page = await browser.newPage(viewport ? { viewport } : undefined);
        if (progress) {
          page.on('console', (m) => {
            if (m.text().startsWith('[bench]')) console.error(m.text());
          });
        }
        page.on('pageerror', (e) => console.error(`[page] ${e.message}`));
        await page.goto(url(base, backend));
        try {
          results.push(await page.evaluate((name) => window[name], global, { timeout: 0 }));
        } catch (e) {
          if (progress) console.error(`[bench] ${backend} failed: ${e.message}`);
          results.push(onError(backend, e.message.split('\n')[0]));
        }
        await page.close();
      }
      return results;
    });
  } finally {
    await new Promise((r) => server.httpServer.close(r));
  }
}

/**
 * Launches Debian's Chromium headless with WebGPU on SwiftShader, calls `use(browser)`, and closes it whatever
 * happens. Sandboxing is off: the bench runs as root in a container.
 */
async function withChromium(use) {
  const { chromium } = await import('playwright');
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--enable-unsafe-webgpu', '--use-webgpu-adapter=swiftshader', '--no-sandbox'],
  });
  try {
    return await use(browser);
  } finally {
    await browser.close();
  }
}

/** A plain-text table for the reports: columns padded to their widest cell, a rule under the header. */
export function table(headers, rows) {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells) => `  ${cells.map((c, i) => String(c).padEnd(widths[i])).join('  ')}`.trimEnd();
  return [line(headers), line(widths.map((w) => '─'.repeat(w))), ...rows.map(line)].join('\n');
}
