import { isValidElement, type ReactElement } from 'react';
import { transform } from 'sucrase';

/** The result of evaluating an example's code: the JSX it describes, or why it could not be read. */
export type Evaluation =
  | { ok: true; element: ReactElement | null }
  | { ok: false; kind: 'syntax' | 'runtime'; message: string; line: number | null };

/**
 * Evaluates an example's editable code — one JSX expression, as in react-live's inline
 * mode — into a React element, with `scope` as its free variables. The same transform
 * react-live uses (sucrase: JSX + TypeScript). Unlike react-live's preview, the element is
 * returned rather than rendered inside an error boundary of its own, so the host can put it
 * inside a long-lived `<Model>`: element types stay the same across edits, React reconciles
 * the layers, and the model keeps its weights.
 */
export function evaluate(code: string, scope: Readonly<Record<string, unknown>>): Evaluation {
  const source = code.trim().replace(/;\s*$/, '');
  if (source === '')
    return { ok: false, kind: 'syntax', message: 'The code is empty: write the model as JSX.', line: null };
  let js: string;
  try {
    // `return (` shares the first line with the code, so sucrase's line numbers stay the user's.
    js = transform(`return (${source}\n);`, {
      transforms: ['jsx', 'typescript'],
      jsxRuntime: 'classic',
      production: true,
    }).code;
  } catch (e) {
    const message = (e as Error).message ?? String(e);
    const at = /\((\d+):(\d+)\)\s*$/.exec(message);
    return {
      ok: false,
      kind: 'syntax',
      message: message.replace(/\s*\(\d+:\d+\)\s*$/, ''),
      line: at ? Number(at[1]) : null,
    };
  }
  let value: unknown;
  try {
    const names = Object.keys(scope);
    value = new Function(...names, js)(...names.map((n) => scope[n]));
  } catch (e) {
    return { ok: false, kind: 'runtime', message: String(e), line: null };
  }
  if (value === null || isValidElement(value)) return { ok: true, element: value as ReactElement | null };
  return {
    ok: false,
    kind: 'runtime',
    message: `The code must be one JSX element such as <Sequential>…</Sequential> (got ${typeof value}).`,
    line: null,
  };
}

/** Evaluates a plain JavaScript expression (an example's data or callbacks) with `scope` as its free variables. */
export function evalExpression(expression: string, scope: Readonly<Record<string, unknown>>): unknown {
  const names = Object.keys(scope);
  return new Function(...names, `return (${expression});`)(...names.map((n) => scope[n]));
}
