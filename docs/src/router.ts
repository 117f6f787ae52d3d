import { useEffect, useSyncExternalStore } from 'react';

/**
 * Hash routing (`#/guides/optimizers`, `#/api/Linear`): the built site is plain static files,
 * so every page works from any static server or folder without rewrites.
 */
export interface Location {
  /** `/guides/optimizers`; `/` for the home page. */
  path: string;
  /** What follows the page path: `Linear` in `#/api/Linear`. */
  anchor: string | null;
}

const subscribe = (onChange: () => void) => {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
};
const getHash = () => window.location.hash;

export function parseHash(hash: string, pagePaths: readonly string[]): Location {
  // `?…` after the page path carries state for the page (a live example's share link), not a location.
  const raw = decodeURIComponent(hash.replace(/^#/, '').split('?')[0] ?? '') || '/';
  const full = raw.startsWith('/') ? raw : `/${raw}`;
  // The longest page path that prefixes the hash; the rest is an anchor inside that page.
  const page = [...pagePaths]
    .sort((a, b) => b.length - a.length)
    .find((p) => full === p || (p !== '/' && full.startsWith(`${p}/`)));
  if (!page) return { path: full, anchor: null };
  const anchor = full.slice(page.length + 1);
  return { path: page, anchor: anchor || null };
}

export function useLocation(pagePaths: readonly string[]): Location {
  const hash = useSyncExternalStore(subscribe, getHash, () => '');
  return parseHash(hash, pagePaths);
}

export function href(path: string, anchor?: string): string {
  return `#${path}${anchor ? `/${anchor}` : ''}`;
}

/** After navigating: scroll to the anchor's element (`id`), or to the top and focus the page heading. */
export function useScrollOnNavigate(location: Location, ready: boolean) {
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new page (path) is the trigger, as is a new anchor.
  useEffect(() => {
    if (!ready) return;
    const target = location.anchor ? document.getElementById(location.anchor) : null;
    if (target) {
      target.scrollIntoView();
      return;
    }
    window.scrollTo(0, 0);
    const heading = document.querySelector<HTMLElement>('main h1');
    heading?.focus({ preventScroll: true });
  }, [location.path, location.anchor, ready]);
}
