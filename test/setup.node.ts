// Setup for the `node` Vitest project: tfjs on its CPU backend (no tfjs-node, no GPU in Node tests).
import * as tf from '@tensorflow/tfjs';

// tfjs' CPU backend prints a "Hi, looks like you are running TensorFlow.js in Node.js ... install
// tfjs-node" banner on its first tensor. We use the pure-JS backend on purpose: drop that one message.
const warn = console.warn;
console.warn = (...args: unknown[]) => {
  if (typeof args[0] === 'string' && args[0].includes('tfjs-node')) return;
  warn(...args);
};

await tf.setBackend('cpu');
await tf.ready();
