#!/usr/bin/env node
// Sums up one `npm test` run (scripts/test.sh) into its last line, `N passed, N failed`.
//
//   node scripts/summarize.mjs --check typecheck=0 --check lint=1 \
//     --vitest node=.vitest-results/node.json:0 --vitest browser=.vitest-results/browser.json:1
//
//   --check NAME=EXIT            one step that counts as one test: passed when EXIT is 0
//   --vitest NAME=FILE[:EXIT]    a Vitest JSON report (--reporter=json) and the exit code of that Vitest run
//
// A Vitest report that is missing or unreadable (Vitest crashed) counts as one failure, never as 0 failed;
// so does a test file that failed without a failing test (an import error, a failing beforeAll), and a
// non-zero Vitest exit that the report does not explain (an unhandled error, no test files).
// Prints one line per item, then the total as the very last line; exits 1 if anything failed.
//
//   node scripts/summarize.mjs --projects FILE   prints the project names in a `vitest list --json` file

import { existsSync, readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

/**
 * Reads a Vitest JSON report.
 * @param {string} file
 * @returns {{ ok: true, passed: number, failed: number, skipped: number, notes: string[] } | { ok: false, error: string }}
 */
export function readVitestJson(file) {
  if (!existsSync(file)) return { ok: false, error: `no report at ${file} (did Vitest crash?)` };
  let report;
  try {
    report = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    return { ok: false, error: `unreadable report ${file}: ${e instanceof Error ? e.message : e}` };
  }
  if (!report || typeof report !== 'object' || !Array.isArray(report.testResults)) {
    return { ok: false, error: `${file} is not a Vitest JSON report` };
  }
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  const notes = [];
  for (const mod of report.testResults) {
    const tests = Array.isArray(mod.assertionResults) ? mod.assertionResults : [];
    let failedHere = 0;
    for (const t of tests) {
      if (t.status === 'passed') passed++;
      else if (t.status === 'failed') failedHere++;
      else skipped++;
    }
    failed += failedHere;
    if (mod.status === 'failed' && failedHere === 0) {
      // The file itself failed (import error, failing hook) without any test failing: one failure.
      failed++;
      notes.push(`${mod.name}: ${String(mod.message || 'failed').split('\n')[0]}`);
    }
  }
  return { ok: true, passed, failed, skipped, notes };
}

/**
 * @param {{ checks?: { name: string, exit: number }[], vitest?: { name: string, file: string, exit?: number }[] }} input
 * @returns {{ passed: number, failed: number, lines: string[] }}
 */
export function summarize({ checks = [], vitest = [] }) {
  let passed = 0;
  let failed = 0;
  const lines = [];
  for (const c of checks) {
    if (c.exit === 0) passed++;
    else failed++;
    lines.push(`${c.name}: ${c.exit === 0 ? 'passed' : `FAILED (exit ${c.exit})`}`);
  }
  for (const v of vitest) {
    const r = readVitestJson(v.file);
    if (!r.ok) {
      failed++;
      lines.push(`vitest ${v.name}: FAILED, ${r.error}${v.exit ? ` (exit ${v.exit})` : ''}`);
      continue;
    }
    let f = r.failed;
    const notes = [...r.notes];
    if (v.exit !== undefined && v.exit !== 0 && f === 0) {
      f = 1;
      notes.push(`Vitest exited ${v.exit} although no test failed (unhandled error, or no test files?)`);
    }
    passed += r.passed;
    failed += f;
    lines.push(`vitest ${v.name}: ${r.passed} passed, ${f} failed${r.skipped ? `, ${r.skipped} skipped` : ''}`);
    for (const n of notes) lines.push(`  ${n}`);
  }
  return { passed, failed, lines };
}

/** Unique project names, in order, from the output of `vitest list --filesOnly --json=FILE`. */
export function listProjects(file) {
  const list = JSON.parse(readFileSync(file, 'utf8'));
  return [...new Set(list.map((e) => e.projectName).filter(Boolean))];
}

/** @param {string[]} argv */
export function parseArgs(argv) {
  const checks = [];
  const vitest = [];
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv[++i];
    if (value === undefined) throw new Error(`${flag} needs a value`);
    const eq = value.indexOf('=');
    if (eq < 1) throw new Error(`${flag} ${value}: expected NAME=...`);
    const name = value.slice(0, eq);
    const rest = value.slice(eq + 1);
    if (flag === '--check') {
      checks.push({ name, exit: Number(rest) });
    } else if (flag === '--vitest') {
      const m = /^(.*?)(?::(-?\d+))?$/.exec(rest);
      vitest.push({ name, file: m[1], exit: m[2] === undefined ? undefined : Number(m[2]) });
    } else {
      throw new Error(`unknown option ${flag}`);
    }
  }
  return { checks, vitest };
}

function main() {
  const argv = process.argv.slice(2);
  if (argv[0] === '--projects') {
    for (const p of listProjects(argv[1])) console.log(p);
    return;
  }
  let input;
  try {
    input = parseArgs(argv);
  } catch (e) {
    console.error(`summarize: ${e instanceof Error ? e.message : e}`);
    console.log('0 passed, 1 failed');
    process.exit(2);
  }
  const { passed, failed, lines } = summarize(input);
  console.log('');
  console.log('Summary');
  for (const l of lines) console.log(`  ${l}`);
  console.log(`${passed} passed, ${failed} failed`);
  process.exitCode = failed > 0 ? 1 : 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();
