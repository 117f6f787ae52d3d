import { createServer as createNetServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium } from 'playwright';
import { createServer, type ViteDevServer } from 'vite';

/** The docs dev server and a headless Chromium, for end-to-end tests. */
export interface DocsSession {
  url: string;
  browser: Browser;
  close(): Promise<void>;
}

const CONFIG = fileURLToPath(new URL('../../docs/vite.config.ts', import.meta.url));
const CACHE = fileURLToPath(new URL('../../node_modules/.vite/docs-e2e', import.meta.url));

/**
 * Starts the docs site with Vite's createServer on 127.0.0.1 and a free port — the same
 * config `npm start` uses — and launches Debian's Chromium. File watching and HMR are off,
 * so work going on elsewhere in the repository cannot reload a page mid-test.
 */
export async function startDocs(): Promise<DocsSession> {
  const port = await freePort();
  const server: ViteDevServer = await createServer({
    configFile: CONFIG,
    cacheDir: CACHE,
    logLevel: 'warn',
    clearScreen: false,
    server: { host: '127.0.0.1', port, strictPort: true, hmr: false, watch: null },
  });
  let browser: Browser | null = null;
  try {
    await server.listen();
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
  } catch (e) {
    await server.close();
    throw e;
  }
  const opened = browser;
  return {
    url: `http://127.0.0.1:${port}/`,
    browser: opened,
    async close() {
      await opened.close();
      await server.close();
    },
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createNetServer();
    probe.unref();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}
