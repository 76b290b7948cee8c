import { lazy, Suspense, useState } from 'react';
import { transitApi } from '../../api.ts';
import { ErrorPanel } from '../../components/ErrorPanel.tsx';
import { Loading } from '../../components/Loading.tsx';
import { useText } from '../../i18n.tsx';
import { hashHref, replaceHash } from '../../router.ts';
import { useFetch } from '../../useFetch.ts';
import { tx } from './text.ts';
import type { TabProps } from './util.ts';
import { DateWindowFields, useDateWindow } from './WindowFields.tsx';

const MatrixChart = lazy(() => import('./MatrixChart.tsx'));

export default function MatrixTab({ region, feed, params, feedParam }: TabProps) {
  const t = useText();
  const when = useDateWindow(params, feed, region.timeZone);
  const { date, window } = when;
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
        <DateWindowFields id="matrix-date" feed={feed} {...when} />
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
