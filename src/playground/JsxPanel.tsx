import { useId, useState } from 'react';
import { parseJSX, toJSX } from './jsx';
import type { PlaygroundState } from './state';

/**
 * The live `<Model><Sequential>` as editable text. The text follows the controls; an edit that
 * parses is applied at once (controls, network view and model follow), one that does not shows
 * why and changes nothing.
 */
export function JsxPanel(props: { state: PlaygroundState; update: (patch: Partial<PlaygroundState>) => void }) {
  const id = useId();
  const [draft, setDraft] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const text = draft ?? toJSX(props.state);
  return (
    <div className="rnn-pg-panel rnn-pg-jsx">
      <label htmlFor={id}>JSX of this network (edit it)</label>
      <textarea
        id={id}
        data-testid="jsx"
        spellCheck={false}
        rows={text.split('\n').length + 1}
        value={text}
        onChange={(e) => {
          const next = e.target.value;
          setDraft(next);
          const parsed = parseJSX(next, props.state);
          if (parsed.ok) {
            setError(null);
            props.update(parsed.fields);
          } else setError(parsed.error.message);
        }}
        onBlur={() => {
          // A valid edit is shown as the page prints it; an invalid one stays for fixing.
          if (!error) setDraft(null);
        }}
      />
      {error ? (
        <p role="alert" className="rnn-error">
          {error}
        </p>
      ) : null}
    </div>
  );
}
