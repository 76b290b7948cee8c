import { lazy, Suspense, useState } from 'react';
import { transitApi } from '../../api.ts';
import { ErrorPanel } from '../../components/ErrorPanel.tsx';
import { Loading } from '../../components/Loading.tsx';
import { useText } from '../../i18n.tsx';
import { hashHref, replaceHash } from '../../router.ts';
import { useFetch } from '../../useFetch.ts';
import { tx } from './text.ts';
import { defaultDate, isDate, type TabProps } from './util.ts';
import { parseWindow, WindowFields } from './WindowFields.tsx';

const MatrixChart = lazy(() => import('./MatrixChart.tsx'));

export default function MatrixTab({ region, feed, params, feedParam }: TabProps) {
  const t = useText();
  const initialDate = params.get('date');
  const [date, setDate] = useState(isDate(initialDate) ? initialDate : defaultDate(feed, region.timeZone));
  const [window, setWindow] = useState(parseWindow(params.get('window')));
  const [query, setQuery] = useState({ date, window: `${window.from}-${window.to}` });
  const matrix = useFetch(
    (signal) => transitApi.matrix({ feed: feed.id, ...query }, signal),
    `${feed.id}|${query.date}|${query.window}`,
  );

  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    const next = { date, window: `${window.from}-${window.to}` };
    setQuery(next);
    replaceHash(hashHref('transit', ['matrix'], { feed: feedParam, ...next }));
  };

  return (
    <div className="stack">
      <form className="card inline-form" onSubmit={submit}>
        <div className="field">
          <label htmlFor="matrix-date">{t(tx.onDate)}</label>
          <input
            id="matrix-date"
            type="date"
            value={date}
            min={feed.coverage.start}
            max={feed.coverage.end}
            onChange={(e) => setDate(e.target.value)}
            required
          />
        </div>
        <WindowFields from={window.from} to={window.to} onChange={(from, to) => setWindow({ from, to })} />
        <button type="submit" className="button primary">
          {t(tx.apply)}
        </button>
      </form>
      <section className="card" aria-labelledby="matrix-title">
        <div className="card-head">
          <div>
            <h2 id="matrix-title">{t(tx.matrixTitle)}</h2>
            <p className="muted small card-note">{t(tx.matrixNote)}</p>
            <p className="muted small card-note">{t(tx.matrixAxes)}</p>
          </div>
        </div>
        {matrix.state === 'failed' && <ErrorPanel error={matrix.error} />}
        {matrix.state === 'loading' && (
          <div className="matrix-chart">
            <Loading />
          </div>
        )}
        {matrix.state === 'ready' && (
          <Suspense fallback={<Loading />}>
            <MatrixChart matrix={matrix.data} />
          </Suspense>
        )}
      </section>
    </div>
  );
}
