/** Escapes text for HTML content and attribute values. */
export function escapeHtml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

/** A table cell: text (escaped) with an optional class (`num` right-aligns). */
export type Cell = string | { text: string; className: 'num' | 'good' | 'bad' | 'muted' };

function cellHtml(cell: Cell, tag: 'td' | 'th'): string {
  if (typeof cell === 'string') return `<${tag}>${escapeHtml(cell)}</${tag}>`;
  return `<${tag} class="${cell.className}">${escapeHtml(cell.text)}</${tag}>`;
}

/** An HTML table with a header row; every text escaped. An empty body shows `empty` instead. */
export function tableHtml(
  caption: string,
  headers: readonly Cell[],
  rows: readonly Cell[][],
  empty: string,
): string {
  if (rows.length === 0) return `<p class="empty">${escapeHtml(empty)}</p>`;
  return (
    `<table><caption>${escapeHtml(caption)}</caption>` +
    `<thead><tr>${headers.map((h) => cellHtml(h, 'th')).join('')}</tr></thead>` +
    `<tbody>${rows.map((row) => `<tr>${row.map((c) => cellHtml(c, 'td')).join('')}</tr>`).join('')}</tbody></table>`
  );
}

/** A number cell, right-aligned. */
export const num = (text: string): Cell => ({ text, className: 'num' });

/** The report's style sheet: print-friendly, system fonts, AA contrast, nothing fetched. */
export const reportCss = `
:root { color-scheme: light; }
body { margin: 0; padding: 24px; background: #ffffff; color: #1f2933;
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
main { max-width: 960px; margin: 0 auto; }
header { border-bottom: 2px solid #1f2933; margin-bottom: 16px; }
h1 { font-size: 24px; margin: 0 0 4px; }
h2 { font-size: 17px; margin: 0 0 8px; }
.meta, .muted, .empty { color: #52606d; }
section.widget { border: 1px solid #9aa5b1; border-radius: 6px; padding: 12px 16px; margin: 0 0 16px;
  break-inside: avoid; }
table { border-collapse: collapse; width: 100%; }
caption { text-align: left; color: #52606d; padding-bottom: 4px; }
th, td { border-bottom: 1px solid #d9dee5; padding: 4px 8px; text-align: left; vertical-align: top; }
th { background: #f3f5f7; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
td.good { color: #1a7a4c; font-weight: 600; }
td.bad { color: #a4161a; font-weight: 600; }
figure { margin: 0; }
figure svg { max-width: 100%; height: auto; }
footer { color: #52606d; font-size: 12px; margin-top: 24px; }
`;
