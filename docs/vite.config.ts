import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { typedocApi } from './src/api/typedocPlugin.ts';

// The docs site. `npm start` serves it (scripts/start.mjs), `npm run build:docs` writes docs/dist,
// and test/e2e starts it with Vite's createServer. It runs react-nn from its TypeScript source,
// so an edit under src/ shows up here at once.
const repo = fileURLToPath(new URL('..', import.meta.url));

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  plugins: [react(), typedocApi({ repo })],
  resolve: {
    alias: [
      { find: /^react-nn$/, replacement: `${repo}src/index.ts` },
      { find: /^react-nn\/core$/, replacement: `${repo}src/core.ts` },
    ],
  },
  // Its own cache, so the docs server and Vitest's browser projects never optimise into the same folder.
  cacheDir: `${repo}node_modules/.vite/docs`,
  // Pre-bundle the heavy dependencies up front: a dependency discovered mid-session makes Vite reload the page.
  optimizeDeps: {
    entries: ['index.html'],
    include: [
      '@tensorflow/tfjs',
      // Imported on demand by react-nn: the WebGPU backend when there is an adapter, MNIST's data, the graph layout.
      '@tensorflow/tfjs-backend-webgpu',
      'mnist',
      'elkjs/lib/elk.bundled.js',
      'elkjs/lib/elk-api',
      'uplot',
      'react',
      'react/jsx-runtime',
      'react/jsx-dev-runtime',
      'react-dom',
      'react-dom/client',
      'react-reconciler',
      'react-reconciler/constants.js',
      'its-fine',
      'react-live',
      'sucrase',
    ],
  },
  server: { host: '127.0.0.1', fs: { allow: [repo] } },
  preview: { host: '127.0.0.1' },
  // MNIST's data is one 20 MB chunk, loaded only when the CNN guide asks for it.
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 25_000 },
});
