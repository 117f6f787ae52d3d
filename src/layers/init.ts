import * as tf from '@tensorflow/tfjs';
import type { InitFunction, InitSpec } from './props';

/** A tfjs initialiser (tfjs-layers does not export the class type). */
export type Initializer = ReturnType<typeof tf.initializers.zeros>;

export interface Fans {
  fanIn: number;
  fanOut: number;
}

/**
 * Maps react-nn's PyTorch-named initialisers onto seeded tfjs ones, computing bounds
 * from the fans ourselves: tfjs' glorotNormal/heNormal draw from a *truncated* normal,
 * PyTorch's xavier_normal_/kaiming_normal_ do not.
 */
export function resolveInit(spec: InitSpec | undefined, fans: Fans, seed: number): Initializer {
  const fanIn = Math.max(1, fans.fanIn);
  const fanOut = Math.max(1, fans.fanOut);
  if (spec === undefined) {
    // nn.Linear / nn.Conv2d default: kaiming_uniform_(a=√5) for weights and U(±1/√fanIn) for
    // biases — both come out as U(−1/√fanIn, 1/√fanIn).
    const bound = 1 / Math.sqrt(fanIn);
    return tf.initializers.randomUniform({ minval: -bound, maxval: bound, seed });
  }
  if (typeof spec === 'number') return tf.initializers.constant({ value: spec });
  if (typeof spec === 'function') return functionInitializer(spec, fans);
  switch (spec) {
    case 'zeros':
      return tf.initializers.zeros();
    case 'ones':
      return tf.initializers.ones();
    case 'xavierUniform': {
      const bound = Math.sqrt(6 / (fanIn + fanOut));
      return tf.initializers.randomUniform({ minval: -bound, maxval: bound, seed });
    }
    case 'xavierNormal':
      return tf.initializers.randomNormal({ mean: 0, stddev: Math.sqrt(2 / (fanIn + fanOut)), seed });
    case 'heUniform': {
      // kaiming_uniform_(nonlinearity='relu'): gain √2, bound = gain·√(3/fanIn).
      const bound = Math.sqrt(6 / fanIn);
      return tf.initializers.randomUniform({ minval: -bound, maxval: bound, seed });
    }
    case 'heNormal':
      return tf.initializers.randomNormal({ mean: 0, stddev: Math.sqrt(2 / fanIn), seed });
    case 'uniform':
      return tf.initializers.randomUniform({ minval: 0, maxval: 1, seed });
    case 'normal':
      return tf.initializers.randomNormal({ mean: 0, stddev: 1, seed });
    case 'orthogonal':
      return tf.initializers.orthogonal({ gain: 1, seed });
  }
}

type InitializerClass = new () => Initializer & { apply(shape: number[], dtype?: tf.DataType): tf.Tensor };

// tfjs-layers keeps its Initializer base class private; reach it through an instance so a
// user's function can act as a real initialiser inside tfjs layers.
const InitializerBase = Object.getPrototypeOf(tf.initializers.zeros().constructor) as InitializerClass;

class FunctionInitializer extends InitializerBase {
  static className = 'ReactNNFunctionInitializer';
  constructor(
    private readonly fn: InitFunction,
    private readonly fans: Fans,
  ) {
    super();
  }
  override apply(shape: number[]): tf.Tensor {
    const values = this.fn([...shape], this.fans);
    const size = shape.reduce((a, b) => a * b, 1);
    if (values.length !== size) {
      throw new Error(
        `initialiser function returned ${values.length} values for shape [${shape.join(', ')}] (needs ${size})`,
      );
    }
    return tf.tensor(Array.from(values), shape, 'float32');
  }
  override getConfig() {
    return {};
  }
}

function functionInitializer(fn: InitFunction, fans: Fans): Initializer {
  return new FunctionInitializer(fn, fans) as unknown as Initializer;
}
