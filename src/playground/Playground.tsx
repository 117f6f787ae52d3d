/**
 * `<Playground>`: a TF-Playground-class app made only of react-nn's public pieces — `<Model>`,
 * `useModel`, `useTrainer`, `useMetrics`, `NetworkView`, `GradientMagnitudes`, `LossSparkline`, `ModelSummary` — with its
 * whole state in the URL. The state (state.ts) is the one source of truth: the controls, the JSX
 * panel and the model are all views of it.
 */
import { type ChangeEvent, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { Dataset } from '../data/dataset';
import { fromArrays } from '../data/fromArrays';
import { Model } from '../react/Model';
import { useModel } from '../react/useModel';
import { isSoftwareWebGL } from '../runtime/adapter';
import type { BackendName } from '../runtime/backend';
import type { OptimizerConfig } from '../training/optimizers';
import { ModelSummary } from '../viz/architecture';
import { GradientMagnitudes } from '../viz/gradients';
import { NetworkView } from '../viz/network';
import { useStore } from '../viz/useStore';
import { DataPanel, FeaturesPanel, LayersPanel, TrainingPanel } from './controls';
import { featureRows, generatePoints, gridPoints, type Point, parsePointsCsv, splitPoints } from './data';
import { JsxPanel } from './JsxPanel';
import { LossPanel } from './LossPanel';
import { NetworkLayers } from './layers';
import { quantizePoint } from './points';
import { RunBar } from './RunBar';
import { SaveShare } from './SaveShare';
import { activeFeatures, defaultState, FEATURE_LABELS, linkLosses, type PlaygroundState } from './state';
import { PLAYGROUND_CSS } from './styles';
import { TimelinePanel, useFrameStore } from './TimelinePanel';
import { useOpenedRun } from './useOpenedRun';
import { useUrlState } from './useUrlState';

export interface PlaygroundProps {
  /** Keep the state in the page's query string (links reproduce the page; back/forward work). Default true. */
  urlState?: boolean;
  /** Starting values when `urlState` is false (stories, embedding several on a page). */
  initialState?: Partial<PlaygroundState>;
  /** Cells per side of the heatmap grid. Default 40. */
  resolution?: number;
  /**
   * The model's tfjs backend, which only the views use (training runs on fused-cpu in a Worker).
   * Default: as `<Model>` chooses (webgpu → webgl → cpu), except on a software WebGL renderer
   * (SwiftShader, llvmpipe), where it is `cpu`: there GPU work is CPU work too, and waiting for it
   * would block the page; the views' small batched predicts take a few milliseconds on the CPU.
   */
  backend?: BackendName;
  /** Start training at once. Default false. */
  autoPlay?: boolean;
  className?: string;
}

/** Epochs a run may take: the Playground trains until paused. */
const ENDLESS = 1_000_000;

function optimizerOf(state: PlaygroundState): OptimizerConfig {
  if (state.optimizer === 'adam') return { type: 'adam', lr: state.learningRate };
  return { type: 'sgd', lr: state.learningRate, momentum: state.optimizer === 'momentum' ? 0.9 : 0 };
}

function regularizationOf(state: PlaygroundState): { l1?: number; l2?: number } | undefined {
  if (state.regularization === 'L1') return { l1: state.regularizationRate };
  if (state.regularization === 'L2') return { l2: state.regularizationRate };
  return undefined;
}

function toDataset(points: readonly Point[], state: PlaygroundState): Dataset {
  const features = activeFeatures(state);
  return fromArrays({
    x: { data: featureRows(points, state), shape: [points.length, features.length] },
    y: { data: Float32Array.from(points, (p) => p.label), shape: [points.length, 1] },
    task: 'regression',
    featureNames: features.map((f) => FEATURE_LABELS[f]),
  });
}

/**
 * A neural-network playground in the spirit of TensorFlow Playground, built from react-nn:
 * the data, features, layers and training settings as labelled controls; every neuron drawn over
 * the plane; a JSX panel that shows — and edits — the live `<Sequential>`; data drawn by
 * clicking; the decision boundary over time; and the whole state in the URL.
 * @example <Playground />
 */
export function Playground(props: PlaygroundProps) {
  const { urlState = true, resolution = 40, autoPlay = false } = props;
  const [viewBackend] = useState(() => (isSoftwareWebGL() ? ('cpu' as const) : undefined));
  const { state, update, notices, dismissNotices, replace, notify, sharedWeights } = useUrlState(
    urlState,
    props.initialState,
  );
  const inputs = activeFeatures(state);
  const featureKey = inputs.join(',');

  // The data: generated from the state, or the learner's own (uploaded or cleared), plus points drawn.
  const { problem, dataset, regDataset, noise, seed } = state;
  const generated = useMemo(
    () => generatePoints({ ...defaultState(), problem, dataset, regDataset, noise, seed }),
    [problem, dataset, regDataset, noise, seed],
  );
  const { own, drawn } = state;
  const [dataError, setDataError] = useState<string | null>(null);
  const split = useMemo(() => {
    const base = splitPoints(own ?? generated, state.percTrainData, state.seed);
    return { train: [...base.train, ...drawn], test: base.test };
  }, [own, generated, drawn, state.percTrainData, state.seed]);
  const losses = useMemo(() => linkLosses(state), [state]);

  // The datasets of the current split and features; `key` says which ones they were made for.
  const dataKey = useMemo(() => ({ split, featureKey }), [split, featureKey]);
  const [data, setData] = useState<{ train: Dataset; val?: Dataset; key: object } | null>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: dataKey stands for the split and the features.
  useEffect(() => {
    if (split.train.length === 0) {
      setData(null);
      return;
    }
    const train = toDataset(split.train, state);
    const val = split.test.length ? toDataset(split.test, state) : undefined;
    setData({ train, val, key: dataKey });
    return () => {
      train.dispose();
      val?.dispose();
    };
  }, [dataKey]);

  // A new input size and its data arrive together: useTrainer hands over to a trainer for both.
  const model = useModel();
  // The model's input size, subscribed: the page must re-render when the model catches up with a
  // feature toggle (the heatmap grid below switches then), however late that build lands.
  const netInputs = useStore(model, (snap) => snap.model?.inputs[0]?.shape[1]);
  const current = data && data.key === dataKey ? data : null;
  // Training data only: the test loss is measured apart (LossPanel), so the fused engine may run many epochs per round trip.
  // Weights of a share link or an opened file are written once the network they belong to is built,
  // and a file's paused run goes on from where it was saved (useOpenedRun).
  const { trainer, open, loaded } = useOpenedRun(
    model,
    current?.train,
    {
      loss: 'mse',
      optimizer: optimizerOf(state),
      batchSize: state.batchSize,
      epochs: ENDLESS,
      regularization: regularizationOf(state),
      seed: state.seed,
      engine: 'auto',
    },
    sharedWeights,
    notify,
  );

  // Playing survives a new trainer (new data): the new one picks up where the page was.
  const playing = useRef(autoPlay);
  const [isPlaying, setPlaying] = useState(autoPlay);
  useEffect(() => {
    if (trainer && playing.current) trainer.fit().catch(() => {});
  }, [trainer]);
  const play = useCallback(() => {
    playing.current = true;
    setPlaying(true);
    trainer?.fit().catch(() => {});
  }, [trainer]);
  // Initialising to zero (or back) is a new start, as in TF Playground: the weights are drawn again.
  const initSeen = useRef(state.initZero);
  // biome-ignore lint/correctness/useExhaustiveDependencies: only a change of initZero restarts.
  useEffect(() => {
    if (initSeen.current === state.initZero) return;
    initSeen.current = state.initZero;
    if (!trainer) {
      model.reinitialize();
      return;
    }
    trainer.reset();
    if (playing.current) trainer.fit().catch(() => {});
  }, [state.initZero]);
  const pause = useCallback(() => {
    playing.current = false;
    setPlaying(false);
    trainer?.pause();
  }, [trainer]);

  // The heatmap grid, as the network's input: recomputed only when the features change.
  // biome-ignore lint/correctness/useExhaustiveDependencies: featureKey stands for the features.
  const grid = useMemo(
    () => ({ values: featureRows(gridPoints(resolution), state), resolution }),
    [featureKey, resolution],
  );
  // While the model catches up with a new input size, the view keeps the grid it can read.
  const shownGrid = useRef(grid);
  if (netInputs === inputs.length) shownGrid.current = grid;

  const frames = useFrameStore();
  const trainerRef = useRef(trainer);
  trainerRef.current = trainer;
  const onOutput = useCallback(
    (values: Float32Array) => frames.add(trainerRef.current?.getSnapshot().epoch ?? 0, values),
    [frames],
  );
  // A new run (reset, new data, loaded weights) starts a new timeline.
  // biome-ignore lint/correctness/useExhaustiveDependencies: the trainer and the loaded weights are the run.
  useEffect(() => frames.clear(), [trainer, loaded]);

  const points = useMemo(
    () => [
      ...split.train.map((p) => ({ ...p, test: false })),
      ...(state.showTestData ? split.test.map((p) => ({ ...p, test: true })) : []),
    ],
    [split, state.showTestData],
  );

  const addPoint = useCallback(
    (x: number, y: number, shift: boolean) => {
      const label = state.problem === 'classification' ? (shift ? -1 : 1) : shift ? -0.5 : 0.5;
      // Quantized as the link stores it: the page trains on what a link of it reproduces.
      update((s) => ({ ...s, drawn: [...s.drawn, quantizePoint({ x, y, label })] }));
    },
    [state.problem, update],
  );
  const onCsv = async (e: ChangeEvent<HTMLInputElement>) => {
    const file = e.target.files?.[0];
    if (!file) return;
    try {
      const points = parsePointsCsv(await file.text(), state.problem);
      update({ own: points, drawn: [] });
      setDataError(null);
    } catch (err) {
      setDataError((err as Error).message);
    }
  };

  return (
    <div className={`rnn-playground ${props.className ?? ''}`} data-testid="playground">
      <style href="react-nn-playground" precedence="react-nn">
        {PLAYGROUND_CSS}
      </style>
      <Model handle={model} inputShape={[inputs.length]} seed={state.seed} backend={props.backend ?? viewBackend}>
        <NetworkLayers state={state} />
      </Model>
      {notices.length ? (
        <div role="status" className="rnn-pg-notice">
          <p>Not everything this page was opened with could be used:</p>
          <ul>
            {notices.map((n) => (
              <li key={n}>{n}</li>
            ))}
          </ul>
          <button type="button" onClick={dismissNotices}>
            Dismiss
          </button>
        </div>
      ) : null}
      <RunBar playing={isPlaying} onPlay={play} onPause={pause} trainer={trainer} />
      <div className="rnn-pg-main">
        <div className="rnn-pg-side">
          <DataPanel
            state={state}
            update={update}
            onRegenerate={() => update((s) => ({ ...s, own: null, drawn: [], seed: (s.seed % 2_147_483_646) + 1 }))}
          >
            <div className="rnn-pg-field">
              <span>
                Your data: click the output to add a point
                {state.problem === 'classification' ? ' (shift-click: the other class)' : ''}.
              </span>
              <output data-testid="train-count" data-value={split.train.length}>
                {split.train.length} training, {split.test.length} test points
              </output>
              <button type="button" onClick={() => update({ own: [], drawn: [] })}>
                Clear data
              </button>
              <label>
                Upload CSV (x1,x2,label) <input type="file" accept=".csv,text/csv" onChange={onCsv} />
              </label>
              {dataError ? <p role="alert">{dataError}</p> : null}
              {losses.map((l) => (
                <p key={l} role="status" className="rnn-pg-notice" data-testid="link-loss">
                  {l}
                </p>
              ))}
            </div>
          </DataPanel>
          <FeaturesPanel state={state} update={update} />
        </div>
        <div className="rnn-pg-center">
          <LayersPanel state={state} update={update} />
          <NetworkView
            model={model}
            trainer={trainer}
            grid={shownGrid.current}
            inputLabels={inputs.map((f) => FEATURE_LABELS[f])}
            points={points}
            discretize={state.discretize}
            onOutput={onOutput}
            onPlaneClick={addPoint}
            title="Network and output"
          />
          {data ? null : <p className="rnn-pg-notice">No training data: click the output to add points.</p>}
          <div className="rnn-row" style={{ alignItems: 'flex-start' }}>
            <TimelinePanel store={frames} resolution={resolution} discretize={state.discretize} />
            <GradientMagnitudes model={model} data={current?.train} loss="mse" trainer={trainer} style={{ flex: 1 }} />
          </div>
        </div>
        <div className="rnn-pg-side">
          <TrainingPanel state={state} update={update} />
          <SaveShare
            state={state}
            net={model}
            trainer={trainer}
            pause={pause}
            onOpen={(restored) => {
              replace(restored.state, restored.notices);
              open(restored);
            }}
          />
          <LossPanel trainer={trainer} model={model} test={current?.val} />
          <JsxPanel state={state} update={update} />
          <ModelSummary model={model} />
        </div>
      </div>
    </div>
  );
}
