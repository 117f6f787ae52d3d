import { build } from 'vite';
await build({ configFile: false, root: '/work/main', logLevel: 'warn', envDir: false, publicDir: false,
  build: { ssr: process.argv[2], outDir: '/work/main/bench/dist/tmp', emptyOutDir: true, target: 'node20', minify: false, rolldownOptions: { output: { entryFileNames: '[name].mjs' } } } });
