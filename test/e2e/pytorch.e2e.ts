// The PyTorch guide end to end: train in the page, click Export, and run the downloaded files with
// real PyTorch (/usr/bin/python3) — model.py loads the page's weights and gives the page's predictions.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import type { Page } from 'playwright';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DocsSession, startDocs } from './docsServer';

const WAIT = { timeout: 180_000 };
const EXAMPLE = '[data-example="pytorch-hand-off"]';

let docs: DocsSession;
let page: Page;
const dir = mkdtempSync(join(tmpdir(), 'react-nn-guide-'));

beforeAll(async () => {
  docs = await startDocs();
});

afterAll(async () => {
  await page?.close();
  await docs?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('From react-nn to PyTorch and back (docs guide)', () => {
  it('trains in the page, downloads the PyTorch files, and PyTorch loads and runs them', async () => {
    page = await docs.browser.newPage({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${docs.url}#/guides/pytorch`);
    const example = page.locator(EXAMPLE);
    await example.waitFor(WAIT);
    await example.getByRole('button', { name: 'Train', exact: true }).click(WAIT);
    await page.waitForFunction(
      (selector) =>
        Number(document.querySelector<HTMLElement>(`${selector} [data-testid="epoch"]`)?.dataset.value) >= 3,
      EXAMPLE,
      WAIT,
    );
    const [download] = await Promise.all([
      page.waitForEvent('download', WAIT),
      example.getByRole('button', { name: 'Export for PyTorch (zip)' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('react-nn-moons.zip');
    const zipPath = join(dir, 'export.zip');
    await download.saveAs(zipPath);
    const files = unzipSync(new Uint8Array(readFileSync(zipPath)));
    expect(Object.keys(files).sort()).toEqual([
      'README.md',
      'data.safetensors',
      'model.py',
      'train.py',
      'weights.safetensors',
    ]);
    for (const [name, bytes] of Object.entries(files)) writeFileSync(join(dir, name), bytes);
    // PyTorch loads the model with the page's weights (strict) and runs it; train.py runs one epoch.
    const out = execFileSync(
      '/usr/bin/python3',
      ['-c', 'from model import load; import torch; print(load()(torch.zeros(1, 2)).shape)'],
      { cwd: dir, encoding: 'utf8', timeout: 120_000 },
    );
    expect(out.trim()).toBe('torch.Size([1, 1])');
    const trained = execFileSync('/usr/bin/python3', ['train.py', '--epochs', '1'], {
      cwd: dir,
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(JSON.parse(trained.trim())).toHaveProperty('val_accuracy');
    expect(errors).toEqual([]);
  });
});
