import { fileURLToPath } from 'node:url';
import type { StorybookConfig } from '@storybook/react-vite';

// Storybook runs react-nn from its TypeScript source, like the docs site (docs/vite.config.ts).
const repo = fileURLToPath(new URL('..', import.meta.url));

const config: StorybookConfig = {
  // MDX pages (stories/docs) are docs only: the Vitest addon skips them.
  stories: ['../stories/**/*.mdx', '../stories/**/*.stories.@(ts|tsx)'],
  addons: ['@storybook/addon-docs', '@storybook/addon-vitest'],
  framework: { name: '@storybook/react-vite', options: {} },
  core: { disableTelemetry: true },
  async viteFinal(config) {
    const { mergeConfig } = await import('vite');
    return mergeConfig(config, {
      resolve: {
        alias: [
          { find: /^react-nn$/, replacement: `${repo}src/index.ts` },
          { find: /^react-nn\/core$/, replacement: `${repo}src/core.ts` },
        ],
      },
      // Pre-bundle the heavy dependencies: one discovered mid-run makes Vite reload the page.
      optimizeDeps: {
        include: [
          '@tensorflow/tfjs',
          '@tensorflow/tfjs-backend-webgpu',
          'elkjs/lib/elk.bundled.js',
          'elkjs/lib/elk-api',
          'uplot',
          'react-reconciler',
          'react-reconciler/constants.js',
          'its-fine',
        ],
      },
      // MNIST's data is one large chunk, loaded only on demand.
      build: { chunkSizeWarningLimit: 25_000 },
    });
  },
};

export default config;
