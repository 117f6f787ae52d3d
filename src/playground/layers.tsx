import type { ReactElement } from 'react';
import { ELU, GELU, LeakyReLU, ReLU, Sigmoid, Tanh } from '../layers/activation';
import { Sequential } from '../layers/containers';
import { Dropout, Linear } from '../layers/core';
import { BatchNorm1d } from '../layers/norm';
import { ACTIVATION_ELEMENTS } from './jsx';
import type { PlaygroundState } from './state';

/** The components behind the names the JSX panel prints: one table, so the panel and the model agree. */
const COMPONENTS: Record<string, (props: Record<string, unknown>) => ReactElement | null> = {
  ReLU,
  Tanh,
  Sigmoid,
  LeakyReLU,
  GELU,
  ELU,
} as unknown as Record<string, (props: Record<string, unknown>) => ReactElement | null>;

/** The `<Sequential>` the page trains: exactly what `toJSX(state)` prints inside `<Model>`. */
export function NetworkLayers({ state }: { state: PlaygroundState }) {
  const name = ACTIVATION_ELEMENTS[state.activation];
  const Act = name ? COMPONENTS[name] : null;
  const init = state.initZero ? ('zeros' as const) : undefined;
  return (
    <Sequential>
      {state.networkShape.flatMap((units, i) => [
        // biome-ignore lint/suspicious/noArrayIndexKey: hidden layers are positional; layer i keeps its weights.
        <Linear key={`l${i}`} outFeatures={units} weightInit={init} />,
        // biome-ignore lint/suspicious/noArrayIndexKey: hidden layers are positional; layer i keeps its weights.
        Act ? <Act key={`a${i}`} /> : null,
        // biome-ignore lint/suspicious/noArrayIndexKey: hidden layers are positional; layer i keeps its weights.
        state.extra === 'dropout' ? <Dropout key={`d${i}`} p={state.dropout} /> : null,
        // biome-ignore lint/suspicious/noArrayIndexKey: hidden layers are positional; layer i keeps its weights.
        state.extra === 'batchNorm' ? <BatchNorm1d key={`b${i}`} /> : null,
      ])}
      <Linear key="out" outFeatures={1} weightInit={init} />
      {state.problem === 'classification' ? <Tanh key="outAct" /> : null}
    </Sequential>
  );
}
