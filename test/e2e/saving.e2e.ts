import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type DocsSession, startDocs } from './docsServer';

// The "Saving, resuming and sharing" guide in Chromium: a reload brings the autosaved weights back
// (checked through the Share link, which carries the weights of a model this small) and training
// goes on where it stopped — the same epoch, step and history, and the next step gives the weights
// an uninterrupted run has after it; the .rnn download is a real browser download that opens again
// through the file input.

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
  // A cold dev server on a loaded machine can take longer than the default 30 s to serve the page.
  await page.goto(`${docs.url}#/guides/saving`, WAIT);
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

/** Epoch, step and last loss as the example shows them. */
async function readout(): Promise<{ epoch: number; step: number; loss: string }> {
  return page.evaluate((ex) => {
    const value = (id: string) => document.querySelector<HTMLElement>(`${ex} [data-testid="${id}"]`)?.dataset.value;
    const counter = [...document.querySelectorAll(`${ex} .rnn-counter`)].find((el) =>
      el.textContent?.startsWith('Step '),
    );
    return {
      epoch: Number(value('epoch')),
      step: Number(counter?.textContent?.slice(5).replace(/[^0-9]/g, '')),
      loss: value('loss') ?? '',
    };
  }, EXAMPLE);
}

/** Clicks Step `n` times, each time waiting for the step counter to move on from `from`. */
async function steps(n: number, from = 0) {
  for (let i = from + 1; i <= from + n; i++) {
    await button('Step').click();
    await page
      .waitForFunction(
        ({ ex, want }) =>
          [...document.querySelectorAll(`${ex} .rnn-counter`)].some((el) => el.textContent === `Step ${want}`),
        { ex: EXAMPLE, want: i },
        WAIT,
      )
      .catch(async (e) => {
        throw new Error(`waited for step ${i}; the example shows ${await state()}`, { cause: e });
      });
  }
}

/** Waits until the autosave has stored the state after step `step`. */
async function savedAtStep(step: number) {
  await page
    .waitForFunction(
      ({ ex, want }) =>
        document.querySelector<HTMLElement>(`${ex} [data-testid="autosaved"]`)?.dataset.step === String(want),
      { ex: EXAMPLE, want: step },
      WAIT,
    )
    .catch(async (e) => {
      throw new Error(`waited for the save after step ${step}; the example shows ${await state()}`, { cause: e });
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
    const at = await readout();

    // A reload: same browser profile (IndexedDB kept), a fresh page without the share fragment.
    await page.goto(`${docs.url}#/guides/saving`, WAIT);
    await page.reload(WAIT);
    await page.locator(EXAMPLE).waitFor(WAIT);
    await waitForText(
      'restored',
      new RegExp(`Restored from this browser .*training goes on from epoch ${at.epoch}\\)`),
    );
    expect(await shareLink()).toBe(trained);
    // The trainer resumed the run: its epoch, step and loss history, not a fresh start.
    expect(await readout()).toEqual(at);
  });

  it('after a reload the next step continues the run exactly, and training goes on from the saved epoch', async () => {
    // Reference: an uninterrupted run of 4 steps in a fresh profile.
    await open();
    await waitForText('restored', /Nothing saved in this browser yet/);
    await steps(4);
    const straight = await shareLink();
    await page.close();

    // 3 steps (mid-epoch: 800 rows, batch 32), saved on the pause each step ends in; reload; 1 more.
    await open();
    await waitForText('restored', /Nothing saved in this browser yet/);
    await steps(3);
    await savedAtStep(3);
    const before = await readout();
    expect(before.step).toBe(3);
    await page.reload(WAIT);
    await page.locator(EXAMPLE).waitFor(WAIT);
    await waitForText('restored', /Restored from this browser .*training goes on from epoch 0\)/);
    expect(await readout()).toEqual(before);
    await steps(1, 3);
    expect((await readout()).step).toBe(4);
    expect(await shareLink()).toBe(straight);

    // Train goes on from there to later epochs (stepping left the trainer paused: its button says Resume).
    await page
      .locator(`${EXAMPLE} button`, { hasText: /^(Train|Resume)$/ })
      .first()
      .click();
    await page
      .waitForFunction(
        (ex) => Number(document.querySelector<HTMLElement>(`${ex} [data-testid="epoch"]`)?.dataset.value) >= 2,
        EXAMPLE,
        WAIT,
      )
      .catch(async (e) => {
        throw new Error(`waited for epoch 2; the example shows ${await state()}`, { cause: e });
      });
    const later = await readout();
    expect(later.epoch).toBeGreaterThanOrEqual(2);
    expect(later.step).toBeGreaterThan(4);
    expect(await text('status')).not.toBe('error');
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
