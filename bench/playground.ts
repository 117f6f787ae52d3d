// A per-neuron network written the way TF Playground's nn.ts is (github.com/tensorflow/playground): a Node
// object per neuron, a Link object per weight, one example at a time, derivatives accumulated per batch.
// tanh everywhere (output too), squared error. The baseline the fused-cpu engine is measured against.

class Link {
  weight: number;
  errorDer = 0;
  accErrorDer = 0;
  numAccumulatedDers = 0;
  constructor(
    readonly source: Neuron,
    readonly dest: Neuron,
    rand: () => number,
  ) {
    this.weight = rand() - 0.5;
  }
}

class Neuron {
  inputLinks: Link[] = [];
  outputs: Link[] = [];
  bias = 0.1;
  totalInput = 0;
  output = 0;
  outputDer = 0;
  inputDer = 0;
  accInputDer = 0;
  numAccumulatedDers = 0;

  updateOutput(): number {
    this.totalInput = this.bias;
    for (const l of this.inputLinks) this.totalInput += l.weight * l.source.output;
    this.output = Math.tanh(this.totalInput);
    return this.output;
  }
}

export class Playground {
  readonly layers: Neuron[][];

  constructor(shape: number[], seed: number) {
    let s = seed;
    const rand = () => {
      s = (s * 16807) % 2147483647;
      return s / 2147483647;
    };
    this.layers = shape.map((n) => Array.from({ length: n }, () => new Neuron()));
    for (let i = 1; i < this.layers.length; i++) {
      for (const dest of this.layers[i] as Neuron[]) {
        for (const source of this.layers[i - 1] as Neuron[]) {
          const link = new Link(source, dest, rand);
          source.outputs.push(link);
          dest.inputLinks.push(link);
        }
      }
    }
  }

  forward(inputs: number[]): number {
    const first = this.layers[0] as Neuron[];
    first.forEach((node, i) => {
      node.output = inputs[i] as number;
    });
    for (let i = 1; i < this.layers.length; i++) for (const node of this.layers[i] as Neuron[]) node.updateOutput();
    return ((this.layers.at(-1) as Neuron[])[0] as Neuron).output;
  }

  backward(target: number): void {
    const out = (this.layers.at(-1) as Neuron[])[0] as Neuron;
    out.outputDer = out.output - target;
    for (let i = this.layers.length - 1; i >= 1; i--) {
      const layer = this.layers[i] as Neuron[];
      for (const node of layer) {
        node.inputDer = node.outputDer * (1 - node.output * node.output);
        node.accInputDer += node.inputDer;
        node.numAccumulatedDers++;
      }
      for (const node of layer) {
        for (const link of node.inputLinks) {
          link.errorDer = node.inputDer * link.source.output;
          link.accErrorDer += link.errorDer;
          link.numAccumulatedDers++;
        }
      }
      if (i === 1) continue;
      for (const node of this.layers[i - 1] as Neuron[]) {
        node.outputDer = 0;
        for (const link of node.outputs) node.outputDer += link.weight * link.dest.inputDer;
      }
    }
  }

  update(lr: number): void {
    for (let i = 1; i < this.layers.length; i++) {
      for (const node of this.layers[i] as Neuron[]) {
        if (node.numAccumulatedDers > 0) {
          node.bias -= (lr * node.accInputDer) / node.numAccumulatedDers;
          node.accInputDer = 0;
          node.numAccumulatedDers = 0;
        }
        for (const link of node.inputLinks) {
          if (link.numAccumulatedDers > 0) {
            link.weight -= (lr / link.numAccumulatedDers) * link.accErrorDer;
            link.accErrorDer = 0;
            link.numAccumulatedDers = 0;
          }
        }
      }
    }
  }
}
