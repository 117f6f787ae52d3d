import { storybookTest } from '@storybook/addon-vitest/vitest-plugin';
import react from '@vitejs/plugin-react';
import { playwright } from '@vitest/browser-playwright';
import { defaultExclude, defineConfig } from 'vitest/config';

// One config, one project per place tests run. `npm test` (scripts/test.sh) runs every project;
// `npx vitest run --project node|browser` runs one.

/** Tests that need a real browser (WebGPU, WebGL, DOM layout) are named `*.browser.test.ts(x)`. */
const BROWSER_TESTS = ['src/**/*.browser.test.{ts,tsx}', 'test/**/*.browser.test.{ts,tsx}'];

// Training tests run on tfjs' CPU backend on a 2-core machine: be generous.
const TEST_TIMEOUT = 120_000;

// WebGPU in Node (the `webgpu` package, Dawn) runs on SwiftShader through Debian's Vulkan loader.
// scripts/test.sh exports these too; here they also hold for a plain `npx vitest`.
const WEBGPU_ENV = {
  VK_ICD_FILENAMES: process.env.VK_ICD_FILENAMES ?? '/usr/lib/chromium/vk_swiftshader_icd.json',
  XDG_RUNTIME_DIR: process.env.XDG_RUNTIME_DIR ?? '/tmp',
};

/**
 * A FRESH browser config per project: sharing one object between projects fails with
 * "project name 'browser (chromium)' was already defined".
 * Debian's Chromium (apt-get install chromium) renders WebGPU on SwiftShader, a Vulkan CPU driver:
 * `adapter.info.isFallbackAdapter` is true there. Playwright's own browser download is not used.
 */
const browser = () => ({
  enabled: true,
  headless: true,
  instances: [{ browser: 'chromium' as const }],
  provider: playwright({
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      // Exact heap figures and gc() for the soak test's heap bound (performance.memory is coarse and cached otherwise).
      args: [
        '--enable-unsafe-webgpu',
        '--use-webgpu-adapter=swiftshader',
        '--no-sandbox',
        '--enable-precise-memory-info',
        '--js-flags=--expose-gc',
      ],
    },
  }),
});

export default defineConfig({
  plugins: [react()],
  // Pre-bundle the heavy browser deps up front, so Vite does not discover them mid-run and reload the page.
  optimizeDeps: {
    include: [
      '@tensorflow/tfjs',
      '@tensorflow/tfjs-backend-webgpu',
      'react',
      'react/jsx-runtime',
      'react/jsx-dev-runtime',
      'react-dom',
      'react-dom/client',
      'react-dom/server',
      'react-reconciler',
      'react-reconciler/constants.js',
      'its-fine',
      '@testing-library/react',
      'uplot',
      'elkjs/lib/elk.bundled.js',
    ],
  },
  test: {
    // Failure screenshots and other attachments go with this run's reports, git-ignored (default: .vitest-attachments).
    attachmentsDir: '.vitest-results/attachments',
    projects: [
      {
        extends: true,
        test: {
          name: 'node',
          environment: 'node',
          include: ['src/**/*.test.{ts,tsx}', 'test/**/*.test.{ts,tsx}'],
          exclude: [...defaultExclude, '**/*.browser.test.*'],
          setupFiles: ['./test/setup.node.ts'],
          env: WEBGPU_ENV,
          testTimeout: TEST_TIMEOUT,
          hookTimeout: TEST_TIMEOUT,
        },
      },
      {
        extends: true,
        test: {
          name: 'browser',
          include: BROWSER_TESTS,
          browser: browser(),
          testTimeout: TEST_TIMEOUT,
          hookTimeout: TEST_TIMEOUT,
        },
      },
      // e2e: the docs site end to end. Tests in Node start the docs dev server (Vite's createServer,
      // 127.0.0.1, a free port) and drive Debian's Chromium with Playwright (test/e2e/docsServer.ts).
      {
        test: {
          name: 'e2e',
          environment: 'node',
          include: ['test/e2e/**/*.e2e.ts'],
          // One file at a time: each starts its own docs server and Chromium, and typing into the live editors
          // while other files train on the same 2 cores scrambles keystrokes.
          fileParallelism: false,
          testTimeout: 600_000,
          hookTimeout: TEST_TIMEOUT,
        },
      },
      // storybook: every story in stories/ as a test in Chromium (render + play function).
      {
        extends: true,
        plugins: [storybookTest({ configDir: '.storybook' })],
        test: { name: 'storybook', browser: browser(), testTimeout: TEST_TIMEOUT, hookTimeout: TEST_TIMEOUT },
      },
    ],
  },
});
