import { init, use } from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import { chartModules } from '../charts/modules.ts';

use([...chartModules, SVGRenderer]);

/** Size of a chart drawn for a report, in CSS pixels. */
export interface ChartSize {
  width: number;
  height: number;
}

/**
 * Renames the class names and ids ECharts numbers across the whole process (`zr3-cls-117`,
 * `zr3-c2`, `zr3-g0`) to `<prefix>-cls-0`, `<prefix>-c0`, ... in order of first appearance, so that
 * the SVG depends only on the option and several charts in one document keep distinct names.
 */
function renumberIds(svg: string, prefix: string): string {
  const names = new Map<string, string>();
  const counts = new Map<string, number>();
  return svg
    .replace(/\bzr\d+-([a-z]+-?)(\d+)\b/g, (whole: string, kind: string) => {
      let name = names.get(whole);
      if (name === undefined) {
        const n = counts.get(kind) ?? 0;
        counts.set(kind, n + 1);
        name = `${prefix}-${kind}${n}`;
        names.set(whole, name);
      }
      return name;
    })
    .replace(/\bzr\d+-/g, `${prefix}-`);
}

/**
 * Draws `option` to an SVG string with ECharts' server-side rendering (no DOM), with ids and class
 * names made of `prefix` (see {@link renumberIds}).
 */
export function renderChartSvg(option: Record<string, unknown>, size: ChartSize, prefix: string): string {
  const chart = init(null, null, { renderer: 'svg', ssr: true, width: size.width, height: size.height });
  try {
    chart.setOption({ ...option, animation: false });
    return renumberIds(chart.renderToSVGString(), prefix);
  } finally {
    chart.dispose();
  }
}
