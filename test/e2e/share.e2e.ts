import type { Page } from 'playwright';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type DocsSession, startDocs } from './docsServer';
import { typeCode } from './editor';

// The Share button of the docs' live examples: the link it makes opens the same network (the
// edited code, rebuilt), the same learning rate and the same weights, in a fresh page. The example
// does not start training by itself, so sharing the opened page again must give the same link.

const WAIT = { timeout: 180_000 };
const EXAMPLE = '[data-example="first-model"]';

let docs: DocsSession;
const pages: Page[] = [];
const pageErrors: string[] = [];

beforeAll(async () => {
  docs = await startDocs();
});
afterAll(async () => {
  await docs?.close();
});
afterEach(async () => {
  expect(pageErrors).toEqual([]);
  for (const p of pages.splice(0)) await p.close();
});

async function open(url: string): Promise<Page> {
  const page = await docs.browser.newPage({ viewport: { width: 1280, height: 900 } });
  pages.push(page);
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await page.goto(url);
  await page.locator(EXAMPLE).waitFor(WAIT);
  return page;
}

/** Waits for a read-out (`<output data-testid data-value>`) of the example to equal `value`. */
async function waitForValue(page: Page, testId: string, value: number) {
  await page.waitForFunction(
    ({ selector, value }) => Number(document.querySelector<HTMLElement>(selector)?.dataset.value) === value,
    { selector: `${EXAMPLE} [data-testid="${testId}"]`, value },
    WAIT,
  );
}

describe('Share links on the docs site', () => {
  it('open the shared network, learning rate and weights', async () => {
    const page = await open(`${docs.url}#/getting-started`);
    const code = '<Sequential><Linear outFeatures={5} /><Tanh /><Linear outFeatures={1} /><Sigmoid /></Sequential>';
    await typeCode(page, EXAMPLE, code);
    // 2→5→1: (2·5 + 5) + (5·1 + 1) = 21 parameters.
    await waitForValue(page, 'params', 21);
    await page.locator(`${EXAMPLE} select[id$="lr"]`).selectOption('0.3');
    // Train a few steps, so the weights are no longer what the seed gives and only the link can carry them.
    const step = page.locator(`${EXAMPLE} button`, { hasText: 'Step' });
    for (let i = 0; i < 3; i++) {
      await step.click();
      await page.waitForFunction(
        (sel) =>
          [...document.querySelectorAll<HTMLButtonElement>(sel)].some(
            (b) => b.textContent?.includes('Step') && !b.disabled,
          ),
        `${EXAMPLE} button`,
        WAIT,
      );
    }
    await page.waitForFunction(
      (sel) => document.querySelector(sel)?.textContent !== 'running',
      `${EXAMPLE} [data-testid="status"]`,
      WAIT,
    );

    await page.locator(`${EXAMPLE} button`, { hasText: 'Share' }).click();
    const link = page.locator(`${EXAMPLE} [data-testid="share-link"]`);
    await link.waitFor(WAIT);
    const url = await link.inputValue();
    expect(url).toMatch(/#\/getting-started\?share=rnn1\.[A-Za-z0-9_-]+$/);
    // The address bar shows the link too, and the page stayed where it was.
    expect(page.url()).toBe(url);
    expect(await page.locator('main h1').textContent()).toMatch(/Getting started/);

    const shared = await open(url);
    expect((await shared.locator(`${EXAMPLE} .live-editor pre`).textContent())?.trim()).toBe(code);
    await waitForValue(shared, 'params', 21);
    expect(await shared.locator(`${EXAMPLE} select[id$="lr"]`).inputValue()).toBe('0.3');
    // Shared again at once, the new page gives the very same link: same code, learning rate and weights, bit for bit.
    await shared.locator(`${EXAMPLE} button`, { hasText: 'Share' }).click();
    const again = shared.locator(`${EXAMPLE} [data-testid="share-link"]`);
    await again.waitFor(WAIT);
    expect(await again.inputValue()).toBe(url);
    // A damaged link opens the example as written, without an error on the page.
    const damaged = await open(url.slice(0, -8));
    await waitForValue(damaged, 'params', 33);
  });
});
