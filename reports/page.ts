// What every report page shares (run report, sweep, campaign index): the
// head with its viewport tag, the CSS (light and dark, phone, print) and one
// small inline script for tooltips, sortable tables, the workload filter and
// printing collapsed sections. No CDN, no request: the page is one offline file.

/** Escapes a value for HTML text and attributes: a trace label such as <script> shows as text. */
export function esc(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

// Verdict colours are darker than the chart palette's: 4.5:1 or more against
// the background in both schemes (WCAG AA for text).
export const PAGE_CSS = `
:root { color-scheme: light dark; --bg:#ffffff; --fg:#1a1a1a; --muted:#555b61; --line:#d9d9d9; --head:#f3f4f6;
  --better:#00664a; --worse:#a33a00; --same:#555b61; --block-bg:#fdecea; --block:#8f1d12; --caution-bg:#fff5db; --caution:#6b4a00; --note-bg:#eef2f6; --ok-bg:#e7f5ee; --ok:#00664a; --link:#0b5cad;
  --chart-bg:#ffffff; --chart-grid:#e5e5e5; --chart-axis:#888888; --chart-rule:#555555; }
@media (prefers-color-scheme: dark) {
  :root { --bg:#121416; --fg:#e8eaed; --muted:#a7adb3; --line:#3a3f44; --head:#1e2226;
    --better:#5fd3a6; --worse:#ffa070; --same:#b3b9bf; --block-bg:#3d1512; --block:#ffb4a8; --caution-bg:#3a2e0c; --caution:#ffd77a; --note-bg:#1f262d; --ok-bg:#0f2e22; --ok:#7fe0b8; --link:#8cc4ff;
    --chart-bg:#1b1f23; --chart-grid:#30363c; --chart-axis:#8a9096; --chart-rule:#a7adb3; }
  /* The palettes' darkest colours (Tol's indigo, green and wine; Okabe-Ito's black) vanish on a dark chart: lighter
     tones of the same hues keep 3:1 against it (WCAG 1.4.11), so a category keeps its identity across schemes. */
  .chart svg [fill="#332288"] { fill: #8f83e0; } .chart svg [stroke="#332288"] { stroke: #8f83e0; }
  .chart svg [fill="#117733"] { fill: #3fb86a; } .chart svg [stroke="#117733"] { stroke: #3fb86a; }
  .chart svg [fill="#882255"] { fill: #d0609a; } .chart svg [stroke="#882255"] { stroke: #d0609a; }
  .chart svg [fill="#000000"] { fill: #e8eaed; } .chart svg [stroke="#000000"] { stroke: #e8eaed; }
  /* Legends of shape or dash (not of a target) draw Vega's default black. */
  .chart svg .role-legend-symbol path[fill="black"] { fill: var(--fg); }
}
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: var(--bg); margin: 0 auto; max-width: 1180px; padding: 20px; overflow-wrap: anywhere; }
a { color: var(--link); }
h1 { font-size: 22px; margin: 0 0 4px; line-height: 1.25; }
h2 { font-size: 18px; margin: 36px 0 8px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
h3 { font-size: 15px; margin: 16px 0 6px; }
.meta, .note { color: var(--muted); font-size: 13px; }
p.population { margin: 10px 0 0; }
.table-wrap { max-width: 100%; overflow-x: auto; margin: 8px 0; }
table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
th, td { border-bottom: 1px solid var(--line); padding: 5px 8px; text-align: right; white-space: nowrap; }
th:first-child, td:first-child { text-align: left; }
td.text, th.text { text-align: left; white-space: normal; min-width: 14em; }
td .ci { color: var(--muted); font-size: 12px; }
/* Why a figure has no interval is a sentence: it wraps inside its cell instead of widening the table. */
td .reason { white-space: normal; display: inline-block; max-width: 14em; text-align: left; }
#decision-matrix th, #decision-matrix td.decision { white-space: normal; }
#decision-matrix td.decision { min-width: 7em; text-align: left; }
#decision-matrix th:nth-child(2), #decision-matrix th:last-child { text-align: left; }
th { font-weight: 600; background: var(--head); white-space: normal; vertical-align: bottom; }
table.sortable th { cursor: pointer; user-select: none; }
table.sortable th[aria-sort="ascending"]::after { content: " ▲"; font-size: 10px; }
table.sortable th[aria-sort="descending"]::after { content: " ▼"; font-size: 10px; }
.verdict-better, [data-verdict="better"], [data-mv="meets"] { color: var(--better); font-weight: 600; }
.verdict-worse, [data-verdict="worse"], [data-mv="misses"] { color: var(--worse); font-weight: 600; }
[data-decision="could move"] .decision { color: var(--better); font-weight: 700; }
[data-decision="keep"] .decision { color: var(--worse); font-weight: 700; }
[data-decision="could move with conditions"] .decision { color: var(--caution); font-weight: 700; }
nav.toc { font-size: 13px; margin: 10px 0 0; }
nav.toc ol { list-style: none; padding: 0; margin: 0; display: flex; flex-wrap: wrap; gap: 4px 14px; }
.first-screen { border: 1px solid var(--line); border-radius: 8px; padding: 14px 16px; margin: 14px 0; }
.bottom-line { font-size: 18px; line-height: 1.45; margin: 6px 0 12px; font-weight: 500; }
.validity { display: inline-block; border-radius: 4px; padding: 2px 10px; font-weight: 600; font-size: 13px; }
.validity.ok { background: var(--ok-bg); color: var(--ok); }
.validity.bad { background: var(--block-bg); color: var(--block); }
.inconclusive { border: 2px solid #b00020; background: #fdecea; color: #b00020; padding: 10px 14px; margin: 0 0 14px; border-radius: 6px; }
.inconclusive strong { font-size: 18px; letter-spacing: .04em; }
.inconclusive li { color: var(--fg); margin: 2px 0; }
body.invalid [data-verdict], body.invalid [data-mv], body.invalid .decision, body.invalid #bottom-line { color: var(--muted) !important; font-weight: normal !important; }
.answer-grid { display: grid; grid-template-columns: minmax(200px, 1fr) minmax(0, 2.6fr); gap: 20px; }
@media (max-width: 900px) { .answer-grid { grid-template-columns: minmax(0, 1fr); } }
ul.thresholds { list-style: none; padding: 0; margin: 0; }
ul.thresholds li { padding: 2px 0; }
.pass { color: var(--better); font-weight: 700; } .fail { color: var(--worse); font-weight: 700; }
.warnings { border-radius: 6px; padding: 8px 12px; margin: 10px 0; }
.warnings ul { margin: 4px 0 0; padding-left: 20px; }
.warnings.blocking { background: var(--block-bg); border-left: 5px solid var(--block); }
.warnings.blocking strong { color: var(--block); }
.warnings.caution { background: var(--caution-bg); border-left: 5px solid var(--caution); }
.warnings.caution strong { color: var(--caution); }
.warnings.note { background: var(--note-bg); border-left: 5px solid var(--muted); }
.chart { max-width: 100%; overflow-x: auto; margin: 10px 0; }
.chart svg { max-width: 100%; height: auto; background: var(--chart-bg); border-radius: 6px; }
/* Charts are SVG rendered at build time in light colours; CSS outranks SVG presentation attributes, so the page's
   scheme re-themes the chart frame (background, grid, axes, titles, legend text) while the target colours stay. */
.chart svg > rect:first-child { fill: var(--chart-bg); }
.chart svg .role-axis-grid line { stroke: var(--chart-grid); }
.chart svg .role-axis-tick line, .chart svg .role-axis-domain line { stroke: var(--chart-axis); }
.chart svg line[stroke="#555"] { stroke: var(--chart-rule); }
.chart svg .role-axis-label text, .chart svg .role-axis-title text, .chart svg .role-legend-label text, .chart svg .role-legend-title text, .chart svg .role-title-text text { fill: var(--fg); }
.chart svg .role-title-subtitle text { fill: var(--muted); }
.empty-chart { border: 1px dashed var(--line); border-radius: 6px; padding: 18px; color: var(--muted); text-align: center; }
details > summary { cursor: pointer; color: var(--link); margin: 6px 0; }
.filter { margin: 8px 0; font-size: 14px; }
.filter select { font: inherit; padding: 2px 4px; }
#tip { position: fixed; z-index: 10; pointer-events: none; background: #1a1a1a; color: #fff; font-size: 12px; padding: 4px 8px; border-radius: 4px; max-width: 320px; display: none; }
@media (max-width: 700px) {
  body { padding: 12px; font-size: 14px; }
  .bottom-line { font-size: 16px; }
  .table-wrap th:first-child, .table-wrap td:first-child { position: sticky; left: 0; background: var(--bg); z-index: 1; box-shadow: 1px 0 0 var(--line); }
  .table-wrap th:first-child { background: var(--head); }
  /* A 640 px chart shrunk to a phone would set its axis text near 6 px: keep it legible and let it scroll in its box. */
  .chart svg { max-width: none; width: 560px; }
}
@media print {
  @page { size: landscape; margin: 10mm; }
  body { max-width: none; padding: 0; font-size: 11px; }
  /* Paper cannot scroll: cells wrap so every table fits the landscape page at full scale. */
  table { font-size: 10px; } th, td { padding: 2px 4px; white-space: normal; } td.text { min-width: 0; }
  nav.toc, .filter, #tip { display: none; }
  h2 { break-after: avoid; } .chart, tr, .first-screen { break-inside: avoid; }
  .table-wrap, .chart { overflow: visible; }
  .chart svg { max-width: 100%; width: auto; }
}
`;

// Tooltips read each mark's aria-label (Vega writes it from the `tip` field);
// axis and legend groups carry labels too and are skipped.
export const PAGE_SCRIPT = `
(function () {
  var tip = document.createElement('div'); tip.id = 'tip'; tip.setAttribute('role', 'tooltip'); document.body.appendChild(tip);
  function markOf(el) { while (el && el.nodeType === 1) { var d = el.getAttribute('aria-roledescription'); if (d === 'axis' || d === 'legend') return null; if (el.getAttribute('aria-label') && el.getAttribute('role') === 'graphics-symbol') return el; el = el.parentNode; } return null; }
  document.addEventListener('mouseover', function (e) { var m = markOf(e.target); if (!m || !m.closest('.chart')) { tip.style.display = 'none'; return; } tip.textContent = m.getAttribute('aria-label'); tip.style.display = 'block'; });
  document.addEventListener('mousemove', function (e) { if (tip.style.display === 'block') { var x = Math.min(e.clientX + 14, window.innerWidth - tip.offsetWidth - 4); tip.style.left = x + 'px'; tip.style.top = (e.clientY + 14) + 'px'; } });
  function key(td) { var v = td.getAttribute('data-sort'); if (v === null) v = td.textContent.trim(); var n = parseFloat(v); return isNaN(n) || !/^[-+]?[0-9.]/.test(v) ? { s: v.toLowerCase() } : { n: n }; }
  document.querySelectorAll('table.sortable').forEach(function (table) {
    table.querySelectorAll('thead th').forEach(function (th, col) {
      th.tabIndex = 0;
      function sort() {
        var dir = th.getAttribute('aria-sort') === 'ascending' ? -1 : 1;
        table.querySelectorAll('thead th').forEach(function (h) { h.removeAttribute('aria-sort'); });
        th.setAttribute('aria-sort', dir === 1 ? 'ascending' : 'descending');
        var body = table.tBodies[0]; var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) { var x = key(a.cells[col]), y = key(b.cells[col]);
          if (x.n !== undefined && y.n !== undefined) return dir * (x.n - y.n);
          if (x.n !== undefined) return -1; if (y.n !== undefined) return 1;
          return dir * (x.s < y.s ? -1 : x.s > y.s ? 1 : 0); });
        rows.forEach(function (r) { body.appendChild(r); });
      }
      th.addEventListener('click', sort); th.addEventListener('keydown', function (e) { if (e.key === 'Enter') sort(); });
    });
  });
  var filter = document.getElementById('workload-filter');
  if (filter) filter.addEventListener('change', function () { var v = filter.value;
    document.querySelectorAll('tr[data-task-type]').forEach(function (tr) { tr.hidden = v !== '' && tr.getAttribute('data-task-type') !== v; }); });
  window.addEventListener('beforeprint', function () { document.querySelectorAll('details').forEach(function (d) { d.open = true; }); });
})();
`;

export function pageHead(title: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title><style>${PAGE_CSS}</style></head>`;
}

export const pageEnd = `<script>${PAGE_SCRIPT}</script>\n</body></html>\n`;

export type Cell = string | number | { text: string | number; sort?: number | string; cls?: string; attrs?: Record<string, string>; html?: string };

/**
 * A table in its own scroll box (the page never scrolls sideways), sortable by
 * a click on a heading, with its population named in the caption.
 */
export function tdOf(c: Cell): string {
  if (typeof c !== 'object') return `<td>${esc(c)}</td>`;
  const attrs = { ...(c.attrs ?? {}), ...(c.sort !== undefined ? { 'data-sort': String(c.sort) } : {}), ...(c.cls ? { class: c.cls } : {}) };
  return `<td${Object.entries(attrs).map(([k, v]) => ` ${k}="${esc(v)}"`).join('')}>${c.html ?? esc(c.text)}</td>`;
}

export function table(opts: { head: string[]; rows: Cell[][]; population: string; id?: string; cls?: string; rowAttrs?: (i: number) => Record<string, string> }): string {
  const cell = tdOf;
  const attrsOf = (i: number) => Object.entries(opts.rowAttrs?.(i) ?? {}).map(([k, v]) => ` ${k}="${esc(v)}"`).join('');
  return `<p class="population note">${esc(opts.population)}</p><div class="table-wrap"><table class="sortable ${esc(opts.cls ?? '')}"${opts.id ? ` id="${esc(opts.id)}"` : ''} data-population="${esc(opts.population)}"><thead><tr>${opts.head.map((h) => `<th scope="col">${esc(h)}</th>`).join('')}</tr></thead><tbody>${opts.rows
    .map((r, i) => `<tr${attrsOf(i)}>${r.map(cell).join('')}</tr>`)
    .join('')}</tbody></table></div>`;
}
