// `node scripts/dts-extensions.mjs [dir]` (the last step of `npm run build`): gives every relative import in the
// emitted .d.ts files its file name — `'./runtime/net'` → `'./runtime/net.js'`, `'./react/index'` stays a file,
// a folder becomes `'./x/index.js'`. src/ imports without extensions (moduleResolution Bundler), and tsc copies
// specifiers as written; consumers on `moduleResolution: node16`/`nodenext` need the extension (react-nn is
// `"type": "module"`), while `bundler` accepts both. TypeScript's `rewriteRelativeImportExtensions` only rewrites
// specifiers that already end in `.ts`, so it cannot do this.
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

const root = resolve(process.argv[2] ?? 'dist');

/** Every .d.ts file under dir. */
function* declarations(dir) {
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) yield* declarations(path);
    else if (entry.endsWith('.d.ts')) yield path;
  }
}

// `from './x'`, `import('./x')`, `import './x'` — with either quote; also `'.'` and `'..'` (a folder's index).
const SPECIFIER = /(\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)(['"])(\.{1,2}(?:\/[^'"]*)?)\2/g;

let files = 0;
let rewritten = 0;
for (const file of declarations(root)) {
  const text = readFileSync(file, 'utf8');
  const here = dirname(file);
  const out = text.replace(SPECIFIER, (match, lead, quote, spec) => {
    if (/\.(m|c)?js$/.test(spec)) return match;
    const target = resolve(here, spec);
    let fixed;
    const folder = /(^|\/)\.{0,2}\/?$/.test(spec); // '.', '..', './', 'x/'
    if (!folder && existsSync(`${target}.d.ts`)) fixed = `${spec}.js`;
    else if (existsSync(join(target, 'index.d.ts'))) fixed = `${spec.replace(/\/$/, '')}/index.js`;
    else throw new Error(`${file}: cannot resolve ${spec} to a .d.ts file`);
    rewritten++;
    return `${lead}${quote}${fixed}${quote}`;
  });
  files++;
  if (out !== text) writeFileSync(file, out);
}
console.log(`dts-extensions: ${rewritten} relative imports in ${files} .d.ts files now name their .js file`);
