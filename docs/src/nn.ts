/**
 * The docs' one import of react-nn: its TypeScript source, so an edit under src/ shows up
 * live. (vite.config.ts also aliases the package name `react-nn` to the same file; this
 * relative path is what `tsc` can resolve on a fresh clone, before `npm run build` made dist/.)
 */
export * from '../../src/index';
