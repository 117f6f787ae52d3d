import { describe, expect, it } from 'vitest';
import {
  ACTIVATIONS,
  CLASSIFY_DATASETS,
  DEFAULT_STATE,
  decodeState,
  defaultState,
  EXTRAS,
  encodeState,
  FEATURES,
  OPTIMIZERS,
  type PlaygroundState,
  PROBLEMS,
  REGRESS_DATASETS,
  REGULARIZATIONS,
} from '../state';

/** A state with every field moved off its default. */
function changedState(): PlaygroundState {
  return {
    problem: 'regression',
    dataset: 'spiral',
    regDataset: 'gauss',
    noise: 25,
    percTrainData: 70,
    batchSize: 17,
    showTestData: true,
    discretize: true,
    features: {
      x: false,
      y: true,
      xSquared: true,
      ySquared: true,
      xTimesY: true,
      sinX: true,
      sinY: true,
      cosX: true,
      cosY: true,
    },
    networkShape: [8, 1, 3],
    activation: 'gelu',
    extra: 'dropout',
    dropout: 0.3,
    regularization: 'L2',
    regularizationRate: 0.003,
    learningRate: 0.1,
    optimizer: 'adam',
    initZero: true,
    seed: 12345,
    drawn: [
      { x: 1.185, y: -2.5, label: 1 },
      { x: -6, y: 6, label: -1 },
    ],
    own: [{ x: 0.5, y: 0.25, label: -0.5 }],
  };
}

describe('Playground state codec', () => {
  it('encodes the defaults as an empty query, and decodes an empty query to the defaults', () => {
    expect(encodeState(defaultState())).toBe('');
    const { state, notices } = decodeState('');
    expect(state).toEqual(DEFAULT_STATE);
    expect(notices).toEqual([]);
  });

  it('has Playground defaults: 4-2 tanh, lr 0.03, batch 10, circle, 50 % train, x₁ and x₂', () => {
    const s = defaultState();
    expect(s.networkShape).toEqual([4, 2]);
    expect(s.activation).toBe('tanh');
    expect(s.learningRate).toBe(0.03);
    expect(s.batchSize).toBe(10);
    expect(s.dataset).toBe('circle');
    expect(s.percTrainData).toBe(50);
    expect(FEATURES.filter((f) => s.features[f])).toEqual(['x', 'y']);
  });

  it('round-trips every field moved off its default', () => {
    const s = changedState();
    const query = encodeState(s);
    const back = decodeState(`?${query}`);
    expect(back.notices).toEqual([]);
    expect(back.state).toEqual(s);
    // Every field is written once it differs.
    const scalars = Object.keys(s).filter((k) => !['features', 'drawn', 'own'].includes(k));
    for (const key of scalars) expect(query).toContain(`${key}=`);
    // Points travel under their own keys.
    expect(query).toContain('points=');
    expect(query).toContain('data=');
    for (const f of FEATURES.filter((f) => f !== 'y')) expect(query).toContain(`${f}=`);
    // y stayed on, its default: not written.
    expect(query).not.toMatch(/(^|&)y=/);
  });

  it('round-trips each field alone, for every choice', () => {
    const cases: Partial<PlaygroundState>[] = [
      ...PROBLEMS.map((problem) => ({ problem })),
      ...CLASSIFY_DATASETS.map((dataset) => ({ dataset })),
      ...REGRESS_DATASETS.map((regDataset) => ({ regDataset })),
      ...ACTIVATIONS.map((activation) => ({ activation })),
      ...REGULARIZATIONS.map((regularization) => ({ regularization })),
      ...OPTIMIZERS.map((optimizer) => ({ optimizer })),
      ...EXTRAS.map((extra) => ({ extra })),
      { networkShape: [] },
      { networkShape: [1, 2, 3, 4, 5, 6] },
      { noise: 50 },
      { seed: 0 },
      { own: [] },
      { drawn: [{ x: 0, y: 0, label: 0.5 }] },
    ];
    for (const patch of cases) {
      const s = { ...defaultState(), ...patch };
      const back = decodeState(encodeState(s));
      expect(back.state, JSON.stringify(patch)).toEqual(s);
      expect(back.notices).toEqual([]);
    }
  });

  it('falls back to the default for each bad value, with a notice naming the key, and keeps the good ones', () => {
    const { state, notices } = decodeState(
      '?learningRate=abc&batchSize=2.5&noise=90&activation=swish&problem=ranking&showTestData=maybe&networkShape=4,99&seed=-1&x=yes&percTrainData=50&dataset=xor',
    );
    expect(state.learningRate).toBe(0.03);
    expect(state.batchSize).toBe(10);
    expect(state.noise).toBe(0);
    expect(state.activation).toBe('tanh');
    expect(state.problem).toBe('classification');
    expect(state.showTestData).toBe(false);
    expect(state.networkShape).toEqual([4, 2]);
    expect(state.seed).toBe(1);
    expect(state.features.x).toBe(true);
    expect(state.dataset).toBe('xor');
    const keys = notices.map((n) => n.split('=')[0]);
    expect(keys).toEqual([
      'problem',
      'noise',
      'batchSize',
      'showTestData',
      'activation',
      'learningRate',
      'seed',
      'x',
      'networkShape',
    ]);
    expect(notices.find((n) => n.startsWith('learningRate'))).toBe(
      'learningRate="abc" ignored: not a number; using 0.03.',
    );
    expect(notices.find((n) => n.startsWith('networkShape'))).toMatch(/1–8 neurons/);
  });

  it('refuses more than six hidden layers and a network with no input', () => {
    const deep = decodeState('networkShape=1,1,1,1,1,1,1');
    expect(deep.state.networkShape).toEqual([4, 2]);
    expect(deep.notices[0]).toMatch(/more than 6 hidden layers/);
    const blind = decodeState('x=false&y=false');
    expect(blind.state.features.x).toBe(true);
    expect(blind.notices[0]).toMatch(/no input feature/);
  });

  it('ignores keys it does not know', () => {
    expect(decodeState('tutorial=foo&hideText=true')).toEqual({ state: defaultState(), notices: [] });
  });
});
