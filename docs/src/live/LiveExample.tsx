import {
  Component,
  type ErrorInfo,
  type ReactElement,
  type ReactNode,
  useEffect,
  useId,
  useMemo,
  useRef,
  useState,
} from 'react';
import { Editor } from 'react-live';
import { CodeBlock } from '../components/CodeBlock';
import {
  type Callback,
  type Dataset,
  DecisionBoundary,
  FitPlot,
  LossChart,
  Model,
  ModelSummary,
  type Net,
  type ReactNNError,
  type SplitData,
  type Trainer,
  TrainingControls,
  type UseCheckpointResult,
  type UseTrainerOptions,
  useDataset,
  useMetrics,
  useModel,
  useResumableTrainer,
} from '../nn';
import { editorTheme } from './editorTheme';
import { type Evaluation, evalExpression, evaluate } from './evaluate';
import { ModelReadout, StatusBadge, TrainingReadout, VizBoundary } from './panels';
import { liveScope } from './scope';
import { ShareButton, sharedStateFor, useSharedWeights, withSharedOptions } from './share';

/** One live example: editable layers inside a model and trainer that outlive every edit. */
export interface ExampleSpec {
  /** Stable id, also `data-example` on the example's root element. */
  id: string;
  title: string;
  /** The editable code: one JSX expression, the layers that go inside `<Model>`. */
  code: string;
  inputShape: number[];
  /** A JavaScript expression giving a Dataset (or a Promise of one), evaluated with the live scope. */
  data: string;
  validationSplit?: number;
  training: Omit<UseTrainerOptions, 'autoStart' | 'callbacks' | 'onEpochEnd' | 'onStep'>;
  /** A JavaScript expression giving the callbacks array, e.g. `[earlyStopping({ patience: 15 })]`. */
  callbacks?: string;
  /** Seeds the model's weights. */
  seed?: number;
  /** Start training when the page opens. */
  autoStart?: boolean;
  /** Autosave to this browser's IndexedDB under `key`, and resume training from it when the page opens again. */
  autosave?: { key: string; every: number };
  /** A picture of what the model does: decision regions (2-input classifiers) or the fitted curve (regression). */
  view?: 'boundary' | 'fit';
}

const EVALUATE_DELAY_MS = 300;

/**
 * A live example. The editable part is only the JSX inside a long-lived `<Model handle>`:
 * the data, the model handle and the trainer belong to this component and survive every
 * edit. Each edit is evaluated (after a short pause in typing) into a new element, React
 * reconciles it into the same model, the runtime carries the unchanged weights over, and the
 * running trainer simply trains the rebuilt model from its next step. Code that does not
 * parse keeps the last element that did; a model the library refuses (a bad prop, a shape
 * that does not fit) is reported by the handle's `error` with its layer path while the last
 * good model keeps training.
 */
export function LiveExample(props: LiveExampleProps) {
  return (
    <ExampleBoundary title={props.spec.title}>
      <LiveExampleBody {...props} />
    </ExampleBoundary>
  );
}

export interface LiveExampleProps {
  spec: ExampleSpec;
  /** More names for the code, e.g. a model handed over from another example. Keep the object stable. */
  scope?: Readonly<Record<string, unknown>>;
  /** Extra controls beside the example, given its model handle and trainer. */
  actions?: (live: { model: Net; trainer: Trainer | null; saved: UseCheckpointResult | null }) => ReactNode;
}

function LiveExampleBody({ spec, scope: extraScope, actions }: LiveExampleProps) {
  const titleId = useId();
  // A share link for this example opens it in the shared state: code, learning rate, weights.
  const [shared] = useState(() => sharedStateFor(spec.id));
  const [initialCode, setInitialCode] = useState(shared?.code ?? spec.code);
  const [source, setSource] = useState(initialCode);
  const [editorKey, setEditorKey] = useState(0);
  const code = useDebounced(source, EVALUATE_DELAY_MS);
  const scope = useMemo(() => (extraScope ? { ...liveScope, ...extraScope } : liveScope), [extraScope]);
  const evaluation = useMemo(() => evaluate(code, scope), [code, scope]);
  const lastGood = useRef<ReactElement | null>(null);
  const element = evaluation.ok ? evaluation.element : lastGood.current;
  useEffect(() => {
    if (evaluation.ok) lastGood.current = evaluation.element;
  }, [evaluation]);

  const data = useDataset(() => evalExpression(spec.data, liveScope) as Dataset | Promise<Dataset>, {
    validationSplit: spec.validationSplit ?? 0,
  }) as Dataset | SplitData | null;
  const model = useModel();
  const [callbacks] = useState(() => (spec.callbacks ? (evalExpression(spec.callbacks, liveScope) as Callback[]) : []));
  const [training] = useState(() => withSharedOptions(spec.training, shared));
  const [autosave] = useState(() => spec.autosave ?? null);
  const { trainer, saved } = useResumableTrainer(
    model,
    data,
    spec.callbacks ? { ...training, callbacks } : training,
    autosave,
  );
  useSharedWeights(model, shared);
  useEffect(() => {
    if (spec.autoStart && trainer?.status === 'idle') trainer.fit().catch(() => {});
  }, [trainer, spec.autoStart]);

  const listing = useMemo(() => exampleListing(spec), [spec]);

  return (
    <section className="live" data-example={spec.id} aria-labelledby={titleId}>
      <Model handle={model} inputShape={spec.inputShape} seed={spec.seed}>
        {element}
      </Model>
      <header className="live-header">
        <h3 id={titleId}>{spec.title}</h3>
        <StatusBadge trainer={trainer} />
        <button
          type="button"
          className="link-button"
          disabled={source === spec.code}
          onClick={() => {
            setInitialCode(spec.code);
            setSource(spec.code);
            setEditorKey((k) => k + 1);
          }}
        >
          Reset code
        </button>
        <ShareButton exampleId={spec.id} code={source} data={spec.data} model={model} trainer={trainer} />
      </header>
      <div className="live-body">
        <div className="live-code">
          <p className="hint" id={`${titleId}-hint`}>
            Edit the layers: the model rebuilds as you type and keeps training with the weights it kept.
          </p>
          <fieldset className="live-editor" aria-describedby={`${titleId}-hint`}>
            <legend className="visually-hidden">Editable model code</legend>
            <Editor
              key={editorKey}
              code={initialCode}
              language="tsx"
              theme={editorTheme}
              tabMode="focus"
              onChange={setSource}
            />
          </fieldset>
          <Diagnostics evaluation={evaluation} model={model} trainer={trainer} />
          <details className="listing">
            <summary>The rest of the example</summary>
            <CodeBlock code={listing} />
          </details>
        </div>
        <div className="live-side">
          <TrainingReadout trainer={trainer} />
          <VizBoundary name="training controls">
            <TrainingControls trainer={trainer} batchSize={spec.training.batchSize ?? 32} hideTitle />
          </VizBoundary>
          <ModelReadout model={model} />
          {actions ? (
            <div className="actions">{actions({ model, trainer, saved: autosave ? saved : null })}</div>
          ) : null}
        </div>
      </div>
      <div className="live-viz">
        <VizBoundary name="loss chart">
          <LossChart className="viz-loss" trainer={trainer} height={180} title="Loss per epoch" />
        </VizBoundary>
        {spec.view === 'boundary' ? (
          <VizBoundary name="decision boundary">
            <DecisionBoundary
              className="viz-picture"
              model={model}
              data={data}
              trainer={trainer}
              width={260}
              title="Decision regions"
            />
          </VizBoundary>
        ) : null}
        {spec.view === 'fit' ? (
          <VizBoundary name="fitted curve">
            <FitPlot
              className="viz-picture"
              model={model}
              data={data}
              trainer={trainer}
              width={320}
              height={240}
              title="Fit"
            />
          </VizBoundary>
        ) : null}
        <VizBoundary name="model summary">
          <ModelSummary className="viz-summary" model={model} title="Layers" />
        </VizBoundary>
      </div>
    </section>
  );
}

/** Code that does not evaluate, a model the library refuses, a training error, and trainer warnings. */
function Diagnostics({ evaluation, model, trainer }: { evaluation: Evaluation; model: Net; trainer: Trainer | null }) {
  const { error: trainError, warnings } = useMetrics(trainer);
  const netError = model.error;
  const problems: ReactNode[] = [];
  if (!evaluation.ok) {
    problems.push(
      <div key="code" className="problem" data-kind={evaluation.kind}>
        <strong>
          {evaluation.kind === 'syntax' ? 'Syntax error' : 'Error'}
          {evaluation.line ? ` on line ${evaluation.line}` : ''}:
        </strong>{' '}
        {evaluation.message}
        <p className="muted">The model keeps training with the last code that worked.</p>
      </div>,
    );
  } else if (netError) {
    problems.push(<LibraryError key="net" error={netError} note="The last good model keeps training." />);
  }
  if (trainError) problems.push(<LibraryError key="train" error={trainError} note="Training stopped." />);
  return (
    <div className="diagnostics" data-testid="diagnostics">
      <div role="alert" data-testid="error">
        {problems}
      </div>
      {warnings.length > 0 ? (
        <ul className="warnings" aria-label="Warnings">
          {warnings.map((w) => (
            <li key={w}>{w}</li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

/** A ReactNNError with its layer path set apart: `Sequential > Linear[0]` — what was wrong. */
function LibraryError({ error, note }: { error: ReactNNError; note: string }) {
  const prefix = `${error.path}: `;
  const message = error.path && error.message.startsWith(prefix) ? error.message.slice(prefix.length) : error.message;
  return (
    <div className="problem" data-kind={error.code}>
      {error.path ? (
        <>
          <code className="path" data-testid="error-path">
            {error.path}
          </code>{' '}
        </>
      ) : null}
      {message}
      <p className="muted">{note}</p>
    </div>
  );
}

function useDebounced<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return settled;
}

/** The example as one component a reader could paste, with the editable part marked. */
export function exampleListing(spec: ExampleSpec): string {
  const split = spec.validationSplit ? `, { validationSplit: ${spec.validationSplit} }` : '';
  const training = toSource(spec.training);
  const options = spec.callbacks ? `${training.slice(0, -2)}, callbacks }` : training;
  return [
    'function Example() {',
    `  const data = useDataset(() => ${spec.data}${split});`,
    '  const model = useModel();',
    ...(spec.callbacks ? [`  const callbacks = useMemo(() => ${spec.callbacks}, []);`] : []),
    spec.autosave
      ? `  const { trainer, saved } = useResumableTrainer(model, data, ${options}, ${toSource(spec.autosave)});`
      : `  const trainer = useTrainer(model, data, ${options});`,
    ...(spec.autoStart ? ['  useEffect(() => void trainer?.fit(), [trainer]);'] : []),
    '  return (',
    `    <Model handle={model} inputShape={${JSON.stringify(spec.inputShape)}}${spec.seed !== undefined ? ` seed={${spec.seed}}` : ''}>`,
    '      {/* the code you edit */}',
    '    </Model>',
    '  );',
    '}',
  ].join('\n');
}

/** Prints plain option values as JavaScript: `{ loss: 'bce', optimizer: { type: 'adam', lr: 0.01 } }`. */
function toSource(value: unknown): string {
  if (typeof value === 'string') return `'${value.replace(/'/g, "\\'")}'`;
  if (Array.isArray(value)) return `[${value.map(toSource).join(', ')}]`;
  if (value && typeof value === 'object') {
    const body = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `${k}: ${toSource(v)}`)
      .join(', ');
    return `{ ${body} }`;
  }
  return String(value);
}

interface BoundaryState {
  error: Error | null;
}

/** Keeps a broken example from blanking the page: it shows the error and offers a retry. */
class ExampleBoundary extends Component<{ title: string; children: ReactNode }, BoundaryState> {
  override state: BoundaryState = { error: null };

  static getDerivedStateFromError(error: Error): BoundaryState {
    return { error };
  }

  override componentDidCatch(error: Error, info: ErrorInfo) {
    console.error(`[react-nn docs] the example "${this.props.title}" failed`, error, info.componentStack);
  }

  override render() {
    if (!this.state.error) return this.props.children;
    return (
      <section className="live live-crashed" role="alert">
        <h3>{this.props.title}</h3>
        <p>
          This example stopped with an error: <code>{this.state.error.message}</code>
        </p>
        <button type="button" onClick={() => this.setState({ error: null })}>
          Try again
        </button>
      </section>
    );
  }
}
