/**
 * The JSX panel's two directions, both pure: `toJSX(state)` prints the `<Model><Sequential>`
 * the page trains, and `parseJSX(text, state)` reads an edited text back into the state fields
 * it decides (network shape, activation, extra layer, init, problem). One table maps state
 * values to layer elements and back, so the two directions cannot disagree.
 */
import { ReactNNError } from '../errors';
import {
  type Activation,
  activeFeatures,
  type Extra,
  MAX_LAYERS,
  MAX_NEURONS,
  type PlaygroundState,
  type Problem,
} from './state';

const PATH = 'Playground > JSX';

/** Activation → its react-nn element ('linear' is no element at all). */
export const ACTIVATION_ELEMENTS: Record<Activation, string | null> = {
  relu: 'ReLU',
  tanh: 'Tanh',
  sigmoid: 'Sigmoid',
  linear: null,
  leakyRelu: 'LeakyReLU',
  gelu: 'GELU',
  elu: 'ELU',
};

const EXTRA_ELEMENTS: Record<Exclude<Extra, 'none'>, string> = { dropout: 'Dropout', batchNorm: 'BatchNorm1d' };

/** The fields of the state that the JSX decides. */
export type JsxFields = Pick<
  PlaygroundState,
  'networkShape' | 'activation' | 'extra' | 'dropout' | 'initZero' | 'problem'
>;

/** The JSX for the state's network, as the panel shows it. */
export function toJSX(state: PlaygroundState): string {
  const init = state.initZero ? ' weightInit="zeros"' : '';
  const act = ACTIVATION_ELEMENTS[state.activation];
  const lines: string[] = [];
  for (const units of state.networkShape) {
    lines.push(`<Linear outFeatures={${units}}${init} />`);
    if (act) lines.push(`<${act} />`);
    if (state.extra === 'dropout') lines.push(`<Dropout p={${state.dropout}} />`);
    if (state.extra === 'batchNorm') lines.push('<BatchNorm1d />');
  }
  lines.push(`<Linear outFeatures={1}${init} />`);
  if (state.problem === 'classification') lines.push('<Tanh />');
  const inputs = activeFeatures(state).length;
  return [
    `<Model inputShape={[${inputs}]}>`,
    '  <Sequential>',
    ...lines.map((l) => `    ${l}`),
    '  </Sequential>',
    '</Model>',
  ].join('\n');
}

/** A parsed element: its type, its props (numbers, strings, booleans, number arrays) and children. */
export interface JsxElement {
  type: string;
  props: Record<string, number | string | boolean | number[]>;
  children: JsxElement[];
}

export type ParseResult = { ok: true; fields: JsxFields } | { ok: false; error: ReactNNError };

/** Reads edited JSX into the fields it decides; anything the Playground cannot show is an error naming the fix. */
export function parseJSX(text: string, state: PlaygroundState): ParseResult {
  try {
    const root = parseElement(text);
    return { ok: true, fields: interpret(root, state) };
  } catch (e) {
    if (e instanceof ReactNNError) return { ok: false, error: e };
    throw e;
  }
}

function fail(message: string): never {
  throw new ReactNNError('structure', PATH, message);
}

function interpret(root: JsxElement, state: PlaygroundState): JsxFields {
  let seq = root;
  if (root.type === 'Model') {
    const shape = root.props.inputShape;
    const inputs = activeFeatures(state).length;
    if (shape !== undefined && !(Array.isArray(shape) && shape.length === 1 && shape[0] === inputs)) {
      fail(`inputShape follows the feature toggles (now [${inputs}]); turn features on or off instead`);
    }
    if (root.children.length !== 1) fail('<Model> must hold exactly one <Sequential>');
    seq = root.children[0] as JsxElement;
  }
  if (seq.type !== 'Sequential') fail(`expected <Sequential> (got <${seq.type}>)`);
  const groups: JsxElement[][] = [];
  for (const child of seq.children) {
    if (child.children.length > 0) fail(`<${child.type}> cannot hold children here`);
    if (child.type === 'Linear') groups.push([child]);
    else if (groups.length === 0) fail(`<Sequential> must start with <Linear> (got <${child.type}>)`);
    else groups.at(-1)?.push(child);
  }
  const output = groups.pop();
  if (!output) fail('<Sequential> needs at least the output <Linear outFeatures={1} />');
  const outLinear = output[0] as JsxElement;
  if (outLinear.props.outFeatures !== 1) fail('the last <Linear> is the output: give it outFeatures={1}');
  const outRest = output.slice(1).map((e) => e.type);
  let problem: Problem;
  if (outRest.length === 0) problem = 'regression';
  else if (outRest.length === 1 && outRest[0] === 'Tanh') problem = 'classification';
  else fail('after the output <Linear> put <Tanh /> (classification, labels ±1) or nothing (regression)');
  if (groups.length > MAX_LAYERS) fail(`at most ${MAX_LAYERS} hidden layers (got ${groups.length})`);

  const linears = [...groups.map((g) => g[0] as JsxElement), outLinear];
  const inits = new Set(linears.map((l) => l.props.weightInit ?? 'default'));
  if (inits.size > 1) fail('give every <Linear> the same weightInit (all "zeros" or none)');
  const init = [...inits][0];
  if (init !== 'default' && init !== 'zeros') fail(`weightInit may be "zeros" or left out here (got ${String(init)})`);

  const networkShape: number[] = [];
  const kinds = new Set<string>();
  for (const [i, group] of groups.entries()) {
    const units = (group[0] as JsxElement).props.outFeatures;
    if (typeof units !== 'number' || !Number.isInteger(units) || units < 1 || units > MAX_NEURONS) {
      fail(`hidden <Linear> ${i + 1} needs outFeatures={1…${MAX_NEURONS}} (got ${String(units)})`);
    }
    networkShape.push(units);
    kinds.add(JSON.stringify(readGroup(group.slice(1), i)));
  }
  if (kinds.size > 1) {
    fail('every hidden layer needs the same layers after its <Linear> (one activation and extra for all)');
  }
  const kind = kinds.size ? (JSON.parse([...kinds][0] as string) as GroupKind) : null;
  return {
    networkShape,
    activation: kind?.activation ?? state.activation,
    extra: kind?.extra ?? state.extra,
    dropout: kind?.dropout ?? state.dropout,
    initZero: init === 'zeros',
    problem,
  };
}

interface GroupKind {
  activation: Activation;
  extra: Extra;
  dropout?: number;
}

/** What follows a hidden Linear: an optional activation, then an optional Dropout or BatchNorm1d. */
function readGroup(rest: JsxElement[], index: number): GroupKind {
  const kind: GroupKind = { activation: 'linear', extra: 'none' };
  let i = 0;
  const act = (Object.entries(ACTIVATION_ELEMENTS) as [Activation, string | null][]).find(
    ([, el]) => el === rest[0]?.type,
  );
  if (act) {
    kind.activation = act[0];
    i = 1;
  }
  const extra = rest[i];
  if (extra?.type === EXTRA_ELEMENTS.dropout) {
    const p = extra.props.p ?? 0.5;
    if (typeof p !== 'number' || !(p >= 0 && p <= 0.9)) fail(`<Dropout p> must be a number in 0–0.9 (got ${p})`);
    kind.extra = 'dropout';
    kind.dropout = p;
    i++;
  } else if (extra?.type === EXTRA_ELEMENTS.batchNorm) {
    kind.extra = 'batchNorm';
    i++;
  }
  if (i < rest.length) {
    const allowed = [...Object.values(ACTIVATION_ELEMENTS).filter(Boolean), ...Object.values(EXTRA_ELEMENTS)];
    fail(
      `hidden layer ${index + 1}: <${rest[i]?.type}> is not allowed here; after a <Linear> put one of ` +
        `${allowed.map((a) => `<${a} />`).join(', ')} (activation first, then Dropout or BatchNorm1d)`,
    );
  }
  return kind;
}

// ---- A tokenizer for the subset of JSX the panel shows: elements, and props of literal values.

/** Parses one JSX element (with nested elements); throws a ReactNNError pointing at the bad spot. */
export function parseElement(text: string): JsxElement {
  let i = 0;
  const s = text;
  const where = () => {
    const before = s.slice(0, i);
    return `line ${before.split('\n').length}, column ${i - before.lastIndexOf('\n')}`;
  };
  const skip = () => {
    for (;;) {
      while (i < s.length && /\s/.test(s[i] as string)) i++;
      if (s.startsWith('{/*', i)) {
        const end = s.indexOf('*/}', i);
        if (end < 0) fail(`unclosed comment at ${where()}`);
        i = end + 3;
      } else return;
    }
  };
  const name = () => {
    const m = /^[A-Za-z][\w.]*/.exec(s.slice(i));
    if (!m) fail(`expected a name at ${where()} (got ${JSON.stringify(s.slice(i, i + 10))})`);
    i += m[0].length;
    return m[0];
  };
  const literal = (raw: string): number | string | boolean | number[] => {
    const t = raw.trim();
    if (/^-?(\d+\.?\d*|\.\d+)(e-?\d+)?$/i.test(t)) return Number(t);
    if (t === 'true' || t === 'false') return t === 'true';
    if (/^(["']).*\1$/.test(t)) return t.slice(1, -1);
    if (/^\[.*\]$/.test(t)) {
      const items = t.slice(1, -1).trim();
      const parts = items === '' ? [] : items.split(',').map((p) => Number(p.trim()));
      if (parts.every(Number.isFinite)) return parts;
    }
    return fail(`only numbers, strings, true/false and number arrays are allowed as props (got {${t}})`);
  };
  const element = (): JsxElement => {
    skip();
    if (s[i] !== '<') fail(`expected "<" at ${where()}`);
    i++;
    const type = name();
    const props: JsxElement['props'] = {};
    for (;;) {
      skip();
      if (s.startsWith('/>', i)) {
        i += 2;
        return { type, props, children: [] };
      }
      if (s[i] === '>') {
        i++;
        break;
      }
      const key = name();
      skip();
      if (s[i] !== '=') {
        props[key] = true;
        continue;
      }
      i++;
      skip();
      if (s[i] === '"' || s[i] === "'") {
        const end = s.indexOf(s[i] as string, i + 1);
        if (end < 0) fail(`unclosed string at ${where()}`);
        props[key] = s.slice(i + 1, end);
        i = end + 1;
      } else if (s[i] === '{') {
        const end = s.indexOf('}', i);
        if (end < 0) fail(`unclosed { at ${where()}`);
        props[key] = literal(s.slice(i + 1, end));
        i = end + 1;
      } else fail(`expected a value for ${key} at ${where()}`);
    }
    const children: JsxElement[] = [];
    for (;;) {
      skip();
      if (s.startsWith('</', i)) {
        i += 2;
        const closing = name();
        if (closing !== type) fail(`</${closing}> closes <${type}> at ${where()}`);
        skip();
        if (s[i] !== '>') fail(`expected ">" at ${where()}`);
        i++;
        return { type, props, children };
      }
      if (i >= s.length) fail(`<${type}> is never closed`);
      children.push(element());
    }
  };
  const root = element();
  skip();
  if (i < s.length) fail(`unexpected text after the last element at ${where()}`);
  return root;
}
