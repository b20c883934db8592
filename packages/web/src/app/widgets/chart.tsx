import type { EChartsType } from 'echarts/core';
import { useEffect, useRef } from 'preact/hooks';

let runtime: Promise<typeof import('./echarts-runtime.ts')> | undefined;
/** ECharts, loaded with the first chart (its own file), so that signing in does not wait for it. */
const loadRuntime = () => {
  runtime ??= import('./echarts-runtime.ts');
  return runtime;
};

/** Starts loading ECharts now (a dashboard about to draw), so the charts need not wait for it later. */
export function preloadCharts(): void {
  void loadRuntime();
}

/**
 * An ECharts chart drawn on a canvas from an option of `src/charts`: resized with its box,
 * disposed with the component. `label` describes it for screen readers.
 */
export function Chart(props: {
  option: Record<string, unknown>;
  label: string;
  onItemClick?: (id: string) => void;
}) {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<EChartsType | null>(null);
  const clickRef = useRef(props.onItemClick);
  clickRef.current = props.onItemClick;

  const optionRef = useRef(props.option);
  optionRef.current = props.option;

  useEffect(() => {
    let disposed = false;
    let cleanup: () => void = () => undefined;
    void loadRuntime().then(({ init }) => {
      const element = box.current;
      if (disposed || !element) return;
      const instance = init(element, null, { renderer: 'canvas' });
      chart.current = instance;
      instance.setOption(optionRef.current, { notMerge: true });
      instance.on('click', (params) => {
        const data = (params as { data?: { id?: unknown } }).data;
        if (data && typeof data.id === 'string') clickRef.current?.(data.id);
      });
      const observer = new ResizeObserver(() => instance.resize());
      observer.observe(element);
      cleanup = () => {
        observer.disconnect();
        instance.dispose();
      };
    });
    return () => {
      disposed = true;
      chart.current = null;
      cleanup();
    };
  }, []);

  useEffect(() => {
    chart.current?.setOption(props.option, { notMerge: true });
  }, [props.option]);

  return <div class="chart" data-testid="chart" role="img" aria-label={props.label} ref={box} />;
}
