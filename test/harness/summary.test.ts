// scripts/summarize.mjs turns Vitest JSON reports and step exit codes into `npm test`'s last line.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const SCRIPT = resolve(import.meta.dirname, '../../scripts/summarize.mjs');
const dir = mkdtempSync(join(tmpdir(), 'react-nn-summary-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function report(name: string, testResults: unknown[]): string {
  const file = join(dir, name);
  writeFileSync(file, JSON.stringify({ numTotalTests: 0, success: true, testResults }));
  return file;
}

const test = (status: string) => ({ status, title: status, fullName: status, failureMessages: [] });

function run(...args: string[]) {
  const r = spawnSync(process.execPath, [SCRIPT, ...args], { encoding: 'utf8' });
  const lines = r.stdout.trimEnd().split('\n');
  return { status: r.status, last: lines[lines.length - 1], out: r.stdout };
}

describe('scripts/summarize.mjs', () => {
  const green = report('green.json', [
    { name: '/a.test.ts', status: 'passed', message: '', assertionResults: [test('passed'), test('passed')] },
    { name: '/b.test.ts', status: 'passed', message: '', assertionResults: [test('passed'), test('skipped')] },
  ]);
  const red = report('red.json', [
    { name: '/c.test.ts', status: 'failed', message: '', assertionResults: [test('passed'), test('failed')] },
    // a file that failed to import: no tests, counted as one failure
    { name: '/d.test.ts', status: 'failed', message: 'Failed to load ./nope', assertionResults: [] },
  ]);

  it('sums passing reports and checks', () => {
    const r = run('--check', 'typecheck=0', '--check', 'lint=0', '--vitest', `node=${green}:0`);
    expect(r.last).toBe('5 passed, 0 failed');
    expect(r.status).toBe(0);
    expect(r.out).toContain('1 skipped');
  });

  it('counts failing tests, failed files and failed checks', () => {
    const r = run('--check', 'typecheck=2', '--vitest', `node=${green}:0`, '--vitest', `browser=${red}:1`);
    expect(r.last).toBe('4 passed, 3 failed');
    expect(r.status).toBe(1);
    expect(r.out).toContain('Failed to load ./nope');
  });

  it('counts a missing report (Vitest crashed) as a failure, never as 0 failed', () => {
    const r = run('--check', 'lint=0', '--vitest', `browser=${join(dir, 'missing.json')}:1`);
    expect(r.last).toBe('1 passed, 1 failed');
    expect(r.status).toBe(1);
  });

  it('counts an unreadable report as a failure', () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{"testResults": [');
    expect(run('--vitest', `node=${bad}:0`).last).toBe('0 passed, 1 failed');
  });

  it('counts a non-zero Vitest exit with an all-green report as a failure', () => {
    const r = run('--vitest', `node=${green}:1`);
    expect(r.last).toBe('3 passed, 1 failed');
    expect(r.status).toBe(1);
  });

  it('lists the projects of a `vitest list --json` file', () => {
    const list = join(dir, 'list.json');
    writeFileSync(
      list,
      JSON.stringify([
        { file: '/x.test.ts', projectName: 'node' },
        { file: '/y.browser.test.ts', projectName: 'browser (chromium)' },
        { file: '/z.test.ts', projectName: 'node' },
      ]),
    );
    const r = spawnSync(process.execPath, [SCRIPT, '--projects', list], { encoding: 'utf8' });
    expect(r.stdout).toBe('node\nbrowser (chromium)\n');
  });
});
