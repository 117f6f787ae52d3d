/** Layout of the Playground page; colours come from the theme variables (react-nn/theme.css). */
export const PLAYGROUND_CSS = `
.rnn-playground{font-family:var(--rnn-font-family, system-ui, sans-serif);color:var(--rnn-fg, #1f2328);
background:var(--rnn-bg, #fff);display:flex;flex-direction:column;gap:10px}
.rnn-pg-run{border:0;margin:0;display:flex;flex-wrap:wrap;align-items:center;gap:8px 16px;padding:6px 0}
.rnn-pg-run button{min-width:4.5em}
.rnn-pg-run output{font-variant-numeric:tabular-nums;font-weight:600}
.rnn-pg-engine{color:var(--rnn-muted, #59636e)}
.rnn-pg-main{display:grid;grid-template-columns:minmax(200px,1fr) minmax(0,3fr) minmax(240px,1.3fr);gap:12px;align-items:start}
@media (max-width:1100px){.rnn-pg-main{grid-template-columns:1fr}}
.rnn-pg-side,.rnn-pg-center{display:flex;flex-direction:column;gap:10px;min-width:0}
.rnn-pg-panel{border:1px solid var(--rnn-grid, #d1d9e0);border-radius:6px;padding:8px;margin:0;min-width:0;display:flex;flex-direction:column;gap:6px}
.rnn-pg-panel select,.rnn-pg-panel input[type=range],.rnn-pg-panel input[type=file]{max-width:100%;min-width:0}
.rnn-pg-panel legend{font-weight:600}
.rnn-pg-field{display:flex;flex-direction:column;gap:2px}
.rnn-pg-check{display:flex;align-items:center;gap:4px}
.rnn-pg-layers{margin:0;padding-left:1.2em}
.rnn-pg-layers button{min-width:2em}
.rnn-pg-jsx textarea{font-family:ui-monospace, monospace;font-size:12px;width:100%;resize:vertical}
.rnn-pg-notice{border:1px solid var(--rnn-val, #D55E00);border-radius:6px;padding:6px 10px}
`;
