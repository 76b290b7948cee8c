import type { BarSeriesOption, ScatterSeriesOption } from 'echarts/charts';
import type { GridComponentOption, LegendComponentOption, TooltipComponentOption } from 'echarts/components';
import type { ComposeOption } from 'echarts/core';
import { useMemo } from 'react';
import type { ComparedPair } from '../../api.ts';
import { useLang } from '../../i18n.tsx';
import { CHART_FONT, useChart } from '../../useChart.ts';
import { tx } from './text.ts';

type ChartOption = ComposeOption<
  BarSeriesOption | ScatterSeriesOption | GridComponentOption | LegendComponentOption | TooltipComponentOption
>;

const BASE = '#9aa5b1';
const WITH = '#1f4e8c';
const BETTER = '#3f9a6e';
const WORSE = '#b3564f';

interface CompareChartProps {
  pairs: ComparedPair[];
  pairName: (pair: ComparedPair) => string;
  baseLabel: string;
  withLabel: string;
}

/** A dumbbell per city pair: base and comparison medians joined by a bar coloured by the change. */
export default function CompareChart({ pairs, pairName, baseLabel, withLabel }: CompareChartProps) {
  const { lang } = useLang();
  const option = useMemo<ChartOption>(() => {
    const low = pairs.map((p) => (p.base !== null && p.with !== null ? Math.min(p.base, p.with) : 0));
    const span = pairs.map((p) => {
      if (p.base === null || p.with === null || p.base === p.with) return 0;
      return {
        value: Math.abs(p.with - p.base),
        itemStyle: { color: p.with < p.base ? BETTER : WORSE },
      };
    });
    const min = tx.minutes[lang];
    return {
      animationDuration: 300,
      textStyle: { fontFamily: CHART_FONT },
      grid: { left: 8, right: 24, top: 36, bottom: 8, containLabel: true },
      legend: {
        top: 0,
        left: 0,
        data: [baseLabel, withLabel],
        textStyle: { color: '#3a4652' },
      },
      tooltip: {
        trigger: 'axis',
        axisPointer: { type: 'shadow' },
        formatter: (params) => {
          const item = Array.isArray(params) ? params[0] : params;
          const p = pairs[item?.dataIndex ?? -1];
          if (!p) return '';
          const change =
            p.changeMinutes === null
              ? ''
              : `<br/>${p.changeMinutes > 0 ? '+' : p.changeMinutes < 0 ? '−' : ''}${Math.abs(p.changeMinutes)} ${min}${
                  p.changePercent !== null ? ` (${p.changePercent > 0 ? '+' : ''}${p.changePercent}%)` : ''
                }`;
          const value = (v: number | null) => (v === null ? '—' : `${Math.round(v)} ${min}`);
          return `<b>${pairName(p)}</b><br/>${baseLabel}: ${value(p.base)}<br/>${withLabel}: ${value(p.with)}${change}`;
        },
      },
      xAxis: {
        type: 'value',
        name: min,
        nameLocation: 'end',
        nameTextStyle: { color: '#5b6773' },
        axisLabel: { color: '#5b6773' },
        splitLine: { lineStyle: { color: '#e3e8ed' } },
      },
      yAxis: {
        type: 'category',
        inverse: true,
        data: pairs.map(pairName),
        axisTick: { show: false },
        axisLine: { lineStyle: { color: '#c3ccd5' } },
        axisLabel: { color: '#1d2733', fontSize: 12 },
      },
      series: [
        {
          type: 'bar',
          stack: 'range',
          data: low,
          itemStyle: { color: 'transparent' },
          silent: true,
          barWidth: 4,
        },
        { type: 'bar', stack: 'range', data: span, barWidth: 4, silent: true },
        {
          type: 'scatter',
          name: baseLabel,
          data: pairs.map((p) => p.base ?? '-'),
          symbolSize: 10,
          itemStyle: { color: '#ffffff', borderColor: BASE, borderWidth: 2.5 },
          z: 3,
        },
        {
          type: 'scatter',
          name: withLabel,
          data: pairs.map((p) => p.with ?? '-'),
          symbolSize: 10,
          itemStyle: { color: WITH },
          z: 4,
        },
      ],
    };
  }, [pairs, pairName, baseLabel, withLabel, lang]);
  const { ref } = useChart(option);
  return (
    <div
      ref={ref}
      className="compare-chart"
      data-testid="compare-chart"
      data-pairs={pairs.length}
      style={{ height: `${Math.max(240, pairs.length * 24 + 60)}px` }}
    />
  );
}
