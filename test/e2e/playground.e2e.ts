import { mkdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { unzipSync } from 'fflate';
import type { Page } from 'playwright';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type DocsSession, startDocs } from './docsServer';

// End-to-end: the docs site's Playground page in Chromium. No timing asserts: every wait is for a
// condition, with a generous timeout (the machine is shared; training may be slow to start).

const WAIT = { timeout: 180_000 };
const ROOT = '[data-testid="playground"]';
const NETWORK = `${ROOT} figure[aria-labelledby]:has(canvas.rnn-output)`;
const ARTEFACTS = fileURLToPath(new URL('../../.vitest-results/', import.meta.url));

let docs: DocsSession;
let page: Page;
let problems: string[];

beforeAll(async () => {
  docs = await startDocs();
});

afterAll(async () => {
  await docs?.close();
});

afterEach(async () => {
  // Whatever a test did, the page logged no error and threw nothing.
  expect(problems).toEqual([]);
  await page?.close();
});

async function open(query = ''): Promise<Page> {
  page = await docs.browser.newPage({ viewport: { width: 1400, height: 1000 } });
  problems = [];
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console.error: ${m.text()}`);
  });
  await page.goto(`${docs.url}${query}#/playground`, WAIT);
  await firstDraw();
  return page;
}

/** Waits until a page just opened (or reloaded) has drawn its network view: once is enough, it may be done already. */
async function firstDraw() {
  await page.waitForFunction(
    (sel) => Number(document.querySelector<HTMLElement>(sel)?.dataset.draws ?? 0) >= 1,
    NETWORK,
    WAIT,
  );
}

const jsx = () => page.getByTestId('jsx').inputValue();
/** The output heatmap's pixels, as a short digest: the predictions over the plane (and the points on it). */
const outputPixels = (p: Page = page) =>
  p.locator(`${NETWORK} canvas.rnn-output`).evaluate((c: HTMLCanvasElement) => {
    const d = (c.getContext('2d') as CanvasRenderingContext2D).getImageData(0, 0, c.width, c.height).data;
    let h = 0;
    for (let i = 0; i < d.length; i++) h = (Math.imul(h, 31) + (d[i] as number)) | 0;
    return `${c.width}x${c.height}:${h}`;
  });
/** The test loss the page shows (NaN until it has measured one). */
const testLoss = async (p: Page = page) => {
  const v = await p.getByTestId('test-loss').getAttribute('data-value');
  return v ? Number(v) : Number.NaN;
};
/** The first test loss the page measures. */
async function firstTestLoss(): Promise<number> {
  await expect.poll(testLoss, WAIT).not.toBeNaN();
  return testLoss();
}
/**
 * Waits until `read` gives the same on both pages (each read afresh every time: views redraw a
 * frame or more after a change), failing after the usual timeout if they never agree. Each page
 * is brought to the front before it is read: Chromium pauses animation frames of a page behind
 * another, and the views draw on animation frames.
 */
async function agree<T>(a: Page, b: Page, read: (p: Page) => Promise<T>, same: (x: T, y: T) => boolean) {
  await expect
    .poll(async () => {
      await a.bringToFront();
      const x = await read(a);
      await b.bringToFront();
      const y = await read(b);
      return same(x, y) ? 'agree' : `${String(x)} ≠ ${String(y)}`;
    }, WAIT)
    .toBe('agree');
}
/** Runs `check(first)` on a second page opened at `url` (no console errors there either), then returns to the first. */
async function inNewPage(url: string, check: (first: Page) => Promise<void>) {
  const first = page;
  const firstProblems = problems;
  page = await docs.browser.newPage({ viewport: { width: 1400, height: 1000 } });
  problems = [];
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console.error: ${m.text()}`);
  });
  try {
    await page.goto(url.includes('#') ? url : `${url}#/playground`, WAIT);
    await firstDraw();
    await check(first);
    expect(problems).toEqual([]);
  } finally {
    await page.close();
    page = first;
    problems = firstProblems;
  }
}
/** The network view's text alternative (sizes, the output's share, the points on the right side). */
const networkText = () =>
  page.locator(NETWORK).evaluate((f) => document.getElementById(f.getAttribute('aria-describedby') ?? '')?.textContent);
const thumbnails = () => page.locator(`${NETWORK} canvas.rnn-neuron`).count();
const readout = async (id: string) => Number(await page.getByTestId(id).getAttribute('data-value'));
/** The parameter count the model summary shows for its first layer (the input Linear). */
const firstLayerParams = async () => {
  const row = page.locator(`${ROOT} .rnn-summary tbody tr`).first();
  return Number((await row.locator('td').last().textContent())?.replace(/,/g, ''));
};

describe('Playground page', () => {
  it('opens with TF Playground defaults, first in the sidebar, and saves a screenshot', async () => {
    await open();
    expect(await page.locator('#sidebar a').first().textContent()).toBe('Playground');
    expect(await jsx()).toContain('<Model inputShape={[2]}>');
    expect(await thumbnails()).toBe(2 + 4 + 2 + 1);
    expect(await page.getByLabel('Learning rate').inputValue()).toBe('0.03');
    expect(await page.getByLabel('Activation', { exact: true }).inputValue()).toBe('tanh');
    expect(await page.getByLabel('Batch size').inputValue()).toBe('10');
    mkdirSync(ARTEFACTS, { recursive: true });
    await page.screenshot({ path: `${ARTEFACTS}playground.png`, fullPage: true });
  });

  it('a feature toggle changes the input size in the JSX and the model summary', async () => {
    await open();
    await expect.poll(firstLayerParams, WAIT).toBe(2 * 4 + 4);
    await page.getByRole('checkbox', { name: 'x₁²' }).check();
    await page.waitForFunction(
      () => document.querySelector<HTMLTextAreaElement>('[data-testid="jsx"]')?.value.includes('inputShape={[3]}'),
      null,
      WAIT,
    );
    await expect.poll(firstLayerParams, WAIT).toBe(3 * 4 + 4);
    // The view drew the new network (it may have done so before the summary was read: no "next draw" to wait for).
    await expect.poll(networkText, WAIT).toMatch(/^Network 3-4-2-1, one heatmap per neuron/);
    expect(await thumbnails()).toBe(3 + 4 + 2 + 1);
  });

  it('adding a neuron adds a thumbnail; removing a layer removes its column', async () => {
    await open();
    await page.getByRole('button', { name: 'Add a neuron to layer 1' }).click();
    await expect.poll(thumbnails, WAIT).toBe(2 + 5 + 2 + 1);
    expect(await jsx()).toContain('<Linear outFeatures={5} />');
    await page.getByRole('button', { name: 'Remove layer' }).click();
    await expect.poll(thumbnails, WAIT).toBe(2 + 5 + 1);
  });

  it('discretize changes the output view', async () => {
    await open();
    const output = page.locator(`${NETWORK} canvas.rnn-output`);
    // The share of sampled pixels in exactly the negative or positive colour (theme defaults).
    const pureShare = () =>
      output.evaluate((c: HTMLCanvasElement) => {
        const d = (c.getContext('2d') as CanvasRenderingContext2D).getImageData(0, 0, c.width, c.height).data;
        const pure = [
          [0, 114, 178],
          [230, 159, 0],
        ];
        let hits = 0;
        let all = 0;
        for (let y = 2; y < c.height; y += 7) {
          for (let x = 2; x < c.width; x += 7) {
            const i = (y * c.width + x) * 4;
            all++;
            if (pure.some((p) => p.every((v, k) => Math.abs(v - (d[i + k] as number)) <= 2))) hits++;
          }
        }
        return hits / all;
      });
    const before = await pureShare();
    expect(before).toBeLessThan(0.3);
    await page.getByLabel('Discretize output').check();
    expect(await output.getAttribute('data-discretize')).toBe('true');
    // Two colours only, but for the data points drawn on top.
    await expect.poll(pureShare, WAIT).toBeGreaterThan(0.6);
  });

  it('loss falls on circle data after Play', async () => {
    await open();
    await page.getByTestId('play').click();
    await page.waitForFunction(
      () => Number(document.querySelector<HTMLElement>('[data-testid="epoch"]')?.dataset.value) > 0,
      null,
      WAIT,
    );
    const first = await readout('train-loss');
    expect(first).toBeGreaterThan(0);
    await page.waitForFunction(
      (start) => {
        const v = Number(document.querySelector<HTMLElement>('[data-testid="train-loss"]')?.dataset.value);
        return v < start * 0.5 && v < 0.2;
      },
      first,
      WAIT,
    );
    // The test loss is measured apart, at most once per frame: it follows.
    await page.waitForFunction(
      () => Number(document.querySelector<HTMLElement>('[data-testid="test-loss"]')?.dataset.value) < 0.3,
      null,
      WAIT,
    );
    // As `engine: 'auto'` chooses here: the fused CPU kernel, in a Web Worker.
    const engine = page.locator(`${ROOT} .rnn-pg-engine`);
    expect(await engine.textContent()).toBe('engine: fused-cpu');
    expect(await engine.getAttribute('title')).toContain('Web Worker');
    await page.getByTestId('play').click();
    expect(await page.getByTestId('play').textContent()).toBe('Play');
  });

  it('the URL round-trips: a new page from it shows the same state and JSX; back restores', async () => {
    await open();
    await page.getByLabel('Dataset').selectOption('spiral');
    await page.getByLabel('Activation', { exact: true }).selectOption('relu');
    await page.getByLabel('Learning rate').selectOption('0.1');
    await page.getByRole('checkbox', { name: 'sin x₁' }).check();
    await page.getByRole('button', { name: 'Add layer' }).click();
    await page.getByLabel('Optimizer').selectOption('adam');
    await page.getByLabel('Show test data').check();
    await expect.poll(() => page.url(), WAIT).toContain('optimizer=adam');
    const url = page.url();
    expect(url).toContain('#/playground');
    const text = await jsx();
    expect(text).toContain('<ReLU />');
    expect(text).toContain('inputShape={[3]}');
    const first = page;
    const firstProblems = problems;
    page = await docs.browser.newPage({ viewport: { width: 1400, height: 1000 } });
    problems = [];
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    await page.goto(url);
    await firstDraw();
    expect(await jsx()).toBe(text);
    expect(await page.getByLabel('Dataset').inputValue()).toBe('spiral');
    expect(await page.getByLabel('Learning rate').inputValue()).toBe('0.1');
    expect(await page.getByLabel('Optimizer').inputValue()).toBe('adam');
    expect(await page.getByRole('checkbox', { name: 'sin x₁' }).isChecked()).toBe(true);
    expect(await page.getByLabel('Show test data').isChecked()).toBe(true);
    await page.close();
    page = first;
    problems = firstProblems;
    // Back undoes the last change (show test data), forward redoes it.
    await page.goBack();
    await expect.poll(() => page.getByLabel('Show test data').isChecked(), WAIT).toBe(false);
    await page.goForward();
    await expect.poll(() => page.getByLabel('Show test data').isChecked(), WAIT).toBe(true);
  });

  it('a hand-edited URL with bad values shows a notice and falls back', async () => {
    await open('?learningRate=banana&networkShape=3');
    await expect
      .poll(() => page.getByRole('status').first().textContent(), WAIT)
      .toContain('learningRate="banana" ignored');
    expect(await page.getByLabel('Learning rate').inputValue()).toBe('0.03');
    expect(await jsx()).toContain('<Linear outFeatures={3} />');
  });

  it('editing the JSX panel updates the controls and the network view', async () => {
    await open();
    const edited = (await jsx())
      .replace('outFeatures={4}', 'outFeatures={6}')
      .replaceAll('<Tanh />\n    <Linear', '<GELU />\n    <Linear');
    await page.getByTestId('jsx').fill(edited);
    await expect.poll(() => page.getByLabel('Activation', { exact: true }).inputValue(), WAIT).toBe('gelu');
    expect(await page.getByText('Layer 1: 6 neurons').count()).toBe(1);
    await expect.poll(thumbnails, WAIT).toBe(2 + 6 + 2 + 1);
    // A bad edit says why and changes nothing.
    await page.getByTestId('jsx').fill(edited.replace('<GELU />', '<Conv2d />'));
    await expect
      .poll(() => page.locator(`${ROOT} .rnn-pg-jsx [role="alert"]`).textContent(), WAIT)
      .toContain('<Conv2d> is not allowed');
    expect(await page.getByLabel('Activation', { exact: true }).inputValue()).toBe('gelu');
  });

  it('drawn points are in the URL: a new page from it has the same points and the same output', async () => {
    await open();
    const output = page.locator(`${NETWORK} canvas.rnn-output`);
    await page.getByRole('button', { name: 'Clear data' }).click();
    await output.click({ position: { x: 40, y: 50 } });
    await output.click({ position: { x: 200, y: 180 }, modifiers: ['Shift'] });
    await output.click({ position: { x: 120, y: 30 } });
    await expect.poll(() => readout('train-count'), WAIT).toBe(3);
    // Five characters a point.
    await expect.poll(() => new URL(page.url()).searchParams.get('points')?.length ?? 0, WAIT).toBe(15);
    const url = page.url();
    await inNewPage(url, async (first) => {
      expect(await readout('train-count')).toBe(3);
      expect(new URL(page.url()).searchParams.get('points')).toBe(new URL(url).searchParams.get('points'));
      // Same seed, same untrained weights, the same three points drawn on top: the same picture.
      await agree(first, page, outputPixels, (a, b) => a === b);
    });
  });

  it('Share: a new page from the link has the same JSX, predictions and test loss', async () => {
    await open('?learningRate=0.1&networkShape=5,3&showTestData=true');
    const untrained = await firstTestLoss();
    await page.getByTestId('play').click();
    await page.waitForFunction(
      () => Number(document.querySelector<HTMLElement>('[data-testid="epoch"]')?.dataset.value) > 20,
      null,
      WAIT,
    );
    await page.getByTestId('play').click();
    await page.getByRole('button', { name: 'Share' }).click();
    const link = page.getByTestId('share-link');
    await expect.poll(() => link.inputValue(), WAIT).toContain('share=rnn1.');
    expect(await page.getByRole('status').filter({ hasText: 'trained weights' }).count()).toBe(1);
    const url = await link.inputValue();
    const text = await jsx();
    await inNewPage(url, async (first) => {
      expect(await jsx()).toBe(text);
      expect(await page.getByLabel('Learning rate').inputValue()).toBe('0.1');
      expect(await page.getByLabel('Show test data').isChecked()).toBe(true);
      // The same weights on the same test points: the same loss (to 1e-6), trained (not the untrained
      // page's), and the same output picture.
      await agree(first, page, testLoss, (a, b) => Math.abs(a - b) <= 1e-6 && Math.abs(a - untrained) > 0.05);
      await agree(first, page, outputPixels, (a, b) => a === b);
      // The link's state survives the first change: the address then holds the plain state.
      await page.getByLabel('Show test data').uncheck();
      await expect.poll(() => page.url(), WAIT).not.toContain('share=');
      expect(page.url()).toContain('networkShape=5%2C3');
    });
  });

  it('Save downloads a .rnn; Open in a fresh page restores the controls, data and weights, and the run goes on', async () => {
    await open('?activation=relu&xSquared=true&seed=7');
    const output = page.locator(`${NETWORK} canvas.rnn-output`);
    await output.click({ position: { x: 60, y: 60 } });
    await expect.poll(() => new URL(page.url()).searchParams.get('points')?.length ?? 0, WAIT).toBe(5);
    const untrained = await firstTestLoss();
    await page.getByTestId('play').click();
    await page.waitForFunction(
      () => Number(document.querySelector<HTMLElement>('[data-testid="epoch"]')?.dataset.value) > 20,
      null,
      WAIT,
    );
    await page.getByTestId('play').click();
    const count = await readout('train-count');
    const text = await jsx();
    const downloading = page.waitForEvent('download', WAIT);
    await page.getByRole('button', { name: 'Save' }).click();
    const download = await downloading;
    expect(download.suggestedFilename()).toBe('playground.rnn');
    const file = `${ARTEFACTS}playground.rnn`;
    mkdirSync(ARTEFACTS, { recursive: true });
    await download.saveAs(file);
    // Saved while paused: the file holds the run (epoch, loss history, optimizer state), at the epoch the page shows.
    const run = JSON.parse(new TextDecoder().decode(unzipSync(readFileSync(file))['trainer.json'])).json as {
      epoch: number;
      history: { loss: number[] };
    };
    expect(run.epoch).toBeGreaterThan(20);
    expect(run.history.loss).toHaveLength(run.epoch);
    await expect.poll(() => readout('epoch'), WAIT).toBe(run.epoch);

    await inNewPage(docs.url, async (first) => {
      expect(await jsx()).not.toBe(text);
      await page.getByLabel('Open').setInputFiles(file);
      await expect.poll(jsx, WAIT).toBe(text);
      // The run goes on where the file left it: its epoch, its last training loss, its loss curve.
      await expect.poll(() => readout('epoch'), WAIT).toBe(run.epoch);
      expect(await readout('train-loss')).toBe(run.history.loss.at(-1));
      await expect
        .poll(() => page.locator(`${ROOT} .rnn-pg-loss [data-samples]`).getAttribute('data-samples'), WAIT)
        .toBe(String(Math.min(run.epoch, 200)));
      expect(await page.getByLabel('Activation', { exact: true }).inputValue()).toBe('relu');
      expect(await page.getByRole('checkbox', { name: 'x₁²' }).isChecked()).toBe(true);
      await expect.poll(() => readout('train-count'), WAIT).toBe(count);
      expect(page.url()).toContain('seed=7');
      await agree(first, page, testLoss, (a, b) => Math.abs(a - b) <= 1e-6 && Math.abs(a - untrained) > 0.05);
      await agree(first, page, outputPixels, (a, b) => a === b);
      // Another program's file is refused with the reason, and the page stays as it was.
      await page
        .getByLabel('Open')
        .setInputFiles({ name: 'x.rnn', mimeType: 'application/zip', buffer: Buffer.from('not a zip') });
      await expect
        .poll(() => page.locator(`${ROOT} .rnn-pg-save [role="alert"]`).textContent(), WAIT)
        .toContain('not a react-nn checkpoint');
      expect(await jsx()).toBe(text);
      expect(await readout('epoch')).toBe(run.epoch);
      // Play trains on from the file's epoch.
      await page.getByTestId('play').click();
      await expect.poll(() => readout('epoch'), WAIT).toBeGreaterThan(run.epoch);
      await page.getByTestId('play').click();
      expect(await page.getByRole('status').filter({ hasText: 'cannot be continued' }).count()).toBe(0);
    });
  });

  it('Upload CSV: its rows are the data (split into training and test), drawn and kept in the URL; a bad file changes nothing', async () => {
    await open();
    const before = await outputPixels();
    expect(await readout('train-count')).toBe(250);
    expect(new URL(page.url()).searchParams.get('data')).toBeNull();
    const rows = [
      [-4, 3.5, 1],
      [-3, -2, 0],
      [-1.5, 4, 1],
      [0.5, -3.25, 0],
      [1, 1, 1],
      [2, -0.5, 0],
      [2.5, 3, 1],
      [3.5, -4, 0],
      [4, 2, 1],
      [-2.5, -4.5, 0],
    ];
    const csv = `x1,x2,label\n${rows.map((r) => r.join(',')).join('\n')}\n`;
    await page
      .getByLabel('Upload CSV (x1,x2,label)')
      .setInputFiles({ name: 'points.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    // Ten rows, half of them for training (percTrainData 50).
    await expect.poll(() => readout('train-count'), WAIT).toBe(5);
    expect(await page.getByTestId('train-count').textContent()).toBe('5 training, 5 test points');
    // The view draws the network on those five points (and the old 250 are gone from it).
    await expect.poll(networkText, WAIT).toMatch(/Training points on the right side: \d+% of 5\./);
    await expect.poll(outputPixels, WAIT).not.toBe(before);
    // The points are in the URL (small uploads are): a new page from it has the same data and picture.
    await expect.poll(() => new URL(page.url()).searchParams.get('data')?.length ?? 0, WAIT).toBeGreaterThan(0);
    const url = page.url();
    await inNewPage(url, async (first) => {
      expect(await readout('train-count')).toBe(5);
      expect(new URL(page.url()).searchParams.get('data')).toBe(new URL(url).searchParams.get('data'));
      await agree(first, page, outputPixels, (a, b) => a === b);
    });
    // A reload of the same page, too.
    await page.reload(WAIT);
    await firstDraw();
    expect(await readout('train-count')).toBe(5);
    expect(page.url()).toBe(url);

    // A malformed file: the reason (and the line) in an alert; the data, the URL and the view stay.
    await page
      .getByLabel('Upload CSV (x1,x2,label)')
      .setInputFiles({ name: 'bad.csv', mimeType: 'text/csv', buffer: Buffer.from('x1,x2,label\n1,2,1\n3,4\n') });
    const alert = page.locator(`${ROOT} .rnn-pg-side [role="alert"]`);
    await expect
      .poll(() => alert.textContent(), WAIT)
      .toBe('Playground > CSV upload: line 3 has 2 fields; give three: x1,x2,label');
    expect(await readout('train-count')).toBe(5);
    expect(page.url()).toBe(url);
    expect(await networkText()).toMatch(/Training points on the right side: \d+% of 5\./);
  });

  it('drawing points adds training data (click: one class, shift-click: the other)', async () => {
    await open();
    const before = await readout('train-count');
    const output = page.locator(`${NETWORK} canvas.rnn-output`);
    await output.click({ position: { x: 40, y: 40 } });
    await output.click({ position: { x: 200, y: 200 }, modifiers: ['Shift'] });
    await expect.poll(() => readout('train-count'), WAIT).toBe(before + 2);
    await page.getByRole('button', { name: 'Clear data' }).click();
    await expect.poll(() => readout('train-count'), WAIT).toBe(0);
    await output.click({ position: { x: 60, y: 60 } });
    await expect.poll(() => readout('train-count'), WAIT).toBe(1);
  });
});
