import { Component, type ErrorInfo, type ReactNode, Suspense, useEffect, useState } from 'react';
import { PAGE_PATHS, PAGES } from './pages';
import { href, useLocation, useScrollOnNavigate } from './router';

const SECTIONS = ['Start', 'Guides', 'Reference'] as const;

export function App() {
  const location = useLocation(PAGE_PATHS);
  const page = PAGES.find((p) => p.path === location.path) ?? null;
  const [menuOpen, setMenuOpen] = useState(false);

  useEffect(() => {
    document.title = !page || page.path === '/' ? 'react-nn' : `${page.title} · react-nn`;
    setMenuOpen(false);
  }, [page]);
  useScrollOnNavigate(location, page?.path !== '/api');

  return (
    <>
      <button
        type="button"
        className="skip-link"
        onClick={() => document.querySelector<HTMLElement>('main h1')?.focus()}
      >
        Skip to content
      </button>
      <header className="topbar">
        <a className="brand" href={href('/')}>
          <span aria-hidden="true" className="logo">
            ⟨nn⟩
          </span>{' '}
          react-nn
        </a>
        <span className="tagline">neural networks as React JSX</span>
        <button
          type="button"
          className="menu-button"
          aria-expanded={menuOpen}
          aria-controls="sidebar"
          onClick={() => setMenuOpen((o) => !o)}
        >
          Menu
        </button>
      </header>
      <div className="layout">
        <nav id="sidebar" className={`sidebar${menuOpen ? ' open' : ''}`} aria-label="Documentation">
          {SECTIONS.map((section) => (
            <div key={section} className="nav-section">
              <h2>{section}</h2>
              <ul>
                {PAGES.filter((p) => p.section === section).map((p) => (
                  <li key={p.path}>
                    <a href={href(p.path)} aria-current={p.path === page?.path ? 'page' : undefined}>
                      {p.title}
                    </a>
                  </li>
                ))}
              </ul>
            </div>
          ))}
        </nav>
        <main id="main">
          <PageBoundary key={page?.path ?? 'missing'}>
            <Suspense
              fallback={
                <p className="muted" role="status">
                  {page?.path === '/api' ? 'Generating the API reference from the TypeScript types…' : 'Loading…'}
                </p>
              }
            >
              {page ? <page.Component anchor={location.anchor} /> : <NotFound path={location.path} />}
            </Suspense>
          </PageBoundary>
        </main>
      </div>
    </>
  );
}

function NotFound({ path }: { path: string }) {
  return (
    <article className="page">
      <h1 tabIndex={-1}>Page not found</h1>
      <p>
        There is no page at <code>{path}</code>. Try the <a href={href('/')}>home page</a> or the sidebar.
      </p>
    </article>
  );
}

/** A page that throws shows its error in place, with the sidebar still working: never a blank page. */
class PageBoundary extends Component<{ children: ReactNode }, { error: Error | null }> {
  override state = { error: null as Error | null };

  static getDerivedStateFromError(error: Error) {
    return { error };
  }

  override componentDidCatch(error: Error, info: ErrorInfo) {
    console.error('[react-nn docs] page failed', error, info.componentStack);
  }

  override render() {
    const { error } = this.state;
    if (!error) return this.props.children;
    return (
      <article className="page" role="alert">
        <h1 tabIndex={-1}>This page failed</h1>
        <pre className="error-text">{error.stack ?? error.message}</pre>
        <button type="button" onClick={() => this.setState({ error: null })}>
          Try again
        </button>
      </article>
    );
  }
}
