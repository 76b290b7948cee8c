import { lazy, Suspense, useCallback, useMemo, useState } from 'react';
import { type ComparedPair, type Comparison, type TransitFeed, transitApi } from '../../api.ts';
import { ErrorPanel } from '../../components/ErrorPanel.tsx';
import { Loading } from '../../components/Loading.tsx';
import { formatInteger } from '../../format.ts';
import { type Lang, useLang, useName, useText } from '../../i18n.tsx';
import { hashHref, replaceHash } from '../../router.ts';
import { useFetch } from '../../useFetch.ts';
import { tx } from './text.ts';
import type { TabProps } from './util.ts';
import { parseWindow, WindowFields } from './WindowFields.tsx';

const CompareChart = lazy(() => import('./CompareChart.tsx'));

/** How many pairs the chart shows before "show every pair". */
const CHART_PAIRS = 24;

const plain = (value: number, lang: Lang, digits = 1) =>
  new Intl.NumberFormat(lang === 'zh' ? 'zh-CN' : 'en-US', { maximumFractionDigits: digits }).format(value);

/** With a real minus sign, and a plus for increases. */
const signed = (value: number, lang: Lang, digits = 1) => {
  const text = plain(Math.abs(value), lang, digits);
  return value > 0 ? `+${text}` : value < 0 ? `−${text}` : text;
};

/** Newly reachable first, then the largest reductions, unchanged pairs, increases and pairs lost. */
export function rankPairs(pairs: ComparedPair[]): ComparedPair[] {
  const rank = (p: ComparedPair) => {
    if (p.base === null && p.with !== null) return [0, -p.with];
    if (p.changeMinutes !== null) return [1, p.changeMinutes];
    if (p.base !== null && p.with === null) return [2, 0];
    return [3, 0];
  };
  return [...pairs].sort((a, b) => {
    const [x, y] = [rank(a), rank(b)];
    return x[0] - y[0] || x[1] - y[1];
  });
}

interface FeedSelectProps {
  id: string;
  label: string;
  feeds: TransitFeed[];
  value: string;
  onChange: (feedId: string) => void;
}

function FeedSelect({ id, label, feeds, value, onChange }: FeedSelectProps) {
  const t = useText();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)}>
        {feeds.map((f) => (
          <option key={f.id} value={f.id}>
            {t(f.name)}
          </option>
        ))}
      </select>
    </div>
  );
}

function Headline({ data, feedLabel }: { data: Comparison; feedLabel: (id: string) => string }) {
  const { lang } = useLang();
  const t = useText();
  const a = data.average;
  const newly = data.pairs.filter((p) => p.base === null && p.with !== null).length;
  const lost = data.pairs.filter((p) => p.base !== null && p.with === null).length;
  let text: string;
  if (a.changeMinutes === null) text = '—';
  else if (lang === 'zh') {
    const pct = a.changePercent === null ? '' : `（${plain(Math.abs(a.changePercent), lang)}%）`;
    const minutes = `${plain(Math.abs(a.changeMinutes), lang)} 分钟${pct}`;
    text =
      a.changeMinutes < 0
        ? `${t(tx.averageShorter)} ${minutes}`
        : a.changeMinutes > 0
          ? `${t(tx.averageLonger)} ${minutes}`
          : t(tx.averageSame);
  } else {
    const pct = a.changePercent === null ? '' : ` (${signed(a.changePercent, lang)}%)`;
    text =
      a.changeMinutes === 0
        ? t(tx.averageSame)
        : `${t(tx.averageShorter)} ${signed(a.changeMinutes, lang)} min${pct}`;
  }
  const tone =
    a.changeMinutes === null || a.changeMinutes === 0 ? '' : a.changeMinutes < 0 ? ' better' : ' worse';
  return (
    <div className={`card compare-headline${tone}`} data-testid="compare-headline">
      <p className="compare-big">{text}</p>
      <p className="muted">
        {a.base !== null && a.with !== null && (
          <>
            {plain(a.base, lang)} → {plain(a.with, lang)} {t(tx.minutes)} ·{' '}
          </>
        )}
        {formatInteger(a.pairs, lang)} {t(tx.averageOver)}
        {newly > 0 && ` · ${formatInteger(newly, lang)} ${t(tx.newlyReachable)}`}
        {lost > 0 && ` · ${formatInteger(lost, lang)} ${t(tx.noLongerReachable)}`}
      </p>
      <p className="muted small">
        {t(tx.base)} {feedLabel(data.base.feed)} ({data.base.date}) · {t(tx.with)} {feedLabel(data.with.feed)}{' '}
        ({data.with.date}) · {data.window.from}–{data.window.to}
      </p>
    </div>
  );
}

export default function CompareTab({ feeds, params }: TabProps) {
  const { lang } = useLang();
  const t = useText();
  const name = useName();
  const has = (id: string | null) => (id && feeds.some((f) => f.id === id) ? id : null);
  const [base, setBase] = useState(
    has(params.get('base')) ?? has('2022') ?? feeds[feeds.length - 1]?.id ?? 'today',
  );
  const [other, setOther] = useState(
    has(params.get('with')) ?? feeds.find((f) => f.default)?.id ?? has('today') ?? feeds[0]?.id ?? 'today',
  );
  const [window, setWindow] = useState(parseWindow(params.get('window')));
  const [query, setQuery] = useState({ base, with: other, window: `${window.from}-${window.to}` });
  const [showAll, setShowAll] = useState(false);
  const comparison = useFetch(
    (signal) => transitApi.compare(query, signal),
    `${query.base}|${query.with}|${query.window}`,
  );

  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    const next = { base, with: other, window: `${window.from}-${window.to}` };
    setQuery(next);
    replaceHash(hashHref('transit', ['compare'], next));
  };

  const data = comparison.state === 'ready' ? comparison.data : null;
  const names = useMemo(() => new Map((data?.places ?? []).map((p) => [p.id, p.name])), [data]);
  const ranked = useMemo(() => (data ? rankPairs(data.pairs) : []), [data]);
  const charted = useMemo(() => {
    if (showAll) return ranked;
    const size = (p: ComparedPair) =>
      p.changeMinutes !== null ? Math.abs(p.changeMinutes) : p.base === null && p.with === null ? -1 : 1e6;
    const keep = new Set([...ranked].sort((a, b) => size(b) - size(a)).slice(0, CHART_PAIRS));
    return ranked.filter((p) => keep.has(p) && size(p) >= 0);
  }, [ranked, showAll]);
  const feedLabel = useCallback(
    (id: string) => {
      const f = feeds.find((x) => x.id === id);
      return f ? name(f.name) : id;
    },
    [feeds, name],
  );
  const pairName = useCallback(
    (p: ComparedPair) => {
      const nameOf = (id: string) => {
        const n = names.get(id);
        return n ? name(n) : id;
      };
      return `${nameOf(p.from)} → ${nameOf(p.to)}`;
    },
    [names, name],
  );

  return (
    <div className="stack">
      <form className="card inline-form" onSubmit={submit}>
        <FeedSelect id="compare-base" label={t(tx.base)} feeds={feeds} value={base} onChange={setBase} />
        <span className="vs" aria-hidden="true">
          →
        </span>
        <FeedSelect id="compare-with" label={t(tx.with)} feeds={feeds} value={other} onChange={setOther} />
        <WindowFields from={window.from} to={window.to} onChange={(from, to) => setWindow({ from, to })} />
        <button type="submit" className="button primary">
          {t(tx.apply)}
        </button>
        {base === other && <span className="form-hint">{t(tx.sameFeed)}</span>}
      </form>
      {comparison.state === 'failed' && <ErrorPanel error={comparison.error} />}
      {comparison.state === 'loading' && <Loading />}
      {data && (
        <>
          <Headline data={data} feedLabel={feedLabel} />
          <div className="compare-grid">
            <section className="card" aria-labelledby="compare-title">
              <div className="card-head">
                <h2 id="compare-title">{t(tx.compareTitle)}</h2>
                <button type="button" className="link-button" onClick={() => setShowAll((v) => !v)}>
                  {showAll ? t(tx.showChanged) : t(tx.showAll)}
                </button>
              </div>
              <Suspense fallback={<Loading />}>
                <CompareChart
                  pairs={charted}
                  pairName={pairName}
                  baseLabel={feedLabel(data.base.feed)}
                  withLabel={feedLabel(data.with.feed)}
                />
              </Suspense>
            </section>
            <section className="card" aria-labelledby="pairs-title">
              <div className="card-head">
                <h2 id="pairs-title">{t(tx.pairsTitle)}</h2>
                <span className="muted small">{formatInteger(data.pairs.length, lang)}</span>
              </div>
              <div className="table-wrap pairs-wrap">
                <table className="city-table pairs-table" data-testid="compare-table">
                  <thead>
                    <tr>
                      <th scope="col">{t(tx.colPair)}</th>
                      <th scope="col" className="num" title={feedLabel(data.base.feed)}>
                        {t(tx.colBase)}
                      </th>
                      <th scope="col" className="num" title={feedLabel(data.with.feed)}>
                        {t(tx.colWith)}
                      </th>
                      <th scope="col" className="num">
                        {t(tx.colChange)}
                      </th>
                      <th scope="col" className="num">
                        {t(tx.colChangePercent)}
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {ranked.map((p) => {
                      const tone =
                        p.changeMinutes === null
                          ? p.base === null && p.with !== null
                            ? 'better'
                            : p.with === null && p.base !== null
                              ? 'worse'
                              : ''
                          : p.changeMinutes < 0
                            ? 'better'
                            : p.changeMinutes > 0
                              ? 'worse'
                              : '';
                      return (
                        <tr key={`${p.from}-${p.to}`} data-pair={`${p.from}-${p.to}`}>
                          <th scope="row">{pairName(p)}</th>
                          <td className="num">{p.base === null ? '—' : plain(p.base, lang, 0)}</td>
                          <td className="num">{p.with === null ? '—' : plain(p.with, lang, 0)}</td>
                          <td className={`num change ${tone}`}>
                            {p.changeMinutes !== null
                              ? signed(p.changeMinutes, lang)
                              : p.base === null && p.with !== null
                                ? t(tx.newlyReachable)
                                : p.with === null && p.base !== null
                                  ? t(tx.noLongerReachable)
                                  : '—'}
                          </td>
                          <td className={`num change ${tone}`}>
                            {p.changePercent !== null ? `${signed(p.changePercent, lang)}%` : ''}
                          </td>
                        </tr>
                      );
                    })}
                  </tbody>
                </table>
              </div>
            </section>
          </div>
        </>
      )}
    </div>
  );
}
