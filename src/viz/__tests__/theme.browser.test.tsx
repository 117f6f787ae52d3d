import '../theme.css';
import { cleanup, render } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { LossChart } from '../charts';
import { LIGHT, OKABE_ITO, readTheme, sequentialColor, textOn, themeOf } from '../theme';
import css from '../theme.css?raw';

afterEach(cleanup);

/** `--rnn-x: value` pairs of the first rule whose selector matches. */
function block(selector: RegExp): Record<string, string> {
  const m = selector.exec(css);
  if (!m) throw new Error(`no ${selector} block in theme.css`);
  const body = css.slice(m.index + m[0].length, css.indexOf('}', m.index));
  return Object.fromEntries([...body.matchAll(/--rnn-([\w-]+):\s*([^;]+);/g)].map((v) => [v[1], v[2]?.trim()]));
}

describe('theme', () => {
  it('theme.css repeats the light defaults of theme.ts, and both dark blocks agree', () => {
    const light = block(/:root,\s*\.rnn-light\s*\{/);
    for (const key of ['bg', 'fg', 'muted', 'grid', 'train', 'val', 'neg', 'pos', 'sequential', 'error'] as const) {
      expect(light[key]?.toLowerCase(), key).toBe(String(LIGHT[key]).toLowerCase());
    }
    OKABE_ITO.forEach((c, i) => expect(light[`class-${i}`]?.toLowerCase()).toBe(c.toLowerCase()));
    const dark = block(/\n\.rnn-dark\s*\{/);
    const media = block(/:root:not\(\.rnn-light\)\s*\{/);
    expect(media).toEqual(dark);
  });

  it('canvas colours follow the CSS variables: dark with class rnn-dark, overridable per element', () => {
    const view = render(
      <div className="rnn-dark">
        <LossChart history={{ loss: [1] }} title="dark" />
        <div style={{ ['--rnn-train' as string]: '#123456' }}>
          <LossChart history={{ loss: [1] }} title="custom" />
        </div>
      </div>,
    );
    const dark = readTheme(view.getByRole('figure', { name: 'dark' }));
    expect(dark.bg).toBe('#0d1117');
    expect(dark.classes[0]?.toLowerCase()).toBe('#56b4e9');
    expect(readTheme(view.getByRole('figure', { name: 'custom' })).train).toBe('#123456');
    // The figure paints its own background from the variables.
    expect(getComputedStyle(view.getByRole('figure', { name: 'dark' })).backgroundColor).toBe('rgb(13, 17, 23)');
    view.unmount();
  });

  it('uses viridis for sequential scales and readable text on it', () => {
    expect(sequentialColor('viridis', 0)).toEqual([0x44, 0x01, 0x54]);
    expect(sequentialColor('viridis', 1)).toEqual([0xfd, 0xe7, 0x25]);
    expect(textOn([0x44, 0x01, 0x54])).toBe('#ffffff');
    expect(textOn([0xfd, 0xe7, 0x25])).toBe('#000000');
    expect(sequentialColor('cividis', 0)).toEqual([0x00, 0x20, 0x4d]);
  });

  it('themeOf reads an element once, and again after a class, a <head> style sheet or data-theme changed', async () => {
    const tick = () => new Promise((r) => setTimeout(r, 0));
    const view = render(<LossChart history={{ loss: [1] }} title="cached" />);
    const el = view.getByRole('figure', { name: 'cached' });
    const first = themeOf(el);
    expect(first.bg).toBe(LIGHT.bg);
    // Same element, nothing changed: the same object, no style read.
    expect(themeOf(el)).toBe(first);
    // A dark-mode class on the page (as a site's toggle sets it) is heard.
    document.documentElement.classList.add('rnn-dark');
    await tick();
    try {
      expect(themeOf(el).bg).toBe('#0d1117');
    } finally {
      document.documentElement.classList.remove('rnn-dark');
    }
    await tick();
    expect(themeOf(el).bg).toBe(LIGHT.bg);
    // A style sheet added to <head> that sets the variables is heard too.
    const sheet = document.createElement('style');
    sheet.textContent = '.rnn-viz { --rnn-bg: #abcdef; }';
    document.head.append(sheet);
    await tick();
    try {
      expect(themeOf(el).bg).toBe('#abcdef');
    } finally {
      sheet.remove();
    }
    await tick();
    expect(themeOf(el).bg).toBe(LIGHT.bg);
  });
});
