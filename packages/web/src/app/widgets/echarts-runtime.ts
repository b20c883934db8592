import { init, use } from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { registerCharts } from '../../charts/index.ts';

registerCharts(use as (modules: unknown[]) => void, CanvasRenderer);

/** `echarts/core`'s `init`, with the charts of `src/charts` and the canvas renderer registered. */
export { init };
