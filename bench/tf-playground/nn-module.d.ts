// The part of TF Playground's nn.ts (vendored verbatim beside this file) that the Playground bench uses.
declare module 'tf-playground-nn' {
  export interface ActivationFunction {
    output(input: number): number;
    der(input: number): number;
  }
  export interface ErrorFunction {
    error(output: number, target: number): number;
    der(output: number, target: number): number;
  }
  export interface RegularizationFunction {
    output(weight: number): number;
    der(weight: number): number;
  }
  export class Node {
    output: number;
  }
  export const Activations: { TANH: ActivationFunction; RELU: ActivationFunction; SIGMOID: ActivationFunction };
  export const Errors: { SQUARE: ErrorFunction };
  export function buildNetwork(
    networkShape: number[],
    activation: ActivationFunction,
    outputActivation: ActivationFunction,
    regularization: RegularizationFunction | null,
    inputIds: string[],
    initZero?: boolean,
  ): Node[][];
  export function forwardProp(network: Node[][], inputs: number[]): number;
  export function backProp(network: Node[][], target: number, errorFunc: ErrorFunction): void;
  export function updateWeights(network: Node[][], learningRate: number, regularizationRate: number): void;
}
