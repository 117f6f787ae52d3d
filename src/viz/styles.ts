import { LIGHT } from './theme';

/**
 * Structural styles of the viz components (and uPlot's own), shipped with the components:
 * `<VizFrame>` renders them as one React 19 `<style href precedence>`, which React hoists to
 * <head> once however many components mount. Colours come from the theme variables, with
 * the light defaults as fallbacks, so nothing looks broken before theme.css is loaded.
 * @internal
 */
const fg = `var(--rnn-fg, ${LIGHT.fg})`;
const bg = `var(--rnn-bg, ${LIGHT.bg})`;
const muted = `var(--rnn-muted, ${LIGHT.muted})`;
const grid = `var(--rnn-grid, ${LIGHT.grid})`;
const surface = 'var(--rnn-surface, #f6f8fa)';
const accent = 'var(--rnn-accent, #0969da)';

export const BASE_CSS = `
.rnn-viz{box-sizing:border-box;margin:0;padding:8px;min-width:0;color:${fg};background:${bg};
font-family:var(--rnn-font-family, system-ui, sans-serif);font-size:var(--rnn-font-size, 12px);
border-radius:var(--rnn-radius, 6px);font-variant-numeric:tabular-nums}
.rnn-viz *,.rnn-viz *::before,.rnn-viz *::after{box-sizing:border-box}
.rnn-title{font-weight:600;font-size:1.1em;margin:0 0 6px}
.rnn-message{color:${muted};margin:8px 0}
.rnn-error{color:var(--rnn-error, #b3261e);margin:8px 0;white-space:pre-wrap}
.rnn-canvas{display:block;max-width:100%}
.rnn-legend{display:flex;flex-wrap:wrap;gap:4px 12px;margin:6px 0 0;padding:0;list-style:none;color:${muted}}
.rnn-legend li{display:inline-flex;align-items:center;gap:4px}
.rnn-swatch{display:inline-block;width:10px;height:10px;border-radius:50%;border:1px solid ${fg}}
.rnn-swatch.rnn-hollow{background:${bg}!important;border-width:2px}
.rnn-table{border-collapse:collapse;margin:0}
.rnn-table caption{text-align:left;color:${muted};padding:2px 0 4px}
.rnn-table th,.rnn-table td{padding:3px 8px;border-bottom:1px solid ${grid};text-align:right;white-space:nowrap}
.rnn-table th[scope=row],.rnn-table .rnn-left{text-align:left}
.rnn-table thead th{color:${muted};font-weight:600}
.rnn-table tfoot th,.rnn-table tfoot td{font-weight:600;border-bottom:0}
.rnn-cm td{min-width:3.5em;text-align:center;border:1px solid ${bg}}
.rnn-cm small{display:block;opacity:.85}
.rnn-scroll{overflow:auto;max-width:100%}
.rnn-row{display:flex;flex-wrap:wrap;gap:8px;align-items:center}
.rnn-cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(var(--rnn-card,72px),1fr));gap:6px}
.rnn-cards figure,.rnn-card{margin:0;text-align:center;color:${muted}}
.rnn-cards canvas{width:100%;image-rendering:pixelated;border:1px solid ${grid}}
.rnn-controls button,.rnn-controls select,.rnn-controls input{font:inherit;color:${fg};background:${surface};
border:1px solid ${grid};border-radius:4px;padding:4px 10px;min-height:28px}
.rnn-controls button{cursor:pointer}
.rnn-controls button:disabled{opacity:.5;cursor:default}
.rnn-controls :focus-visible{outline:2px solid ${accent};outline-offset:1px}
.rnn-controls label{display:inline-flex;gap:6px;align-items:center}
.rnn-counter{color:${muted};min-width:6em}
.rnn-track{position:relative;height:8px;border-radius:4px;background:${grid};overflow:hidden}
.rnn-fill{position:absolute;inset:0 auto 0 0;background:var(--rnn-train, ${LIGHT.train});transition:width .2s linear}
.rnn-progress-row{display:grid;grid-template-columns:5em 1fr auto;gap:8px;align-items:center;margin:4px 0}
.rnn-graph svg{display:block;max-width:100%;height:auto}
.rnn-graph rect{fill:${surface};stroke:${fg};stroke-width:1}
.rnn-graph text{fill:${fg};font-size:11px}
.rnn-graph .rnn-sub{fill:${muted}}
.rnn-graph path{fill:none;stroke:${muted};stroke-width:1.5}
.rnn-graph .rnn-io rect{fill:${bg};stroke-dasharray:4 3}
.uplot,.uplot *,.uplot *::before,.uplot *::after{box-sizing:border-box}
.uplot{font-family:inherit;line-height:1.5;width:min-content}
.u-wrap{position:relative;user-select:none}
.u-over,.u-under{position:absolute}
.u-under{overflow:hidden}
.uplot canvas{display:block;position:relative;width:100%;height:100%}
.u-axis{position:absolute}
.u-legend{font-size:1em;margin:auto;text-align:center;color:${fg}}
.u-inline{display:block}
.u-inline *{display:inline-block}
.u-inline tr{margin-right:16px}
.u-legend th{font-weight:600}
.u-legend th>*{vertical-align:middle;display:inline-block}
.u-legend .u-marker{width:1em;height:1em;margin-right:4px;background-clip:padding-box!important}
.u-inline.u-live th::after{content:":";vertical-align:middle}
.u-inline:not(.u-live) .u-value{display:none}
.u-series>*{padding:4px}
.u-series th{cursor:pointer}
.u-legend .u-off>*{opacity:.3}
.u-select{background:rgba(127,127,127,.15);position:absolute;pointer-events:none}
.u-cursor-x,.u-cursor-y{position:absolute;left:0;top:0;pointer-events:none;will-change:transform}
.u-hz .u-cursor-x,.u-vt .u-cursor-y{height:100%;border-right:1px dashed ${muted}}
.u-hz .u-cursor-y,.u-vt .u-cursor-x{width:100%;border-bottom:1px dashed ${muted}}
.u-cursor-pt{position:absolute;top:0;left:0;border-radius:50%;border:0 solid;pointer-events:none;will-change:transform;background-clip:padding-box!important}
.u-axis.u-off,.u-select.u-off,.u-cursor-x.u-off,.u-cursor-y.u-off,.u-cursor-pt.u-off{display:none}
`;
