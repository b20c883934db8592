import { BarChart, HeatmapChart, LineChart, ScatterChart } from 'echarts/charts';
import {
  AriaComponent,
  GridComponent,
  LegendComponent,
  MarkLineComponent,
  TitleComponent,
  TooltipComponent,
  VisualMapComponent,
} from 'echarts/components';

/**
 * The ECharts charts and components the options of this folder use, without a renderer: register
 * them with `echarts/core`'s `use`, plus the renderer wanted (`CanvasRenderer` in a page,
 * `SVGRenderer` for server-side rendering).
 */
export const chartModules = [
  LineChart,
  BarChart,
  ScatterChart,
  HeatmapChart,
  GridComponent,
  TooltipComponent,
  TitleComponent,
  LegendComponent,
  VisualMapComponent,
  MarkLineComponent,
  AriaComponent,
];

/**
 * Registers {@link chartModules} and `renderer` with `use` (pass `echarts/core`'s own):
 * `registerCharts(use, CanvasRenderer)`.
 */
export function registerCharts(use: (modules: unknown[]) => void, renderer: unknown): void {
  use([...chartModules, renderer]);
}
