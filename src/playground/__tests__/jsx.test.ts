import { describe, expect, it } from 'vitest';
import { parseElement, parseJSX, toJSX } from '../jsx';
import { defaultState, type PlaygroundState } from '../state';

describe('Playground JSX panel', () => {
  it("prints Playground's default network", () => {
    expect(toJSX(defaultState())).toBe(
      [
        '<Model inputShape={[2]}>',
        '  <Sequential>',
        '    <Linear outFeatures={4} />',
        '    <Tanh />',
        '    <Linear outFeatures={2} />',
        '    <Tanh />',
        '    <Linear outFeatures={1} />',
        '    <Tanh />',
        '  </Sequential>',
        '</Model>',
      ].join('\n'),
    );
  });

  it('follows the features, activation, extras, init and problem', () => {
    const s: PlaygroundState = {
      ...defaultState(),
      features: { ...defaultState().features, xSquared: true, sinY: true },
      networkShape: [3],
      activation: 'leakyRelu',
      extra: 'dropout',
      dropout: 0.2,
      initZero: true,
      problem: 'regression',
    };
    const text = toJSX(s);
    expect(text).toContain('inputShape={[4]}');
    expect(text).toContain('<Linear outFeatures={3} weightInit="zeros" />\n    <LeakyReLU />\n    <Dropout p={0.2} />');
    expect(text.trimEnd().endsWith('<Linear outFeatures={1} weightInit="zeros" />\n  </Sequential>\n</Model>')).toBe(
      true,
    );
    expect(toJSX({ ...s, extra: 'batchNorm', activation: 'linear' })).toContain(
      '<Linear outFeatures={3} weightInit="zeros" />\n    <BatchNorm1d />',
    );
  });

  it('reads back what it prints, for every activation and extra', () => {
    for (const activation of ['relu', 'tanh', 'sigmoid', 'linear', 'leakyRelu', 'gelu', 'elu'] as const) {
      for (const extra of ['none', 'dropout', 'batchNorm'] as const) {
        const s = { ...defaultState(), activation, extra, dropout: 0.25, networkShape: [5, 3, 1] };
        const r = parseJSX(toJSX(s), s);
        expect(r.ok, `${activation} ${extra}`).toBe(true);
        if (r.ok) expect(r.fields).toMatchObject({ activation, extra, networkShape: [5, 3, 1], initZero: false });
      }
    }
  });

  it('turns an edit into new fields: a neuron more, ReLU, regression', () => {
    const s = defaultState();
    const edited = toJSX(s)
      .replace('outFeatures={4}', 'outFeatures={6}')
      .replaceAll('<Tanh />', '<ReLU />')
      .replace(/<Linear outFeatures=\{1\} \/>\n\s*<ReLU \/>/, '<Linear outFeatures={1} />');
    const r = parseJSX(edited, s);
    expect(r).toEqual({
      ok: true,
      fields: {
        networkShape: [6, 2],
        activation: 'relu',
        extra: 'none',
        dropout: 0.1,
        initZero: false,
        problem: 'regression',
      },
    });
  });

  it('accepts a bare <Sequential> with no hidden layer', () => {
    const r = parseJSX('<Sequential><Linear outFeatures={1} /><Tanh /></Sequential>', defaultState());
    expect(r.ok && r.fields.networkShape).toEqual([]);
  });

  it('refuses what the Playground cannot show, with a message naming the fix', () => {
    const s = defaultState();
    const bad: [string, RegExp][] = [
      ['<Model inputShape={[3]}><Sequential><Linear outFeatures={1} /></Sequential></Model>', /feature toggles/],
      ['<Sequential><Linear outFeatures={2} /></Sequential>', /outFeatures=\{1\}/],
      ['<Sequential><Linear outFeatures={9} /><Tanh /><Linear outFeatures={1} /></Sequential>', /1…8/],
      [
        '<Sequential><Linear outFeatures={2} /><Tanh /><Linear outFeatures={2} /><ReLU /><Linear outFeatures={1} /></Sequential>',
        /same layers/,
      ],
      [
        '<Sequential><Linear outFeatures={2} /><Conv2d /><Linear outFeatures={1} /></Sequential>',
        /<Conv2d> is not allowed/,
      ],
      ['<Sequential><Linear outFeatures={1} /><Sigmoid /></Sequential>', /<Tanh \/>/],
      ['<Sequential><Linear outFeatures={1} /><Tanh />', /never closed/],
      ['<Sequential><Linear outFeatures={x} /></Sequential>', /only numbers/],
      ['<Sequential><ReLU /><Linear outFeatures={1} /></Sequential>', /must start with <Linear>/],
      ['<Sequential></Model>', /closes <Sequential>/],
    ];
    for (const [text, message] of bad) {
      const r = parseJSX(text, s);
      expect(r.ok, text).toBe(false);
      if (!r.ok) {
        expect(r.error.path).toBe('Playground > JSX');
        expect(r.error.message, text).toMatch(message);
      }
    }
  });

  it('tokenizes props of every literal kind and comments', () => {
    expect(parseElement(`<A n={-1.5e-3} s="hi" t='x' b a={[1, 2]} f={false} {/* note */} />`)).toEqual({
      type: 'A',
      props: { n: -0.0015, s: 'hi', t: 'x', b: true, a: [1, 2], f: false },
      children: [],
    });
  });
});
