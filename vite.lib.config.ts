import { readFileSync } from 'node:fs';
import { defineConfig, type Plugin } from 'vite';
import pkg from './package.json' with { type: 'json' };

// The library build's JavaScript: `npm run build` → dist/index.js (react-nn) and dist/core.js (react-nn/core),
// one output file per source module (dist/runtime/net.js…), ESM only, platform neutral: the headless API must
// import in plain Node 20 as well as in browsers and bundlers. The .d.ts files come next, from `tsc -p
// tsconfig.build.json` and scripts/dts-extensions.mjs (the `build` script in package.json). Plus dist/theme.css.

/** Packages users install next to react-nn: imported, never bundled (subpaths too, e.g. `react/jsx-runtime`). */
const packages = [
  ...Object.keys(pkg.dependencies ?? {}),
  ...Object.keys(pkg.peerDependencies ?? {}),
  ...Object.keys((pkg as { optionalDependencies?: Record<string, string> }).optionalDependencies ?? {}),
  // react-dom goes with the `react` peer (users render <Model> with it); tfjs' own packages (tfjs-core,
  // tfjs-layers, backends) come with the `@tensorflow/tfjs` peer.
  'react-dom',
];
const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const external = [
  new RegExp(`^(${packages.map(escapeRegExp).join('|')})(/.*)?$`),
  /^@tensorflow\//,
  // Node built-ins, should a module ever use one behind a feature check.
  /^node:/,
];

/**
 * Fails the build when a module from node_modules ended up inside dist/ — a package that src/ imports but
 * package.json does not list as a dependency or peer (say, a devDependency) would otherwise be bundled silently.
 */
const onlyDeclaredPackages: Plugin = {
  name: 'react-nn:only-declared-packages',
  generateBundle(_options, bundle) {
    for (const file of Object.values(bundle)) {
      const bundled = file.type === 'chunk' ? file.moduleIds.filter((id) => id.includes('/node_modules/')) : [];
      if (bundled.length > 0) {
        this.error(
          `${file.fileName} bundles ${bundled.join(', ')} — add the package to dependencies or peerDependencies in package.json`,
        );
      }
    }
  },
};

/**
 * Copies src/viz/theme.css to dist/theme.css, exported as `react-nn/theme.css`. No module imports it — the viz
 * components read the CSS variables it defines and fall back to the light theme without it — so the app imports it
 * once, and the build would otherwise never see it. Copied as is: consumers' bundlers minify. Next to it an empty
 * declaration, the export's "types": TypeScript checks side-effect imports (noUncheckedSideEffectImports, on by
 * default in TypeScript 6) and would not resolve a bare .css file for consumers without a `*.css` declaration.
 */
const themeCss: Plugin = {
  name: 'react-nn:theme-css',
  generateBundle() {
    const source = readFileSync(new URL('./src/viz/theme.css', import.meta.url), 'utf8');
    this.emitFile({ type: 'asset', fileName: 'theme.css', source });
    this.emitFile({
      type: 'asset',
      fileName: 'theme.css.d.ts',
      source:
        "// The viz components' stylesheet (CSS variables, light and dark): `import 'react-nn/theme.css'`.\nexport {};\n",
    });
  },
};

export default defineConfig({
  plugins: [onlyDeclaredPackages, themeCss],
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
