// Placeholder entry of the `react-nn` package (dist/index.js), so `npm run build` works from the start.
// The core engineer replaces it with the public API (layers, <Model>, hooks, renderModel, training, data).
export {};
