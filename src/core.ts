// Placeholder entry of `react-nn/core` (dist/core.js): the React-free core, usable in plain Node.
// The core engineer replaces it with the headless API (graph, layers, runtime, training, data).
export {};
