import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type DocsSession, startDocs } from './docsServer';

// The "Saving, resuming and sharing" guide in Chromium: a reload brings the autosaved weights back
// (checked through the Share link, which carries the weights of a model this small), and the
// .rnn download is a real browser download that opens again through the file input.

const WAIT = { timeout: 180_000 };
const EXAMPLE = '[data-example="saving"]';

let docs: DocsSession;
let page: Page;
const pageErrors: string[] = [];

beforeAll(async () => {
  docs = await startDocs();
});
afterAll(async () => {
  await docs?.close();
});
afterEach(async () => {
  expect(pageErrors).toEqual([]);
  await page?.close();
});

async function open(): Promise<Page> {
  page = await docs.browser.newPage({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await page.goto(`${docs.url}#/guides/saving`);
  await page.locator(EXAMPLE).waitFor(WAIT);
  return page;
}

const text = (testId: string) => page.locator(`${EXAMPLE} [data-testid="${testId}"]`).textContent();
const button = (name: string) => page.locator(`${EXAMPLE} button`, { hasText: name }).first();

/** What the example shows, for failure messages. */
async function state(): Promise<string> {
  return page.evaluate((ex) => {
    const read = (id: string) => {
      const el = document.querySelector<HTMLElement>(`${ex} [data-testid="${id}"]`);
      return `${id}=${JSON.stringify(el?.textContent)}${el?.dataset.epoch !== undefined ? `(epoch ${el.dataset.epoch})` : ''}`;
    };
    return ['status', 'epoch', 'restored', 'autosaved', 'checkpoint-message', 'error'].map(read).join(' ');
  }, EXAMPLE);
}

async function waitForText(testId: string, pattern: RegExp) {
  await page
    .waitForFunction(
      ({ selector, source }) => new RegExp(source).test(document.querySelector(selector)?.textContent ?? ''),
      { selector: `${EXAMPLE} [data-testid="${testId}"]`, source: pattern.source },
      WAIT,
    )
    .catch(async (e) => {
      throw new Error(`waited for ${testId} ~ ${pattern}; the example shows ${await state()}`, { cause: e });
    });
}

/** The link the Share button makes now (its fragment holds the code, learning rate and weights). */
async function shareLink(): Promise<string> {
  await button('Share').click();
  const input = page.locator(`${EXAMPLE} [data-testid="share-link"]`);
  await input.waitFor(WAIT);
  const link = await input.inputValue();
  return link.slice(link.indexOf('?share='));
}

describe('Saving guide', () => {
  it('autosaves while training; after a reload the model has the saved weights', async () => {
    await open();
    await waitForText('restored', /Nothing saved in this browser yet/);
    await button('Train').click();
    await waitForText('autosaved', /Autosaved at epoch/);
    // Training may have finished all its epochs already (a fast engine): then the end was saved, as a pause is.
    await page
      .locator(`${EXAMPLE} button`, { hasText: /^(Pause|Train)$/ })
      .first()
      .waitFor(WAIT);
    if ((await text('status')) === 'running') await button('Pause').click();
    await waitForText('status', /^(paused|done)$/);
    // The save on pause has landed once the autosave line shows the paused epoch.
    await page
      .waitForFunction(
        (ex) =>
          document.querySelector<HTMLElement>(`${ex} [data-testid="autosaved"]`)?.dataset.epoch ===
          document.querySelector<HTMLElement>(`${ex} [data-testid="epoch"]`)?.dataset.value,
        EXAMPLE,
        WAIT,
      )
      .catch(async (e) => {
        throw new Error(`waited for the save on pause; the example shows ${await state()}`, { cause: e });
      });
    const trained = await shareLink();

    // A reload: same browser profile (IndexedDB kept), a fresh page without the share fragment.
    await page.goto(`${docs.url}#/guides/saving`);
    await page.reload();
    await page.locator(EXAMPLE).waitFor(WAIT);
    await waitForText('restored', /Restored from this browser/);
    expect(await shareLink()).toBe(trained);
  });

  it('downloads a .rnn file that opens again', async () => {
    await open();
    const dir = await mkdtemp(join(tmpdir(), 'rnn-e2e-'));
    try {
      const [download] = await Promise.all([page.waitForEvent('download', WAIT), button('Download .rnn').click()]);
      expect(download.suggestedFilename()).toBe('moons.rnn');
      const path = join(dir, 'moons.rnn');
      await download.saveAs(path);
      const bytes = await readFile(path);
      // A zip (PK\x03\x04) holding the checkpoint's files.
      expect([...bytes.subarray(0, 4)]).toEqual([0x50, 0x4b, 0x03, 0x04]);
      expect(bytes.includes(Buffer.from('weights.safetensors'))).toBe(true);
      await page.locator(`${EXAMPLE} input[type="file"]`).setInputFiles(path);
      await waitForText('checkpoint-message', /Loaded moons\.rnn: 337 parameters/);
      expect(await text('checkpoint-message')).toContain('337');
    } finally {
      await rm(dir, { recursive: true });
    }
  });
});
