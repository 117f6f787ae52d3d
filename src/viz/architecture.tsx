/**
 * The model's architecture: `ModelGraph`, a diagram with one box per layer laid out by elkjs
 * (a layered DAG layout, ready for branching containers), and `ModelSummary`, the
 * Keras/torchsummary table with parameter totals. Both follow the model through live edits.
 */
import type { ElkExtendedEdge, ElkNode } from 'elkjs/lib/elk-api';
import { useEffect, useId, useMemo, useState } from 'react';
import type { AnalyzedGraph, AnalyzedNode } from '../graph/types';
import { netOf } from '../runtime/handle';
import { fmtInt, fmtShape, type ModelInput, VizFrame, type VizProps, viz } from './common';
import { useStore } from './useStore';

/** One box of the diagram. */
export interface DagNode {
  id: string;
  kind: 'input' | 'layer' | 'merge';
  /** Layer type (`Linear`), or `Input`, or the merging container's type. */
  type: string;
  /** Layer path as errors print it (`Sequential > Linear[1]`); empty for the input. */
  path: string;
  outputShape: readonly number[];
  params: number;
  trainable: boolean;
}

/** The model as a DAG: boxes and arrows between them. */
export interface Dag {
  nodes: DagNode[];
  edges: { from: string; to: string }[];
}

/** Containers whose children run one after another; `Residual` also adds its input back. */
const CHAINS = /* @__PURE__ */ new Set(['Sequential', 'Residual']);

/**
 * An analysed graph as a DAG of its layers: containers dissolve into their children —
 * chained for Sequential, in parallel and merged for branching containers (Concat, Add),
 * chained plus a skip edge into a `+` node for Residual.
 */
export function toDag(graph: AnalyzedGraph): Dag {
  const nodes: DagNode[] = [
    {
      id: 'input',
      kind: 'input',
      type: 'Input',
      path: '',
      outputShape: graph.inputShape,
      params: 0,
      trainable: true,
    },
  ];
  const edges: Dag['edges'] = [];
  const link = (from: string[], to: string) => {
    for (const f of from) edges.push({ from: f, to });
  };
  const visit = (n: AnalyzedNode, inputs: string[]): string[] => {
    const params = n.params.trainable + n.params.nonTrainable;
    if (n.children.length === 0) {
      nodes.push({
        id: n.id,
        kind: 'layer',
        type: n.node.type,
        path: n.path,
        outputShape: n.outputShape,
        params,
        trainable: n.trainable,
      });
      link(inputs, n.id);
      return [n.id];
    }
    if (CHAINS.has(n.node.type)) {
      const out = n.children.reduce((cur, child) => visit(child, cur), inputs);
      if (n.node.type === 'Sequential') return out;
      const merge = `${n.id}#merge`;
      nodes.push({
        id: merge,
        kind: 'merge',
        type: '+',
        path: n.path,
        outputShape: n.outputShape,
        params,
        trainable: n.trainable,
      });
      link([...out, ...inputs], merge);
      return [merge];
    }
    const outs = n.children.flatMap((child) => visit(child, inputs));
    const merge = `${n.id}#merge`;
    nodes.push({
      id: merge,
      kind: 'merge',
      type: n.node.type,
      path: n.path,
      outputShape: n.outputShape,
      params,
      trainable: n.trainable,
    });
    link(outs, merge);
    return [merge];
  };
  visit(graph.root, ['input']);
  return { nodes, edges };
}

const LINE = 14;
const CHAR = 6.6;

function lines(n: DagNode): string[] {
  if (n.kind === 'input') return [`Input ${fmtShape(n.outputShape)}`];
  const name = n.path.split(' > ').at(-1) ?? n.type;
  const head = n.kind === 'merge' ? `${n.type} (${name})` : name;
  const out = [head, `→ ${fmtShape(n.outputShape)}`];
  if (n.params > 0) out.push(`${fmtInt(n.params)} params${n.trainable ? '' : ' (frozen)'}`);
  return out;
}

interface Laid {
  width: number;
  height: number;
  nodes: { node: DagNode; x: number; y: number; w: number; h: number }[];
  edges: { id: string; points: { x: number; y: number }[] }[];
}

let elkPromise: Promise<{ layout(graph: ElkNode): Promise<ElkNode> }> | null = null;

/** elkjs is large: loaded on first use, once, and shared. */
function loadElk() {
  elkPromise ??= import('elkjs/lib/elk.bundled.js').then((m) => {
    const ELK = (m.default ?? m) as unknown as new () => { layout(graph: ElkNode): Promise<ElkNode> };
    return new ELK();
  });
  return elkPromise;
}

/** Lays a DAG out with elkjs' layered algorithm. */
export async function layoutDag(dag: Dag, direction: 'DOWN' | 'RIGHT' = 'DOWN'): Promise<Laid> {
  const elk = await loadElk();
  const size = new Map(
    dag.nodes.map((n) => {
      const ls = lines(n);
      return [n.id, { w: Math.ceil(Math.max(...ls.map((l) => l.length)) * CHAR + 20), h: ls.length * LINE + 12 }];
    }),
  );
  const result = await elk.layout({
    id: 'root',
    layoutOptions: {
      'elk.algorithm': 'layered',
      'elk.direction': direction,
      'elk.spacing.nodeNode': '24',
      'elk.layered.spacing.nodeNodeBetweenLayers': '28',
      'elk.padding': '[top=4,left=4,bottom=4,right=4]',
    },
    children: dag.nodes.map((n) => ({ id: n.id, width: size.get(n.id)?.w, height: size.get(n.id)?.h })),
    edges: dag.edges.map((e, i): ElkExtendedEdge => ({ id: `e${i}`, sources: [e.from], targets: [e.to] })),
  });
  const byId = new Map(dag.nodes.map((n) => [n.id, n]));
  return {
    width: result.width ?? 0,
    height: result.height ?? 0,
    nodes: (result.children ?? []).map((c) => ({
      node: byId.get(c.id) as DagNode,
      x: c.x ?? 0,
      y: c.y ?? 0,
      w: c.width ?? 0,
      h: c.height ?? 0,
    })),
    edges: ((result.edges ?? []) as ElkExtendedEdge[]).map((e) => ({
      id: e.id,
      points: (e.sections ?? []).flatMap((s) => [s.startPoint, ...(s.bendPoints ?? []), s.endPoint]),
    })),
  };
}

/** Props of {@link ModelGraph}. */
export interface ModelGraphProps extends VizProps {
  /** A `useModel()` handle or `renderModel()` result; null renders an empty state. */
  model: ModelInput;
  /** Layout direction: top to bottom (default) or left to right. */
  direction?: 'DOWN' | 'RIGHT';
}

/**
 * The architecture as a diagram: the input and one box per layer with its type, output
 * shape and parameter count, arrows along the data flow, laid out with elkjs.
 * @example <ModelGraph model={model} direction="RIGHT" />
 */
export function ModelGraph(props: ModelGraphProps) {
  const { direction = 'DOWN' } = props;
  const snap = useStore(netOf(props.model));
  const graph = snap?.graph ?? null;
  const dag = useMemo(() => (graph ? toDag(graph) : null), [graph]);
  const [laid, setLaid] = useState<{ dag: Dag; layout: Laid } | null>(null);
  const [error, setError] = useState<Error | null>(null);
  const marker = `rnn-arrow-${useId().replace(/[^A-Za-z0-9_-]/g, '')}`;

  useEffect(() => {
    if (!dag) return;
    let cancelled = false;
    layoutDag(dag, direction).then(
      (layout) => {
        if (!cancelled) {
          setLaid({ dag, layout });
          setError(null);
        }
      },
      (e) => !cancelled && setError(e as Error),
    );
    return () => {
      cancelled = true;
    };
  }, [dag, direction]);

  const layout = laid && laid.dag === dag ? laid.layout : null;
  return (
    <VizFrame
      {...viz(props)}
      kind="graph"
      defaultTitle="Model graph"
      error={error}
      message={!props.model ? 'No model yet.' : !graph ? 'Waiting for the model…' : !layout ? 'Laying out…' : undefined}
      summary={dag && graph ? dagSummary(dag, graph) : 'Model graph: no model yet.'}
      attrs={{ 'data-layers': dag ? dag.nodes.length - 1 : undefined }}
    >
      {layout ? (
        <svg
          viewBox={`0 0 ${layout.width} ${layout.height}`}
          width={layout.width}
          height={layout.height}
          aria-hidden="true"
        >
          <defs>
            <marker id={marker} viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto">
              <path d="M0,0 L10,5 L0,10 z" style={{ fill: 'var(--rnn-muted, #59636e)', stroke: 'none' }} />
            </marker>
          </defs>
          {layout.edges.map((e) => (
            <path
              key={e.id}
              d={e.points.map((p, i) => `${i ? 'L' : 'M'}${p.x},${p.y}`).join(' ')}
              markerEnd={`url(#${marker})`}
            />
          ))}
          {layout.nodes.map(({ node, x, y, w, h }) => (
            <g
              key={node.id}
              className={node.kind === 'input' ? 'rnn-io' : undefined}
              transform={`translate(${x},${y})`}
            >
              <title>{node.path || 'Input'}</title>
              <rect width={w} height={h} rx={node.kind === 'merge' ? h / 2 : 4} />
              {lines(node).map((l, i) => (
                <text
                  key={l}
                  x={w / 2}
                  y={6 + LINE * (i + 0.8)}
                  textAnchor="middle"
                  className={i > 0 ? 'rnn-sub' : undefined}
                  fontWeight={i === 0 ? 600 : undefined}
                >
                  {l}
                </text>
              ))}
            </g>
          ))}
        </svg>
      ) : null}
    </VizFrame>
  );
}

function dagSummary(dag: Dag, graph: AnalyzedGraph): string {
  const inputsOf = (id: string) => dag.edges.filter((e) => e.to === id).map((e) => e.from);
  const name = new Map(
    dag.nodes.map((n) => [n.id, n.kind === 'input' ? 'the input' : (n.path.split(' > ').at(-1) ?? n.type)]),
  );
  const steps = dag.nodes.slice(1).map((n) => {
    const from = inputsOf(n.id);
    const params = n.params > 0 ? `, ${fmtInt(n.params)} parameters` : '';
    const joins = from.length > 1 ? ` joining ${from.map((f) => name.get(f)).join(' and ')}` : '';
    return `${name.get(n.id)} (${n.type}${joins}) gives ${fmtShape(n.outputShape)}${params}`;
  });
  return `${dag.nodes.length - 1} layers from input ${fmtShape(graph.inputShape)} to output ${fmtShape(graph.outputShape)}: ${steps.join('; ')}. ${fmtInt(graph.totalParams)} parameters, ${fmtInt(graph.trainableParams)} trainable.`;
}

/** Props of {@link ModelSummary}. */
export interface ModelSummaryProps extends VizProps {
  /** A `useModel()` handle or `renderModel()` result; null renders an empty state. */
  model: ModelInput;
  /** Also list containers (Sequential, …) as rows. Default false: layers only, as torchsummary. */
  showContainers?: boolean;
}

/**
 * The Keras `model.summary()` / torchsummary table: each layer's path, type, output shape
 * and parameter count, with total, trainable and non-trainable parameters and their size.
 * @example <ModelSummary model={model} />
 */
export function ModelSummary(props: ModelSummaryProps) {
  const snap = useStore(netOf(props.model));
  const graph = snap?.graph ?? null;
  const summary = snap?.summary ?? null;
  const rows = useMemo(() => {
    if (!graph) return [];
    const out: AnalyzedNode[] = [];
    const walk = (n: AnalyzedNode) => {
      if (n.children.length === 0 || props.showContainers) out.push(n);
      n.children.forEach(walk);
    };
    walk(graph.root);
    return out;
  }, [graph, props.showContainers]);

  return (
    <VizFrame
      {...viz(props)}
      kind="summary"
      defaultTitle="Model summary"
      message={!props.model ? 'No model yet.' : !summary ? 'Waiting for the model…' : undefined}
      summary={
        summary
          ? `${rows.length} layers, input ${fmtShape(summary.inputShape)}, output ${fmtShape(summary.outputShape)}; ${fmtInt(summary.totalParams)} parameters (${fmtInt(summary.trainableParams)} trainable, ${fmtInt(summary.nonTrainableParams)} non-trainable).`
          : 'Model summary: no model yet.'
      }
    >
      {summary ? (
        <div className="rnn-scroll">
          <table className="rnn-table">
            <caption>Input shape {fmtShape(summary.inputShape, true)}</caption>
            <thead>
              <tr>
                <th scope="col" className="rnn-left">
                  Layer
                </th>
                <th scope="col" className="rnn-left">
                  Type
                </th>
                <th scope="col">Output shape</th>
                <th scope="col">Param #</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((n) => (
                <tr key={n.id}>
                  <th scope="row">{n.path}</th>
                  <td className="rnn-left">
                    {n.node.type}
                    {n.trainable ? '' : ' (frozen)'}
                  </td>
                  <td>{fmtShape(n.outputShape, true)}</td>
                  <td>{fmtInt(n.params.trainable + n.params.nonTrainable)}</td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr>
                <th scope="row" colSpan={3}>
                  Total params
                </th>
                <td>{fmtInt(summary.totalParams)}</td>
              </tr>
              <tr>
                <th scope="row" colSpan={3}>
                  Trainable params
                </th>
                <td>{fmtInt(summary.trainableParams)}</td>
              </tr>
              <tr>
                <th scope="row" colSpan={3}>
                  Non-trainable params
                </th>
                <td>{fmtInt(summary.nonTrainableParams)}</td>
              </tr>
              <tr>
                <th scope="row" colSpan={3}>
                  Params size (MB, float32)
                </th>
                <td>{((summary.totalParams * 4) / 2 ** 20).toFixed(2)}</td>
              </tr>
            </tfoot>
          </table>
        </div>
      ) : null}
    </VizFrame>
  );
}
