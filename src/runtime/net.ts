import * as tf from '@tensorflow/tfjs';
import { describe, ReactNNError } from '../errors';
import { walk } from '../graph/analyze';
import { summarize } from '../graph/summary';
import type { AnalyzedGraph, AnalyzedNode, GraphNode, ModelSummaryData, Shape } from '../graph/types';
import { isPendingResource } from '../layers/pending';
import { Subscribable } from '../subscribable';
import { type BackendInfo, type BackendName, selectBackend, selectedBackend } from './backend';
import { type CarryOverReport, carryOverWeights } from './carryOver';
import { analyze, compileGraph } from './compile';

export type NetStatus = 'building' | 'ready' | 'error';

export interface NetSnapshot {
  /** 'building' until the first model exists; 'error' after a bad edit (the last good model keeps running). */
  status: NetStatus;
  model: tf.LayersModel | null;
  graph: AnalyzedGraph | null;
  summary: ModelSummaryData | null;
  backend: BackendInfo | null;
  error: ReactNNError | null;
  /** Increments on every successful (re)build, so consumers can tell models apart. */
  version: number;
  /** What the last rebuild kept and re-initialised. */
  lastEdit: CarryOverReport | null;
}

/**
 * Extra checks a graph must pass before it replaces the running model — a trainer adds one
 * so that an edit whose output no longer fits the labels is refused, not trained. Return a
 * ReactNNError to refuse.
 */
export type GraphValidator = (graph: AnalyzedGraph) => ReactNNError | null;

export interface NetOptions {
  /** Shape of one example without the batch dimension, NHWC for images. */
  inputShape?: Shape;
  /** Force a backend; default: webgpu → webgl → cpu (a software WebGPU adapter ranks below webgl). */
  backend?: BackendName;
  /** Seeds initialisers and dropout. */
  seed?: number;
}

const INITIAL: NetSnapshot = {
  status: 'building',
  model: null,
  graph: null,
  summary: null,
  backend: null,
  error: null,
  version: 0,
  lastEdit: null,
};

/**
 * A live model: takes node trees (from the reconciler or anyone), compiles them into a
 * `tf.LayersModel`, carries weights over edits and disposes what it replaces. The store
 * behind `renderModel` and `<Model>`; framework-agnostic.
 */
export class Net extends Subscribable<NetSnapshot> {
  #options: NetOptions;
  #root: GraphNode | null = null;
  #backendPromise: Promise<BackendInfo> | null = null;
  #detachTimer: ReturnType<typeof setTimeout> | null = null;
  #disposeTimer: ReturnType<typeof setTimeout> | null = null;
  #owners = 0;
  #disposed = false;
  #waiters: { resolve: () => void; reject: (e: unknown) => void }[] = [];
  #validators = new Set<GraphValidator>();
  /** The validator that refused the current tree: its removal gives that tree another try. */
  #refusedBy: GraphValidator | null = null;
  #fresh = false;
  /** Set while a layer waits for an async resource (<Pretrained> loading); see #wait. */
  #pending: Promise<void> | null = null;
  /** Seed and backend the current model was compiled with, for the trainable-only fast path. */
  #builtWith: { seed: number | undefined; backend: string } | null = null;
  /** The analysis of a tree that waits for the backend, reused when that same tree is committed again. */
  #analyzed: { root: GraphNode; inputShape: Shape | undefined; graph: AnalyzedGraph } | null = null;

  constructor(options: NetOptions = {}) {
    super(INITIAL);
    this.#options = { ...options };
  }

  get model(): tf.LayersModel | null {
    return this.getSnapshot().model;
  }

  get options(): Readonly<NetOptions> {
    return this.#options;
  }

  /** Changes inputShape, backend or seed; rebuilds when a tree is present (weights kept where shapes allow). */
  setOptions(options: NetOptions): void {
    const prev = this.#options;
    const next = { ...prev, ...options };
    const changed =
      JSON.stringify(prev.inputShape) !== JSON.stringify(next.inputShape) ||
      prev.backend !== next.backend ||
      prev.seed !== next.seed;
    this.#options = next;
    if (!changed) return;
    if (prev.backend !== next.backend) this.#backendPromise = null;
    if (this.#root) this.commit(this.#root);
  }

  /**
   * Takes a new node tree. Validation runs at once; compiling waits for the backend. A bad
   * tree leaves the last good model in place and reports the error (also returned).
   */
  commit(root: GraphNode | null): ReactNNError | null {
    this.#assertAlive();
    this.#cancelDetach();
    this.#root = root;
    this.#pending = null;
    this.#refusedBy = null;
    if (!root) {
      this.#replaceModel(null, null);
      return null;
    }
    let graph: AnalyzedGraph;
    const analyzed = this.#analyzed;
    this.#analyzed = null;
    try {
      // The same tree committed again once the backend is ready: its analysis (validators included) stands.
      graph =
        analyzed?.root === root && analyzed.inputShape === this.#options.inputShape
          ? analyzed.graph
          : this.#analyze(root);
    } catch (e) {
      // A layer is waiting for an async resource — not an error; build once it settles.
      if (isPendingResource(e)) return this.#wait(e.promise);
      return this.#fail(e);
    }
    const backend = this.getSnapshot().backend;
    if (backend && this.#backendPromise && tf.getBackend() === backend.name) return this.#build(graph);
    if (!this.#backendPromise) {
      // A backend chosen earlier for the same request (by another model) and still active: build at once.
      const ready = selectedBackend(this.#options.backend);
      if (ready) {
        this.#backendPromise = Promise.resolve(ready);
        this.setSnapshot({ backend: ready });
        return this.#build(graph);
      }
    }
    this.#analyzed = { root, inputShape: this.#options.inputShape, graph };
    this.#startBackend();
    return null;
  }

  #analyze(root: GraphNode): AnalyzedGraph {
    const graph = analyze(root, this.#options.inputShape);
    for (const validate of this.#validators) {
      const problem = validate(graph);
      if (problem) {
        this.#refusedBy = validate;
        throw problem;
      }
    }
    return graph;
  }

  /** Adds a check every new graph must pass (see GraphValidator); returns its remover. */
  addValidator(validate: GraphValidator): () => void {
    this.#validators.add(validate);
    this.#analyzed = null;
    return () => {
      this.#validators.delete(validate);
      // A tree refused only for its owner's sake (a trainer's data of the old input size, when
      // <Model inputShape> and the data change in one commit) is built once that owner is gone.
      if (this.#refusedBy === validate && this.#root && !this.#disposed && !this.#detachTimer) this.commit(this.#root);
    };
  }

  /** Rebuilds the current tree with freshly initialised weights (nothing carried over). */
  reinitialize(): void {
    if (!this.#root) return;
    this.#fresh = true;
    try {
      this.commit(this.#root);
    } finally {
      this.#fresh = false;
    }
  }

  /** Resolves once a model is built from the current tree; rejects with the build error. */
  ready(): Promise<void> {
    if (this.#disposed) return Promise.reject(disposedError('ready'));
    const s = this.getSnapshot();
    // After a refused edit the last good model still runs: that counts as ready — unless the
    // current tree is still waiting for a resource, whose build is what callers await.
    if (s.model && !this.#pending) return Promise.resolve();
    if (s.status === 'error' && !s.model) return Promise.reject(s.error);
    return new Promise((resolve, reject) => this.#waiters.push({ resolve, reject }));
  }

  summary(): ModelSummaryData {
    const s = this.getSnapshot().summary;
    if (this.#disposed) throw disposedError('summary');
    if (!s) throw new ReactNNError('state', 'summary', 'no model has been built yet — await ready() first');
    return s;
  }

  /**
   * Runs the model in inference mode (dropout off, batch norm on running statistics).
   * Takes a tensor or nested arrays with a batch dimension; returns a tensor the caller disposes.
   */
  predict(x: tf.Tensor | number[][] | number[][][][]): tf.Tensor {
    const { model, graph } = this.getSnapshot();
    if (this.#disposed) throw disposedError('predict');
    if (!model || !graph)
      throw new ReactNNError('state', 'predict', 'no model has been built yet — await ready() first');
    const input = x instanceof tf.Tensor ? x : tf.tensor(x as number[][]);
    try {
      const expected = graph.inputShape;
      const got = input.shape.slice(1);
      if (got.length !== expected.length || got.some((d, i) => d !== expected[i])) {
        throw new ReactNNError(
          'shape',
          'predict',
          `input has shape ${describe(input.shape)} but the model takes [batch, ${expected.join(', ')}] — add a batch dimension or reshape the data`,
        );
      }
      // One batch for the whole input (tfjs defaults to 32 rows per run), capped to bound memory.
      return model.predict(input, { batchSize: Math.min(Math.max(input.shape[0] ?? 1, 1), 8192) }) as tf.Tensor;
    } finally {
      if (input !== x) input.dispose();
    }
  }

  /**
   * Drops the model on the next macrotask unless a commit arrives first — so a StrictMode
   * unmount/remount of `<Model>` takes its model (and weights) back.
   */
  detach(): void {
    if (this.#detachTimer || this.#disposed) return;
    this.#detachTimer = setTimeout(() => {
      this.#detachTimer = null;
      this.#root = null;
      this.#replaceModel(null, null);
    }, 0);
  }

  /** Marks one more owner (a mounted `useModel`); pairs with `release`. */
  retain(): void {
    this.#owners++;
    if (this.#disposeTimer) clearTimeout(this.#disposeTimer);
    this.#disposeTimer = null;
  }

  /** Drops an owner; the last one out disposes the net on the next macrotask unless retained again. */
  release(): void {
    this.#owners = Math.max(0, this.#owners - 1);
    if (this.#owners > 0 || this.#disposeTimer || this.#disposed) return;
    this.#disposeTimer = setTimeout(() => {
      this.#disposeTimer = null;
      if (this.#owners === 0) this.dispose();
    }, 0);
  }

  /** Reports an error from outside the compiler (a component inside the model threw); the model is kept. */
  reportError(e: unknown): ReactNNError {
    return this.#fail(e);
  }

  get status(): NetStatus {
    return this.getSnapshot().status;
  }
  get error(): ReactNNError | null {
    return this.getSnapshot().error;
  }
  get backend(): BackendInfo | null {
    return this.getSnapshot().backend;
  }
  get graph(): AnalyzedGraph | null {
    return this.getSnapshot().graph;
  }
  get version(): number {
    return this.getSnapshot().version;
  }

  /** Disposes the model and every tensor it owns. Idempotent. */
  dispose(): void {
    if (this.#disposed) return;
    this.#cancelDetach();
    if (this.#disposeTimer) clearTimeout(this.#disposeTimer);
    this.#replaceModel(null, null);
    this.#disposed = true;
    for (const w of this.#waiters.splice(0)) w.reject(disposedError('ready'));
  }

  get isDisposed(): boolean {
    return this.#disposed;
  }

  #startBackend(): void {
    if (!this.#backendPromise) this.#backendPromise = selectBackend(this.#options.backend);
    const promise = this.#backendPromise;
    promise.then(
      (info) => {
        if (this.#disposed || promise !== this.#backendPromise) return;
        this.setSnapshot({ backend: info });
        if (this.#root) this.commit(this.#root);
      },
      (e) => {
        if (this.#disposed || promise !== this.#backendPromise) return;
        this.#backendPromise = null;
        this.#fail(e);
      },
    );
  }

  #build(graph: AnalyzedGraph): ReactNNError | null {
    if (this.#retrain(graph)) return null;
    let model: tf.LayersModel;
    try {
      model = compileGraph(graph, { seed: this.#options.seed });
    } catch (e) {
      return this.#fail(e);
    }
    this.#replaceModel(model, graph);
    this.#builtWith = { seed: this.#options.seed, backend: tf.getBackend() };
    return null;
  }

  /**
   * Waits for a resource a layer needs (a `<Pretrained>` model loading). The status
   * stays 'building' (the last model, if any, keeps running) and the current tree is committed
   * again when the promise settles — then the resource is cached and analysis goes through,
   * or reports the load error. A newer commit supersedes the wait.
   */
  #wait(promise: Promise<void>): null {
    this.#pending = promise;
    this.setSnapshot({ status: 'building', error: null });
    promise.then(() => {
      if (this.#disposed || this.#pending !== promise) return;
      this.#pending = null;
      if (!this.#root) return;
      const error = this.commit(this.#root);
      // ready() callers were waiting for this tree, so its failure is theirs even when an older model runs.
      if (error) for (const w of this.#waiters.splice(0)) w.reject(error);
    });
    return null;
  }

  /**
   * Fast path: when an edit only flips `trainable` flags, re-flag the live tfjs layers
   * instead of recompiling — weights, optimizer state and every other layer stay untouched, and
   * the change applies from the next training step. The snapshot gets a new model object over
   * the same layers (so per-model caches, like the training engine's parameter list, re-read
   * `trainableWeights`), the new graph and summary, and a new version. Returns false to rebuild.
   */
  #retrain(graph: AnalyzedGraph): boolean {
    const prev = this.getSnapshot();
    const built = this.#builtWith;
    if (this.#fresh || !prev.model || !prev.graph || !built) return false;
    if (built.seed !== this.#options.seed || built.backend !== tf.getBackend()) return false;
    if (!onlyTrainableChanged(prev.graph, graph)) return false;
    const flags = new Map<string, boolean>();
    walk(graph.root, (n) => flags.set(n.id, n.trainable));
    for (const layer of prev.model.layers) {
      // A node's tfjs layers are named `${id}` or `${id}.${suffix}`; ids never contain dots.
      const flag = flags.get(layer.name.split('.')[0] as string);
      if (flag !== undefined) setTrainable(layer, flag);
    }
    const model = tf.model({ inputs: prev.model.inputs, outputs: prev.model.outputs, name: prev.model.name });
    // The previous model object is dropped, not disposed: it shares every layer with the new one.
    this.setSnapshot({
      status: 'ready',
      model,
      graph,
      summary: summarize(graph),
      error: null,
      version: prev.version + 1,
      lastEdit: { kept: model.weights.map((w) => w.originalName), reset: [] },
    });
    for (const w of this.#waiters.splice(0)) w.resolve();
    return true;
  }

  #replaceModel(model: tf.LayersModel | null, graph: AnalyzedGraph | null): void {
    const prev = this.getSnapshot();
    const lastEdit = model && prev.model && !this.#fresh ? carryOverWeights(prev.model, model) : null;
    prev.model?.dispose();
    if (!model) {
      if (prev.model) this.setSnapshot({ ...INITIAL, backend: prev.backend, version: prev.version });
      return;
    }
    this.setSnapshot({
      status: 'ready',
      model,
      graph,
      summary: graph ? summarize(graph) : null,
      error: null,
      version: prev.version + 1,
      lastEdit,
    });
    for (const w of this.#waiters.splice(0)) w.resolve();
  }

  #fail(e: unknown): ReactNNError {
    const error =
      e instanceof ReactNNError
        ? e
        : new ReactNNError('structure', 'Model', `could not build the model: ${(e as Error)?.message ?? String(e)}`, {
            cause: e,
          });
    this.setSnapshot({ status: 'error', error });
    if (!this.getSnapshot().model) for (const w of this.#waiters.splice(0)) w.reject(error);
    return error;
  }

  #cancelDetach(): void {
    if (this.#detachTimer) clearTimeout(this.#detachTimer);
    this.#detachTimer = null;
  }

  #assertAlive(): void {
    if (this.#disposed) throw disposedError('commit');
  }
}

/** The one message for any use of a disposed Net: it can never build again, so nothing waits. */
function disposedError(what: string): ReactNNError {
  return new ReactNNError(
    'state',
    `Net.${what}`,
    'this model was disposed (net.dispose(), or its <Model> unmounted) — render a new one with renderModel() or <Model>',
  );
}

// ---- trainable-only edits ----

/** True when two analysed graphs differ in `trainable` flags and nothing else (structure, props, shapes). */
function onlyTrainableChanged(a: AnalyzedGraph, b: AnalyzedGraph): boolean {
  let flipped = false;
  const sameShape = (x: Shape, y: Shape) => x.length === y.length && x.every((d, i) => d === y[i]);
  const same = (x: AnalyzedNode, y: AnalyzedNode): boolean => {
    if (x.id !== y.id || x.node.type !== y.node.type || x.children.length !== y.children.length) return false;
    if (!sameShape(x.inputShape, y.inputShape) || !sameShape(x.outputShape, y.outputShape)) return false;
    const keys = new Set([...Object.keys(x.props), ...Object.keys(y.props)]);
    keys.delete('trainable');
    for (const k of keys) if (!sameValue(x.props[k], y.props[k])) return false;
    if (x.trainable !== y.trainable) flipped = true;
    return x.children.every((c, i) => same(c, y.children[i] as AnalyzedNode));
  };
  return sameShape(a.inputShape, b.inputShape) && same(a.root, b.root) && flipped;
}

function sameValue(x: unknown, y: unknown): boolean {
  if (Object.is(x, y)) return true;
  return Array.isArray(x) && Array.isArray(y) && x.length === y.length && x.every((v, i) => Object.is(v, y[i]));
}

/** Sets a tfjs layer's flag, and its inner layers' when it is a nested model (a <Pretrained> base). */
function setTrainable(layer: tf.layers.Layer, trainable: boolean): void {
  layer.trainable = trainable;
  const inner = (layer as { layers?: unknown }).layers;
  if (Array.isArray(inner)) for (const l of inner as tf.layers.Layer[]) setTrainable(l, trainable);
}
