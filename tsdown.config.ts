import { defineConfig } from 'tsdown';
import pkg from './package.json' with { type: 'json' };

// The library build: `npm run build` → dist/index.js + index.d.ts (react-nn) and dist/core.js + core.d.ts
// (react-nn/core, no React). ESM only, platform neutral: the headless API must import in plain Node 20
// and in browsers and bundlers alike.
//
// tsdown 0.23 wants Node ≥ 22.18 (a TS config loader, Promise.withResolvers); the `build` script in
// package.json loads this file through Vite and polyfills Promise.withResolvers, so it runs on Node 20 too.

/** Packages the output may import: what users install next to react-nn. */
const allowedImports: (string | RegExp)[] = [
  ...Object.keys(pkg.dependencies ?? {}),
  ...Object.keys(pkg.peerDependencies ?? {}),
  ...Object.keys((pkg as { optionalDependencies?: Record<string, string> }).optionalDependencies ?? {}),
  // tfjs' own packages (tfjs-core, tfjs-layers, backends) come with the `@tensorflow/tfjs` peer dependency.
  /^@tensorflow\//,
];

export default defineConfig({
  entry: ['src/index.ts', 'src/core.ts'],
  outDir: 'dist',
  format: 'esm',
  platform: 'neutral',
  dts: true,
  sourcemap: true,
  // The .d.ts pass (tsc) dominates the build time; rolldown's note saying so is noise.
  checks: { bundlerTimings: false },
  deps: {
    // Bundle nothing from node_modules: every package import stays an import, subpaths included
    // (`react/jsx-runtime`, `@tensorflow/tfjs-core/dist/engine`).
    neverBundle: true,
    // `@tensorflow/tfjs-core/dist/engine` → `…/engine.js`: plain Node ESM needs the file name for packages
    // without an `exports` map.
    resolveDepSubpath: true,
    // Fail the build when src/ imports a package that package.json does not declare.
    onlyImport: allowedImports,
  },
});
