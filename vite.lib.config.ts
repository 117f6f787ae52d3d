import { defineConfig } from 'vite';
import pkg from './package.json' with { type: 'json' };

// The library build's JavaScript: `npm run build` → dist/index.js (react-nn) and dist/core.js (react-nn/core),
// one output file per source module (dist/runtime/net.js…), ESM only, platform neutral: the headless API must
// import in plain Node 20 as well as in browsers and bundlers. The .d.ts files come from `tsc -p
// tsconfig.build.json` (see scripts/build.mjs).

/** Packages users install next to react-nn: imported, never bundled (subpaths too, e.g. `react/jsx-runtime`). */
const packages = [
  ...Object.keys(pkg.dependencies ?? {}),
  ...Object.keys(pkg.peerDependencies ?? {}),
  ...Object.keys((pkg as { optionalDependencies?: Record<string, string> }).optionalDependencies ?? {}),
  // react-dom and react-reconciler come with the `react` peer; tfjs' own packages with `@tensorflow/tfjs`.
  'react-dom',
];
const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const external = [
  new RegExp(`^(${packages.map(escapeRegExp).join('|')})(/.*)?$`),
  /^@tensorflow\//,
  // Node built-ins, should a module ever use one behind a feature check.
  /^node:/,
];

export default defineConfig({
  // A library build reads no public/ folder and no .env files.
  publicDir: false,
  envDir: false,
  logLevel: 'warn',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // Consumers minify; readable output keeps `/* @__PURE__ */` annotations and stack traces.
    minify: false,
    sourcemap: true,
    copyPublicDir: false,
    reportCompressedSize: false,
    lib: {
      entry: { index: 'src/index.ts', core: 'src/core.ts' },
      formats: ['es'],
    },
    rolldownOptions: {
      external,
      output: {
        // One file per module, mirroring src/: dist/index.js, dist/core.js, dist/runtime/net.js…
        preserveModules: true,
        preserveModulesRoot: 'src',
        entryFileNames: '[name].js',
      },
    },
  },
});
