import { Editor } from 'react-live';
import { editorTheme } from '../live/editorTheme';

/** Read-only highlighted code: react-live's editor with editing off, so it looks like the live examples. */
export function CodeBlock({ code, language = 'tsx' }: { code: string; language?: string }) {
  return (
    <div className="code-block">
      <Editor code={code.trim()} language={language} theme={editorTheme} disabled />
    </div>
  );
}
