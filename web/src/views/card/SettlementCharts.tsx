import type { BarSeriesOption, SankeySeriesOption } from 'echarts/charts';
import type { GridComponentOption, TooltipComponentOption } from 'echarts/components';
import type { ComposeOption } from 'echarts/core';
import { useMemo } from 'react';
import type { SettlementRun } from '../../api.ts';
import { formatFen } from '../../format.ts';
import { useLang, useText } from '../../i18n.tsx';
import { CHART_FONT, useChart } from '../../useChart.ts';
import { cx } from './text.ts';

type BarOption = ComposeOption<BarSeriesOption | GridComponentOption | TooltipComponentOption>;
type SankeyOption = ComposeOption<SankeySeriesOption | TooltipComponentOption>;

const RECEIVES = '#3f9a6e';
const PAYS = '#b3564f';
const INK = '#5b6773';

interface Props {
  run: SettlementRun;
  placeName: (id: string) => string;
}

/** The run's net positions as bars (receivers right, payers left) and its payments as a Sankey. */
export default function SettlementCharts({ run, placeName }: Props) {
  const t = useText();
  return (
    <>
      <section className="card positions-card" aria-labelledby="positions-title">
        <div className="card-head">
          <h2 id="positions-title">{t(cx.positions)}</h2>
        </div>
        <PositionsChart run={run} placeName={placeName} />
      </section>
      <section className="card sankey-card" aria-labelledby="sankey-title">
        <div className="card-head">
          <h2 id="sankey-title">{t(cx.paymentsFlow)}</h2>
        </div>
        {run.payments.length === 0 ? (
          <p className="muted">{t(cx.noPayments)}</p>
        ) : (
          <PaymentsSankey run={run} placeName={placeName} />
        )}
      </section>
    </>
  );
}

function PositionsChart({ run, placeName }: Props) {
  const { lang } = useLang();
  // Largest receiver at the top: a horizontal bar chart reads top-down.
  const positions = useMemo(() => [...run.positions].sort((a, b) => a.net - b.net), [run]);
  const option = useMemo<BarOption>(
    () => ({
      animationDuration: 300,
      textStyle: { fontFamily: CHART_FONT },
      grid: { left: 8, right: 24, top: 8, bottom: 8, containLabel: true },
      tooltip: {
        trigger: 'item',
        formatter: (p) => {
          const item = Array.isArray(p) ? p[0] : p;
          const position = positions[item?.dataIndex ?? -1];
          return position ? `${placeName(position.party)}<br/><b>${formatFen(position.net, lang)}</b>` : '';
        },
      },
      xAxis: {
        type: 'value',
        axisLabel: {
          color: INK,
          hideOverlap: true,
          // Compact (¥40K, ¥4万): full amounts are on the bars, and long ones collide on the axis.
          formatter: (yuan: number) =>
            `¥${new Intl.NumberFormat(lang, { notation: 'compact', maximumFractionDigits: 1 }).format(yuan)}`,
        },
        splitLine: { lineStyle: { color: '#e3e8ed' } },
      },
      yAxis: {
        type: 'category',
        data: positions.map((p) => placeName(p.party)),
        axisLabel: { color: '#1d2733' },
        axisTick: { show: false },
      },
      series: [
        {
          type: 'bar',
          barMaxWidth: 22,
          // Yuan for the axis scale only; every figure people read is formatted from the fen.
          data: positions.map((p) => ({
            value: p.net / 100,
            itemStyle: { color: p.net >= 0 ? RECEIVES : PAYS },
          })),
          label: {
            show: true,
            position: 'right',
            color: INK,
            formatter: (p) => formatFen(positions[p.dataIndex]?.net ?? 0, lang),
          },
        },
      ],
    }),
    [positions, placeName, lang],
  );
  const { ref } = useChart(option);
  return (
    <div
      ref={ref}
      className="positions-chart"
      data-testid="positions-chart"
      style={{ height: `${Math.max(160, positions.length * 34 + 24)}px` }}
    />
  );
}

function PaymentsSankey({ run, placeName }: Props) {
  const { lang } = useLang();
  const option = useMemo<SankeyOption>(() => {
    // After netting a party only pays or only receives, so payers and receivers are apart and
    // the payments form the two-layer graph a Sankey needs.
    const ids = [...new Set(run.payments.flatMap((p) => [p.from, p.to]))];
    const payers = new Set(run.payments.map((p) => p.from));
    return {
      animationDuration: 300,
      textStyle: { fontFamily: CHART_FONT },
      tooltip: {
        trigger: 'item',
        formatter: (p) => {
          const item = Array.isArray(p) ? p[0] : p;
          if (item?.dataType !== 'edge') return item?.name ?? '';
          const payment = run.payments[item.dataIndex];
          return payment
            ? `${placeName(payment.from)} → ${placeName(payment.to)}<br/><b>${formatFen(payment.amount, lang)}</b>`
            : '';
        },
      },
      series: [
        {
          type: 'sankey',
          left: 8,
          right: 160,
          top: 8,
          bottom: 8,
          nodeWidth: 14,
          nodeGap: 10,
          layoutIterations: 32,
          emphasis: { focus: 'adjacency' },
          label: { color: '#1d2733' },
          lineStyle: { color: 'source', opacity: 0.35, curveness: 0.5 },
          data: ids.map((id) => ({
            name: placeName(id),
            itemStyle: { color: payers.has(id) ? PAYS : RECEIVES },
          })),
          links: run.payments.map((p) => ({
            source: placeName(p.from),
            target: placeName(p.to),
            value: p.amount,
          })),
        },
      ],
    };
  }, [run, placeName, lang]);
  const { ref } = useChart(option);
  return <div ref={ref} className="sankey-chart" data-testid="payments-sankey" />;
}
