import type { BarSeriesOption } from 'echarts/charts';
import type { GridComponentOption, TooltipComponentOption } from 'echarts/components';
import type { ComposeOption } from 'echarts/core';
import { useEffect, useMemo, useRef } from 'react';
import type { Region } from '../../api.ts';
import { FALLBACK_COLOR } from '../../colors.ts';
import { formatPopulation } from '../../format.ts';
import { useLang, useName } from '../../i18n.tsx';
import { CHART_FONT, useChart } from '../../useChart.ts';

type ChartOption = ComposeOption<BarSeriesOption | GridComponentOption | TooltipComponentOption>;

interface PopulationChartProps {
  region: Region;
  colors: Map<string, string>;
  highlightId: string | null;
  onHover: (cityId: string | null) => void;
  onSelect: (cityId: string) => void;
}

export default function PopulationChart({
  region,
  colors,
  highlightId,
  onHover,
  onSelect,
}: PopulationChartProps) {
  const { lang } = useLang();
  const name = useName();
  // Largest at the top: a horizontal bar chart reads top-down.
  const cities = useMemo(() => [...region.cities].sort((a, b) => a.population - b.population), [region]);
  const latest = useRef({ onHover, onSelect, cities });
  latest.current = { onHover, onSelect, cities };
  const cityAt = (index: number | undefined) => latest.current.cities[index ?? -1]?.id;

  const option = useMemo<ChartOption>(() => {
    const unit = lang === 'zh' ? 1e4 : 1e6;
    return {
      animationDuration: 300,
      textStyle: { fontFamily: CHART_FONT },
      grid: { left: 8, right: 72, top: 8, bottom: 8, containLabel: true },
      tooltip: {
        trigger: 'item',
        formatter: (p) => {
          const item = Array.isArray(p) ? p[0] : p;
          const city = cities[item?.dataIndex ?? -1];
          return city ? `${name(city.name)}<br/><b>${formatPopulation(city.population, lang)}</b>` : '';
        },
      },
      xAxis: {
        type: 'value',
        name: lang === 'zh' ? '万人' : 'million',
        nameLocation: 'end',
        nameTextStyle: { color: '#5b6773', align: 'left' },
        axisLabel: { color: '#5b6773' },
        splitLine: { lineStyle: { color: '#e3e8ed' } },
      },
      yAxis: {
        type: 'category',
        data: cities.map((c) => name(c.name)),
        axisTick: { show: false },
        axisLine: { lineStyle: { color: '#c3ccd5' } },
        axisLabel: { color: '#1d2733', fontSize: 13 },
      },
      series: [
        {
          type: 'bar',
          barMaxWidth: 22,
          data: cities.map((c) => ({
            value: Number((c.population / unit).toFixed(2)),
            itemStyle: { color: colors.get(c.jurisdiction) ?? FALLBACK_COLOR, borderRadius: [0, 3, 3, 0] },
          })),
          label: {
            show: true,
            position: 'right',
            color: '#3a4652',
            formatter: (p) => formatPopulation(cities[p.dataIndex]?.population ?? 0, lang),
          },
          emphasis: { itemStyle: { borderColor: '#1d2733', borderWidth: 2 } },
        },
      ],
    };
  }, [cities, colors, lang, name]);
  const { ref, chart: chartRef } = useChart(option, (chart) => {
    chart.on('mouseover', (params) => {
      const id = cityAt(params.dataIndex);
      if (id) latest.current.onHover(id);
    });
    chart.on('mouseout', () => latest.current.onHover(null));
    chart.on('click', (params) => {
      const id = cityAt(params.dataIndex);
      if (id) latest.current.onSelect(id);
    });
  });

  useEffect(() => {
    const chart = chartRef.current;
    if (!chart) return;
    chart.dispatchAction({ type: 'downplay', seriesIndex: 0 });
    const index = cities.findIndex((c) => c.id === highlightId);
    if (index >= 0) chart.dispatchAction({ type: 'highlight', seriesIndex: 0, dataIndex: index });
  }, [highlightId, cities]);

  return <div ref={ref} className="population-chart" data-testid="population-chart" />;
}
