import type { ReactNode } from 'react';
import { href } from '../router';

/** A docs page: its title (focused after navigation) and lead paragraph. */
export function Page({ title, lead, children }: { title: string; lead?: ReactNode; children: ReactNode }) {
  return (
    <article className="page">
      <h1 tabIndex={-1}>{title}</h1>
      {lead ? <p className="lead">{lead}</p> : null}
      {children}
    </article>
  );
}

/** A titled section with a linkable id: `#/guides/optimizers/momentum`. */
export function Section({
  page,
  id,
  title,
  children,
}: {
  page: string;
  id: string;
  title: string;
  children: ReactNode;
}) {
  return (
    <section className="section" aria-labelledby={id}>
      <h2 id={id}>
        <a className="anchor" href={href(page, id)} aria-label={`Link to “${title}”`}>
          #
        </a>
        {title}
      </h2>
      {children}
    </section>
  );
}

export function Note({ kind = 'note', children }: { kind?: 'note' | 'coming' | 'warning'; children: ReactNode }) {
  const label = { note: 'Note', coming: 'Coming', warning: 'Careful' }[kind];
  return (
    <aside className={`note note-${kind}`}>
      <strong>{label}:</strong> {children}
    </aside>
  );
}

/** A link to an API reference entry, shown as code: <Api name="useTrainer" />. */
export function Api({ name, children }: { name: string; children?: ReactNode }) {
  return (
    <a href={href('/api', name)}>
      <code>{children ?? name}</code>
    </a>
  );
}

/** A link to another docs page. */
export function To({ path, anchor, children }: { path: string; anchor?: string; children: ReactNode }) {
  return <a href={href(path, anchor)}>{children}</a>;
}
