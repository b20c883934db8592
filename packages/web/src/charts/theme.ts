/**
 * Colours and text shared by every chart. Each series colour and text colour has a contrast of at
 * least 4.5:1 against {@link chartBackground} (WCAG AA for text, above the 3:1 of graphics), so a
 * line, a bar or a label stays readable on its own.
 */

/** The background charts are drawn on. */
export const chartBackground = '#ffffff';

/** Main text (titles, axis names, labels). */
export const textColor = '#1f2933';

/** Secondary text (axis labels, legends). */
export const mutedTextColor = '#52606d';

/** Grid and axis lines: graphics behind the data, deliberately quiet. */
export const gridLineColor = '#d9dee5';

/** Series colours, in order of use. */
export const seriesPalette = [
  '#0b62a4',
  '#b3540b',
  '#1a7a4c',
  '#a52a6b',
  '#5b4ab0',
  '#007a87',
  '#8a4b08',
  '#6b6b00',
] as const;

/** Anomaly severities, from the least to the most severe, with their colours. */
export const severityColors: Readonly<Record<string, string>> = {
  LOW: '#0b62a4',
  MEDIUM: '#8a6d00',
  HIGH: '#b3540b',
  CRITICAL: '#a4161a',
};

/** Heatmap gradient from the smallest value to the largest (light to dark blue). */
export const heatmapGradient = ['#eef4fb', '#9ecae1', '#4292c6', '#08519c', '#08306b'] as const;

/** The text shown in place of a chart that has nothing to draw. */
export const noDataText = 'No data';

/** The base of every option: background, palette, text style, UTC times, accessible descriptions on. */
export function baseOption(): Record<string, unknown> {
  return {
    backgroundColor: chartBackground,
    color: [...seriesPalette],
    textStyle: { color: textColor, fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif' },
    aria: { enabled: true },
    useUTC: true,
    animation: false,
  };
}

/** A chart option showing only {@link noDataText} (with the chart's title above it when given). */
export function noDataOption(title?: string): Record<string, unknown> {
  return {
    ...baseOption(),
    title: [
      ...(title
        ? [{ text: title, left: 'center', top: 8, textStyle: { color: textColor, fontSize: 14 } }]
        : []),
      {
        text: noDataText,
        left: 'center',
        top: 'middle',
        textStyle: { color: mutedTextColor, fontSize: 14, fontWeight: 'normal' },
      },
    ],
    series: [],
  };
}

/** A title component for `text` (none when absent). */
export function titleOption(text: string | undefined): Record<string, unknown> {
  return text
    ? { title: { text, left: 'center', top: 8, textStyle: { color: textColor, fontSize: 14 } } }
    : {};
}
