import type { Page } from 'playwright';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type DocsSession, startDocs } from './docsServer';
import { typeCode as typeEditor } from './editor';

// End-to-end: the docs site in Chromium, through its live examples. No timing asserts: every
// wait is for a condition, with a generous timeout (training runs on SwiftShader WebGL here).

// The machine may be busy (2 cores shared with other work): waits are long, and a timeout says what the page showed.
const WAIT = { timeout: 180_000 };
const HOME = '[data-example="home-moons"]';

let docs: DocsSession;
let page: Page;
let pageErrors: string[];
let offline: string[];

beforeAll(async () => {
  docs = await startDocs();
});

afterAll(async () => {
  await docs?.close();
});

async function openHome(): Promise<Page> {
  await openPage('');
  await page.locator(HOME).waitFor(WAIT);
  return page;
}

async function openPage(hash: string): Promise<Page> {
  page = await docs.browser.newPage({ viewport: { width: 1280, height: 900 } });
  pageErrors = [];
  offline = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  page.on('request', (r) => {
    if (!/^(http:\/\/127\.0\.0\.1[:/]|blob:|data:)/.test(r.url())) offline.push(r.url());
  });
  await page.goto(`${docs.url}${hash}`);
  return page;
}

afterEach(async () => {
  // Whatever a test did, the page never threw and never reached outside this machine.
  expect(pageErrors).toEqual([]);
  expect(offline).toEqual([]);
  await page?.close();
});

/** A numeric read-out of the home example (`<output data-testid=… data-value=…>`). */
function readout(testId: string): Promise<number> {
  return page
    .locator(`${HOME} [data-testid="${testId}"]`)
    .getAttribute('data-value')
    .then((v) => (v === null || v === '' ? Number.NaN : Number(v)));
}

/** Waits until the read-out satisfies `test` (a function body over `v` and `arg`, run in the page). */
async function waitForReadout(testId: string, test: string, arg: number | null = null) {
  try {
    await page.waitForFunction(
      ({ selector, test, arg }) => {
        const raw = document.querySelector<HTMLElement>(selector)?.dataset.value;
        if (raw === undefined || raw === '') return false;
        return new Function('v', 'arg', `return ${test};`)(Number(raw), arg);
      },
      { selector: `${HOME} [data-testid="${testId}"]`, test, arg },
      WAIT,
    );
  } catch (e) {
    throw new Error(`${testId}: waited for ${test} (arg ${arg}); the example shows ${await describeExample()}`, {
      cause: e,
    });
  }
}

/** What the home example shows, for failure messages: read-outs, the code, the error box. */
async function describeExample(): Promise<string> {
  return page
    .evaluate((selector) => {
      const root = document.querySelector(selector);
      if (!root) return 'nothing (no example on the page)';
      const outputs = [...root.querySelectorAll<HTMLElement>('output')].map(
        (o) => `${o.dataset.testid}=${o.dataset.value ?? o.textContent}`,
      );
      const code = root.querySelector('.live-editor pre')?.textContent;
      const error = root.querySelector('[data-testid="error"]')?.textContent;
      return `${outputs.join(' ')}; code ${JSON.stringify(code)}; error ${JSON.stringify(error)}`;
    }, HOME)
    .catch((e) => `nothing readable (${e})`);
}

/** Replaces the home example's code (see editor.ts). */
const typeCode = (code: string) => typeEditor(page, HOME, code);

const layers = (hidden: string) =>
  `<Sequential><Linear outFeatures={${hidden}} /><ReLU /><Linear outFeatures={1} /><Sigmoid /></Sequential>`;

describe('docs site', () => {
  it('trains on the home page: training starts and the loss falls', async () => {
    await openHome();
    await waitForReadout('epoch', 'v >= 2');
    expect(await page.locator(`${HOME} [data-testid="status"]`).textContent()).toBe('running');
    const first = await readout('loss');
    expect(Number.isFinite(first)).toBe(true);
    await waitForReadout('loss', 'v < arg', first);
    expect(await readout('loss')).toBeLessThan(first);
  });

  it('rebuilds the model when the code is edited, without reloading the page', async () => {
    await openHome();
    await waitForReadout('epoch', 'v >= 1');
    // 2→8→1: (2·8 + 8) + (8·1 + 1) = 33 parameters.
    await waitForReadout('params', 'v === 33');
    await page.evaluate(() => {
      (window as unknown as { __marker: string }).__marker = 'before the edit';
    });

    await typeCode(layers('16'));

    // 2→16→1: (2·16 + 16) + (16·1 + 1) = 65 parameters.
    await waitForReadout('params', 'v === 65');
    expect(await page.evaluate(() => (window as unknown as { __marker?: string }).__marker)).toBe('before the edit');
    // The same trainer goes on with the rebuilt model.
    const epoch = await readout('epoch');
    await waitForReadout('epoch', 'v > arg', epoch);
    expect(await page.locator(`${HOME} [data-testid="status"]`).textContent()).toBe('running');
    expect(await page.locator(`${HOME} [data-testid="error"]`).textContent()).toBe('');
  });

  it('shows an invalid prop inline with its layer path, and resumes once fixed', async () => {
    await openHome();
    await waitForReadout('epoch', 'v >= 1');

    await typeCode(layers('-1'));

    const path = page.locator(`${HOME} [data-testid="error-path"]`);
    await path.waitFor(WAIT).catch(async (e) => {
      throw new Error(`no inline error; the example shows ${await describeExample()}`, { cause: e });
    });
    expect(await path.textContent()).toContain('Linear[0]');
    const message = (await page.locator(`${HOME} [data-testid="error"]`).textContent()) ?? '';
    expect(message).toMatch(/outFeatures/);
    expect(message).toMatch(/-1/);

    await typeCode(layers('12'));

    await path.waitFor({ state: 'detached', ...WAIT }).catch(async (e) => {
      throw new Error(`the error stayed; the example shows ${await describeExample()}`, { cause: e });
    });
    // 2→12→1: (2·12 + 12) + (12·1 + 1) = 49 parameters: the fixed model was built…
    await waitForReadout('params', 'v === 49');
    // …and is training: the loss read-out moves on.
    const loss = await readout('loss');
    const epoch = await readout('epoch');
    await waitForReadout('epoch', 'v > arg', epoch);
    await waitForReadout('loss', 'v !== arg', loss);
    expect(await page.locator(`${HOME} [data-testid="status"]`).textContent()).toBe('running');
  });

  it('renders every page from the sidebar, and the API reference from the types', async () => {
    await openPage('#/getting-started');
    const links = await page
      .locator('nav[aria-label="Documentation"] a')
      .evaluateAll((as) => as.map((a) => a.getAttribute('href') ?? ''));
    // Home, getting started, concepts, nine guides (the last: Guarantees) and the API reference.
    expect(links.length).toBeGreaterThanOrEqual(13);
    expect(links).toContain('#/guides/guarantees');
    for (const link of links) {
      await page.locator(`nav[aria-label="Documentation"] a[href="${link}"]`).click();
      await page.locator(`a[href="${link}"][aria-current="page"]`).waitFor(WAIT);
      const title = page.locator('main h1');
      await title.waitFor(WAIT);
      expect(await title.textContent(), link).not.toMatch(/failed|not found/i);
    }
    // The reference is generated by typedoc from src/: a hook's signature and a layer's props are there.
    await page.goto(`${docs.url}#/api/useTrainer`);
    const entry = page.locator('#api-useTrainer');
    await entry.waitFor(WAIT);
    expect(await entry.locator('.api-signature').first().textContent()).toContain('useTrainer(model: NetLike');
    expect(await page.locator('#api-Linear').textContent()).toContain('outFeatures');
  });
});
