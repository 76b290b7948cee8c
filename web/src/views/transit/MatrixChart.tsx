import type { HeatmapSeriesOption } from 'echarts/charts';
import type {
  GridComponentOption,
  TooltipComponentOption,
  VisualMapComponentOption,
} from 'echarts/components';
import type { ComposeOption } from 'echarts/core';
import { useMemo } from 'react';
import type { MatrixCell, TravelTimeMatrix } from '../../api.ts';
import { useLang, useName } from '../../i18n.tsx';
import { CHART_FONT, useChart } from '../../useChart.ts';
import { tx } from './text.ts';
import { minutesText } from './util.ts';

type ChartOption = ComposeOption<
  HeatmapSeriesOption | GridComponentOption | TooltipComponentOption | VisualMapComponentOption
>;

/** Short to long: pale green to deep blue, readable with the value printed on top. */
const SCALE = ['#edf8e9', '#c7e9c0', '#7fcdbb', '#41b6c4', '#1d91c0', '#225ea8', '#0c2c84'];

export default function MatrixChart({ matrix }: { matrix: TravelTimeMatrix }) {
  const { lang } = useLang();
  const name = useName();
  const option = useMemo<ChartOption>(() => {
    const index = new Map(matrix.places.map((p, i) => [p.id, i]));
    const cells = new Map<string, MatrixCell>();
    for (const c of matrix.cells) cells.set(`${index.get(c.from)}:${index.get(c.to)}`, c);
    const reachable: [number, number, number][] = [];
    const unreachable: [number, number, number][] = [];
    for (const c of matrix.cells) {
      const x = index.get(c.to);
      const y = index.get(c.from);
      if (x === undefined || y === undefined || c.from === c.to) continue;
      if (c.median === null) unreachable.push([x, y, 0]);
      else reachable.push([x, y, Math.round(c.median)]);
    }
    const max = Math.max(60, ...reachable.map((d) => d[2]));
    const names = matrix.places.map((p) => name(p.name));
    const pct = (v: number) => `${Math.round(v * 100)}%`;
    const round = (v: number | null) => (v === null ? '—' : String(Math.round(v)));
    return {
      animation: false,
      textStyle: { fontFamily: CHART_FONT },
      grid: { left: 8, right: 90, top: 8, bottom: 40, containLabel: true },
      tooltip: {
        formatter: (p) => {
          const item = Array.isArray(p) ? p[0] : p;
          const [x, y] = (item?.data as number[]) ?? [];
          const c = cells.get(`${y}:${x}`);
          if (!c) return '';
          const title = `<b>${names[y]} → ${names[x]}</b>`;
          if (c.median === null) return `${title}<br/>${tx.unreachable[lang]}`;
          return [
            title,
            `${tx.median[lang]}: <b>${minutesText(c.median, lang)}</b>`,
            `${tx.interquartile[lang]}: ${round(c.p25)}–${round(c.p75)} ${tx.minutes[lang]}`,
            `${tx.range[lang]}: ${round(c.p10)}–${round(c.p90)} ${tx.minutes[lang]}`,
            `${tx.reachable[lang]}: ${pct(c.reachable)}`,
          ].join('<br/>');
        },
      },
      xAxis: {
        type: 'category',
        data: names,
        position: 'top',
        axisTick: { show: false },
        axisLine: { show: false },
        axisLabel: { color: '#1d2733', fontSize: 13 },
        splitArea: { show: false },
      },
      yAxis: {
        type: 'category',
        data: names,
        inverse: true,
        axisTick: { show: false },
        axisLine: { show: false },
        axisLabel: { color: '#1d2733', fontSize: 13 },
      },
      visualMap: [
        {
          type: 'continuous',
          seriesIndex: 0,
          min: 0,
          max: Math.ceil(max / 30) * 30,
          calculable: false,
          orient: 'vertical',
          right: 8,
          top: 'middle',
          itemHeight: 260,
          text: [`${Math.ceil(max / 30) * 30} ${tx.minutes[lang]}`, `0`],
          textStyle: { color: '#5b6773' },
          inRange: { color: SCALE },
        },
        // The unreachable pairs: one grey, no legend.
        { type: 'piecewise', seriesIndex: 1, show: false, pieces: [{ value: 0, color: '#f0f2f4' }] },
      ],
      series: [
        {
          type: 'heatmap',
          data: reachable,
          label: {
            show: true,
            formatter: (p) => String((p.data as number[])[2]),
            fontSize: 12,
          },
          itemStyle: { borderColor: '#ffffff', borderWidth: 2, borderRadius: 3 },
          emphasis: { itemStyle: { borderColor: '#1d2733', borderWidth: 2 } },
        },
        {
          type: 'heatmap',
          data: unreachable,
          label: { show: true, formatter: '—', color: '#8a96a3' },
          itemStyle: { color: '#f0f2f4', borderColor: '#ffffff', borderWidth: 2, borderRadius: 3 },
        },
      ],
    };
  }, [matrix, lang, name]);
  const { ref } = useChart(option);
  return (
    <div ref={ref} className="matrix-chart" data-testid="matrix-chart" data-places={matrix.places.length} />
  );
}
