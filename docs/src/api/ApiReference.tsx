import apiData from 'virtual:react-nn-api';
import { Fragment, type ReactNode, useDeferredValue, useEffect, useMemo, useState } from 'react';
import { CodeBlock } from '../components/CodeBlock';
import { Page } from '../components/Page';
import type { PageProps } from '../pages';
import { href } from '../router';
import type { ApiDoc, ApiEntry, ApiMember, ApiSignature, DocPart } from './types';

const api = apiData as ApiDoc;
const KNOWN = new Set(api.sections.flatMap((s) => s.entries.map((e) => e.name)));
const KIND_LABEL: Record<ApiEntry['kind'], string> = {
  component: 'component',
  hook: 'hook',
  layer: 'layer',
  function: 'function',
  class: 'class',
  interface: 'interface',
  type: 'type',
  constant: 'constant',
};

/** The API reference, generated from the TypeScript types by typedoc when the site is built or served. */
export function ApiReference({ anchor }: PageProps) {
  const [filter, setFilter] = useState('');
  const query = useDeferredValue(filter.trim().toLowerCase());
  const sections = useMemo(
    () =>
      api.sections
        .map((s) => ({ ...s, entries: s.entries.filter((e) => !query || e.name.toLowerCase().includes(query)) }))
        .filter((s) => s.entries.length > 0),
    [query],
  );

  useEffect(() => {
    const target = anchor ? document.getElementById(`api-${anchor}`) : null;
    if (target) target.scrollIntoView();
    else window.scrollTo(0, 0);
  }, [anchor]);

  return (
    <Page
      title="API reference"
      lead={
        <>
          Every export of <code>react-nn</code>, generated from its TypeScript types and doc comments (typedoc{' '}
          {api.typedocVersion}, {new Date(api.generated).toLocaleString('en')}).
        </>
      }
    >
      {api.error ? (
        <div className="problem" role="alert">
          <strong>typedoc could not generate the reference:</strong>
          <pre className="error-text">{api.error}</pre>
        </div>
      ) : null}
      <p>
        <label>
          Filter by name{' '}
          <input
            className="api-filter"
            type="search"
            value={filter}
            placeholder="useTrainer, Linear, Dataset…"
            onChange={(e) => setFilter(e.target.value)}
          />
        </label>
      </p>
      <nav aria-label="API sections">
        <ul className="api-toc">
          {sections.map((s) => (
            <li key={s.id}>
              <a href={href('/api', s.id)}>{s.title}</a> <span className="muted">({s.entries.length})</span>
            </li>
          ))}
        </ul>
      </nav>
      {sections.map((s) => (
        <section key={s.id} aria-labelledby={`api-${s.id}`}>
          <h2 id={`api-${s.id}`}>{s.title}</h2>
          <p className="muted">{s.blurb}</p>
          {s.entries.map((e) => (
            <Entry key={e.name} entry={e} />
          ))}
        </section>
      ))}
      {sections.length === 0 && !api.error ? <p>Nothing matches “{filter}”.</p> : null}
    </Page>
  );
}

function Entry({ entry }: { entry: ApiEntry }) {
  const isType = entry.kind === 'type' || entry.kind === 'constant';
  return (
    <article className="api-entry" id={`api-${entry.name}`} aria-labelledby={`api-${entry.name}-title`}>
      <h3 id={`api-${entry.name}-title`}>
        {entry.kind === 'layer' || entry.kind === 'component' ? `<${entry.name}>` : entry.name}
        <span className="api-kind">{KIND_LABEL[entry.kind]}</span>
      </h3>
      {entry.signatures.map((s) => (
        <pre key={s.text} className="api-signature">
          <TypeText text={s.text} />
        </pre>
      ))}
      {isType && entry.type ? (
        <pre className="api-signature">
          <TypeText text={`${entry.kind === 'type' ? 'type' : 'const'} ${entry.name}: ${entry.type}`} />
        </pre>
      ) : null}
      <Doc parts={entry.doc} />
      {entry.signatures.length === 1 ? <Params signature={entry.signatures[0] as ApiSignature} /> : null}
      {entry.members.length > 0 ? (
        <Members members={entry.members} caption={entry.propsType ? `Props (${entry.propsType})` : undefined} />
      ) : null}
      {entry.examples.map((ex, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: examples are static, in source order.
        <Fragment key={i}>
          <Doc parts={ex} asCode />
        </Fragment>
      ))}
      {entry.see.length > 0 ? (
        <p className="muted">
          See{' '}
          {entry.see.map((parts, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: static, in source order.
            <Fragment key={i}>
              {i > 0 ? ', ' : ''}
              <Inline parts={parts} />
            </Fragment>
          ))}
        </p>
      ) : null}
      {entry.source ? <p className="api-source muted">{entry.source}</p> : null}
    </article>
  );
}

function Params({ signature }: { signature: ApiSignature }) {
  const documented = signature.params.filter((p) => p.doc.length > 0);
  if (documented.length === 0) return null;
  return (
    <dl>
      {documented.map((p) => (
        <div key={p.name}>
          <dt>
            <code>{p.name}</code>
          </dt>
          <dd>
            <Inline parts={p.doc} />
          </dd>
        </div>
      ))}
    </dl>
  );
}

function Members({ members, caption }: { members: ApiMember[]; caption?: string }) {
  return (
    <div className="table-wrap">
      <table className="api-members">
        {caption ? <caption className="muted">{caption}</caption> : null}
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Type</th>
            <th scope="col">Description</th>
          </tr>
        </thead>
        <tbody>
          {members.map((m) => (
            <tr key={`${m.kind}:${m.name}`}>
              <td>
                <code>
                  {m.readonly && m.kind === 'property' ? 'readonly ' : ''}
                  {m.kind === 'constructor' ? 'constructor' : m.name}
                  {m.optional ? '?' : ''}
                </code>
              </td>
              <td>
                {m.signatures.length > 0 ? (
                  m.signatures.map((s) => (
                    <code key={s.text} className="api-member-sig">
                      <TypeText text={s.text} />
                    </code>
                  ))
                ) : (
                  <code>
                    <TypeText text={m.type} />
                  </code>
                )}
              </td>
              <td>
                <Inline parts={m.doc} />
                {m.inheritedFrom ? <span className="muted"> (from {m.inheritedFrom})</span> : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** A type or signature as text, with names of documented exports linked to their entries. */
function TypeText({ text }: { text: string }) {
  const out: ReactNode[] = [];
  let last = 0;
  for (const m of text.matchAll(/[A-Za-z_$][\w$]*/g)) {
    const name = m[0];
    if (!KNOWN.has(name)) continue;
    const at = m.index ?? 0;
    if (at > last) out.push(text.slice(last, at));
    out.push(
      <a key={at} href={href('/api', name)}>
        {name}
      </a>,
    );
    last = at + name.length;
  }
  out.push(text.slice(last));
  return <>{out}</>;
}

/** A doc comment: paragraphs with inline code and links, and fenced code blocks. */
function Doc({ parts, asCode = false }: { parts: DocPart[]; asCode?: boolean }) {
  const blocks: ReactNode[] = [];
  let paragraph: DocPart[] = [];
  const flush = () => {
    if (paragraph.some((p) => p.text.trim() !== '')) {
      blocks.push(
        <p key={blocks.length}>
          <Inline parts={paragraph} />
        </p>,
      );
    }
    paragraph = [];
  };
  for (const part of parts) {
    if (part.kind === 'code' && part.text.startsWith('```')) {
      flush();
      blocks.push(<CodeBlock key={blocks.length} code={part.text.replace(/^```\w*\n?/, '').replace(/```$/, '')} />);
    } else if (part.kind === 'text') {
      const pieces = part.text.split(/\n\s*\n/);
      pieces.forEach((piece, i) => {
        if (i > 0) flush();
        paragraph.push({ kind: 'text', text: piece });
      });
    } else {
      paragraph.push(part);
    }
  }
  if (asCode && blocks.length === 0 && paragraph.length > 0) {
    // An `@example` written without a fence is code all the same.
    const code = paragraph.map((p) => p.text).join('');
    return <CodeBlock code={code} />;
  }
  flush();
  return <>{blocks}</>;
}

function Inline({ parts }: { parts: DocPart[] }) {
  return (
    <>
      {parts.map((p, i) => {
        const key = `${i}:${p.kind}`;
        if (p.kind === 'code') return <code key={key}>{p.text.replace(/^`+|`+$/g, '')}</code>;
        if (p.kind === 'link') {
          return p.target && KNOWN.has(p.target) ? (
            <a key={key} href={href('/api', p.target)}>
              <code>{p.text}</code>
            </a>
          ) : (
            <code key={key}>{p.text}</code>
          );
        }
        return <Linkified key={key} text={p.text} />;
      })}
    </>
  );
}

function Linkified({ text }: { text: string }) {
  const pieces = text.split(/(https?:\/\/[^\s)]+)/);
  return (
    <>
      {pieces.map((piece, i) =>
        /^https?:\/\//.test(piece) ? (
          // biome-ignore lint/suspicious/noArrayIndexKey: pieces of one static string.
          <a key={i} href={piece} rel="noreferrer">
            {piece}
          </a>
        ) : (
          piece
        ),
      )}
    </>
  );
}
