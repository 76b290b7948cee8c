import { BarChart, HeatmapChart, SankeyChart, ScatterChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent, VisualMapComponent } from 'echarts/components';
import { type EChartsCoreOption, type EChartsType, init, use } from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { type RefObject, useEffect, useRef } from 'react';

// Every chart type and component the dashboard's charts use, registered in this one place.
use([
  BarChart,
  HeatmapChart,
  SankeyChart,
  ScatterChart,
  GridComponent,
  LegendComponent,
  TooltipComponent,
  VisualMapComponent,
  CanvasRenderer,
]);

export const CHART_FONT = '"PingFang SC", "Noto Sans CJK SC", "Microsoft YaHei", system-ui, sans-serif';

/**
 * An ECharts instance bound to a div: created once, resized with it, given each new option whole.
 * `listen` is called once with the new instance, to attach its event handlers.
 */
export function useChart(
  option: EChartsCoreOption | null,
  listen?: (chart: EChartsType) => void,
): { ref: RefObject<HTMLDivElement | null>; chart: RefObject<EChartsType | null> } {
  const containerRef = useRef<HTMLDivElement>(null);
  const chartRef = useRef<EChartsType | null>(null);
  const listenRef = useRef(listen);
  listenRef.current = listen;

  useEffect(() => {
    const container = containerRef.current;
    if (!container) return;
    const chart = init(container, undefined, { renderer: 'canvas' });
    chartRef.current = chart;
    listenRef.current?.(chart);
    const observer = new ResizeObserver(() => chart.resize());
    observer.observe(container);
    return () => {
      observer.disconnect();
      chart.dispose();
      chartRef.current = null;
    };
  }, []);

  useEffect(() => {
    // People who ask their system for less motion get charts without animation.
    const still = window.matchMedia('(prefers-reduced-motion: reduce)').matches;
    if (option) chartRef.current?.setOption(still ? { ...option, animation: false } : option, true);
  }, [option]);

  return { ref: containerRef, chart: chartRef };
}
