#!/usr/bin/env node
// `npm start`: serves the docs site (docs/, a Vite app with live examples) on 127.0.0.1 with HMR,
// running react-nn from src/ so that library edits show up at once.
//
// Vite's own CLI file (node_modules/vite/bin/vite.js) runs inside this process — not `npx vite`,
// which spawns a child — so the server is this PID and stops with it. Once Vite listens, one line
// gives the address: `react-nn docs: http://127.0.0.1:PORT/`.
// Arguments pass through to Vite: `npm start -- --port 8080 --strictPort`. PORT also sets the port.
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const vite = fileURLToPath(new URL('../node_modules/vite/bin/vite.js', import.meta.url));

process.chdir(root);
const extra = process.argv.slice(2);
const port = extra.includes('--port') ? [] : ['--port', process.env.PORT ?? '5173'];
process.argv = [
  process.argv[0],
  vite,
  'docs',
  '--config',
  'docs/vite.config.ts',
  '--host',
  '127.0.0.1',
  ...port,
  ...extra,
];

// Watch Vite's banner for the address it actually bound (the next port when 5173 is taken).
const write = process.stdout.write.bind(process.stdout);
let announced = false;
process.stdout.write = (chunk, ...rest) => {
  const result = write(chunk, ...rest);
  if (!announced) {
    // biome-ignore lint/suspicious/noControlCharactersInRegex: strips the terminal colours around the port.
    const plain = String(chunk).replace(/\u001b\[[0-9;]*m/g, '');
    const found = /http:\/\/127\.0\.0\.1:(\d+)\//.exec(plain);
    if (found) {
      announced = true;
      write(`\nreact-nn docs: http://127.0.0.1:${found[1]}/\n\n`);
    }
  }
  return result;
};

await import(vite);
