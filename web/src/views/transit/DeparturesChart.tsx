import type { BarSeriesOption } from 'echarts/charts';
import type { GridComponentOption, TooltipComponentOption } from 'echarts/components';
import type { ComposeOption } from 'echarts/core';
import { useMemo } from 'react';
import type { Localized } from '../../api.ts';
import { useLang } from '../../i18n.tsx';
import { CHART_FONT, useChart } from '../../useChart.ts';

type ChartOption = ComposeOption<BarSeriesOption | GridComponentOption | TooltipComponentOption>;

const toMinutes = (time: string) => {
  const [h = 0, m = 0] = time.split(':').map(Number);
  return h * 60 + m;
};
const clock = (minutes: number) =>
  `${String(Math.floor(minutes / 60) % 24).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

/** A board's trains counted in ten-minute bins across its window, on the station's clocks. */
export default function DeparturesChart({
  from,
  to,
  times,
  label,
}: {
  from: string;
  to: string;
  /** `HH:MM:SS` on the station's clocks. */
  times: string[];
  label: Localized;
}) {
  const { lang } = useLang();
  const option = useMemo<ChartOption>(() => {
    const start = Math.floor(toMinutes(from) / 10) * 10;
    const end = Math.max(start + 10, toMinutes(to));
    const bins = Array.from({ length: Math.ceil((end - start) / 10) }, (_, i) => start + i * 10);
    const counts = bins.map(() => 0);
    for (const time of times) {
      const i = Math.floor((toMinutes(time) - start) / 10);
      if (i >= 0 && i < counts.length) counts[i]++;
    }
    return {
      animationDuration: 300,
      textStyle: { fontFamily: CHART_FONT },
      grid: { left: 4, right: 8, top: 12, bottom: 4, containLabel: true },
      tooltip: {
        trigger: 'axis',
        axisPointer: { type: 'shadow' },
        formatter: (p) => {
          const item = Array.isArray(p) ? p[0] : p;
          const i = item?.dataIndex ?? 0;
          return `${clock(bins[i])}–${clock(bins[i] + 10)}<br/>${label[lang]}: <b>${counts[i]}</b>`;
        },
      },
      xAxis: {
        type: 'category',
        data: bins.map(clock),
        axisTick: { alignWithLabel: true },
        axisLine: { lineStyle: { color: '#c3ccd5' } },
        axisLabel: { color: '#5b6773', interval: bins.length > 12 ? 2 : bins.length > 6 ? 1 : 0 },
      },
      yAxis: {
        type: 'value',
        minInterval: 1,
        axisLabel: { color: '#5b6773' },
        splitLine: { lineStyle: { color: '#e3e8ed' } },
      },
      series: [
        {
          type: 'bar',
          data: counts,
          barMaxWidth: 26,
          itemStyle: { color: '#1f4e8c', borderRadius: [3, 3, 0, 0] },
          emphasis: { itemStyle: { color: '#2f6db0' } },
        },
      ],
    };
  }, [from, to, times, label, lang]);
  const { ref } = useChart(option);
  return <div ref={ref} className="departures-chart" data-testid="departures-chart" />;
}
