/**
 * The pure data a model is made of. The reconciler builds these nodes, the runtime
 * compiles them; nothing here knows React or tfjs (like tfjs-layers' keras_format).
 */

/** A tensor shape without the batch dimension, NHWC for images: `[28, 28, 1]`. */
export type Shape = readonly number[];

/** One element of the JSX tree: `<Linear outFeatures={8} />` → `{ type: 'Linear', props: { outFeatures: 8 } }`. */
export interface GraphNode {
  readonly type: string;
  /** Props without `children`, `key` and `ref`. */
  readonly props: Readonly<Record<string, unknown>>;
  /** React key, which pins a layer's identity (and so its weights) across reorders. */
  readonly key: string | null;
  readonly children: readonly GraphNode[];
  /** Non-whitespace text found inside the model, kept so validation can point at it. */
  readonly text?: string;
}

/** Parameter counts of one layer, as PyTorch counts them (`p.numel()` over `parameters()` and buffers apart). */
export interface ParamCount {
  trainable: number;
  nonTrainable: number;
}

/** A node after validation and shape inference. */
export interface AnalyzedNode {
  readonly node: GraphNode;
  /** Props after validation, with defaults filled in. */
  readonly props: Readonly<Record<string, unknown>>;
  /** Human path for messages and summaries: `Sequential > Linear[1]`. */
  readonly path: string;
  /** Stable identity used to name tfjs layers and carry weights over edits: key, `name` or type + index among same-type siblings. */
  readonly id: string;
  readonly inputShape: Shape;
  readonly outputShape: Shape;
  /** This node's own parameters (children excluded). */
  readonly params: ParamCount;
  /** Whether this node's own weights train (inherits `trainable={false}` from ancestors). */
  readonly trainable: boolean;
  readonly children: readonly AnalyzedNode[];
}

/** The whole analysed model: what `summary()` reports and what the compiler builds from. */
export interface AnalyzedGraph {
  readonly root: AnalyzedNode;
  readonly inputShape: Shape;
  readonly outputShape: Shape;
  readonly totalParams: number;
  readonly trainableParams: number;
}

/** One row of a Keras/torchsummary-style table. */
export interface SummaryRow {
  path: string;
  type: string;
  outputShape: number[];
  params: number;
  trainable: boolean;
}

/** What `net.summary()` returns: one row per layer and the totals (the `<ModelSummary>` component draws it). */
export interface ModelSummaryData {
  layers: SummaryRow[];
  inputShape: number[];
  outputShape: number[];
  totalParams: number;
  trainableParams: number;
  nonTrainableParams: number;
}
