import { type ReactNode, useState } from 'react';
import { CodeBlock } from '../components/CodeBlock';
import { type ExampleSpec, LiveExample } from './LiveExample';

/**
 * A live example whose data is heavy (MNIST): the code is shown at once, and the data is
 * loaded and the example started only when the reader asks.
 */
export function DeferredExample({
  spec,
  action,
  children,
}: {
  spec: ExampleSpec;
  action: string;
  children?: ReactNode;
}) {
  const [started, setStarted] = useState(false);
  if (started) return <LiveExample spec={spec} />;
  return (
    <section className="live" data-example={spec.id} aria-label={spec.title}>
      <header className="live-header">
        <h3>{spec.title}</h3>
      </header>
      {children}
      <CodeBlock code={spec.code} />
      <button type="button" onClick={() => setStarted(true)}>
        {action}
      </button>
    </section>
  );
}
