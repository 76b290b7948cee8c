import { lazy, Suspense, useEffect, useState } from 'react';
import { type Stop, transitApi } from '../../api.ts';
import { ErrorPanel } from '../../components/ErrorPanel.tsx';
import { Loading } from '../../components/Loading.tsx';
import { formatInteger } from '../../format.ts';
import { useLang, useText } from '../../i18n.tsx';
import { hashHref, replaceHash } from '../../router.ts';
import { useFetch } from '../../useFetch.ts';
import { RouteBadge } from './RouteBadge.tsx';
import { StationPicker } from './StationPicker.tsx';
import { tx } from './text.ts';
import { useStops } from './useStops.ts';
import { clockTime, minutesText, routeLongName, stopName, type TabProps } from './util.ts';
import { DateWindowFields, useDateWindow } from './WindowFields.tsx';

const DeparturesChart = lazy(() => import('./DeparturesChart.tsx'));

interface Query {
  stop: string;
  date: string;
  from: string;
  to: string;
}

export default function DeparturesTab({ region, feed, params, feedParam }: TabProps) {
  const { lang } = useLang();
  const t = useText();
  const [stop, setStop] = useState<Stop | null>(null);
  const when = useDateWindow(params, feed, region.timeZone);
  const { date, window } = when;
  const [query, setQuery] = useState<Query | null>(null);
  const { headsign } = useStops(feed.id);

  // Start from the address's station, or else the feed's busiest one.
  useEffect(() => {
    const controller = new AbortController();
    const wanted = params.get('stop');
    const pick = wanted
      ? transitApi
          .stops({ feed: feed.id, q: wanted }, controller.signal)
          .then((all) => all.find((s) => s.id === wanted))
      : transitApi.stats({ feed: feed.id, date }, controller.signal).then((s) => s.busiestStations[0]?.stop);
    pick.then(
      (found) => {
        if (!found || controller.signal.aborted) return;
        setStop(found);
        setQuery({ stop: found.id, date, ...window });
      },
      () => {},
    );
    return () => controller.abort();
  }, []);

  const board = useFetch(
    (signal) => (query ? transitApi.departures({ feed: feed.id, ...query }, signal) : Promise.resolve(null)),
    query ? `${feed.id}|${query.stop}|${query.date}|${query.from}|${query.to}` : '',
  );

  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    if (!stop) return;
    const next = { stop: stop.id, date, ...window };
    setQuery(next);
    replaceHash(
      hashHref('transit', ['departures'], {
        feed: feedParam,
        stop: stop.id,
        date,
        window: `${window.from}-${window.to}`,
      }),
    );
  };

  const data = board.state === 'ready' ? board.data : null;
  const h = data?.headways ?? null;
  return (
    <div className="departures-grid">
      <form className="card inline-form departures-form" onSubmit={submit}>
        <StationPicker
          feed={feed.id}
          label={t(tx.station)}
          value={stop}
          onChange={setStop}
          testId="station"
        />
        <DateWindowFields id="departures-date" feed={feed} {...when} />
        <button type="submit" className="button primary">
          {t(tx.apply)}
        </button>
      </form>

      <section className="card board-card" aria-labelledby="board-title">
        <div className="card-head">
          <h2 id="board-title">
            {data ? `${stopName(data.stop, lang)} · ` : ''}
            {t(tx.boardTitle)}
          </h2>
          {data && (
            <span className="muted small">
              {data.date} · {data.from}–{data.to}
            </span>
          )}
        </div>
        {board.state === 'failed' && <ErrorPanel error={board.error} />}
        {(board.state === 'loading' || (!data && board.state !== 'failed')) && <Loading />}
        {data && (
          <div className="board-wrap">
            <table className="board" data-testid="departures-board">
              <thead>
                <tr>
                  <th scope="col">{t(tx.colTime)}</th>
                  <th scope="col">{t(tx.colLine)}</th>
                  <th scope="col">{t(tx.colDestination)}</th>
                  <th scope="col">{t(tx.colHeadsign)}</th>
                </tr>
              </thead>
              <tbody>
                {data.departures.map((d) => {
                  const { text, nextDay } = clockTime(d.time);
                  return (
                    <tr key={`${d.trip.id}-${d.time}`} data-departure={d.trip.id}>
                      <td className="board-time">
                        {text}
                        {nextDay && <sup>+1</sup>}
                      </td>
                      <td>
                        <RouteBadge route={d.route} />
                      </td>
                      <td className="board-destination">{stopName(d.destination, lang)}</td>
                      <td className="board-headsign" title={routeLongName(d.route, lang)}>
                        {headsign(d.trip.headsign, lang)}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
            {data.departures.length === 0 && <p className="board-empty">{t(tx.noDepartures)}</p>}
          </div>
        )}
      </section>

      <div className="departures-side">
        <section className="card" aria-labelledby="headway-title" data-testid="headways">
          <div className="card-head">
            <h2 id="headway-title">{t(tx.headwayTitle)}</h2>
            {data && (
              <span className="muted small">
                {data.from}–{data.to}
              </span>
            )}
          </div>
          <dl className="headway-figures">
            <div data-figure="departures">
              <dt>{t(tx.departuresCount)}</dt>
              <dd>{data ? formatInteger(h?.departures ?? data.departures.length, lang) : '…'}</dd>
            </div>
            <div data-figure="median">
              <dt>{t(tx.medianGap)}</dt>
              <dd>{data ? minutesText(h?.medianMinutes, lang, 1) : '…'}</dd>
            </div>
            <div data-figure="max">
              <dt>{t(tx.maxGap)}</dt>
              <dd>{data ? minutesText(h?.maxMinutes, lang, 1) : '…'}</dd>
            </div>
            <div data-figure="min">
              <dt>{t(tx.minGap)}</dt>
              <dd>{data ? minutesText(h?.minMinutes, lang, 1) : '…'}</dd>
            </div>
          </dl>
        </section>
        <section className="card" aria-labelledby="per10-title">
          <div className="card-head">
            <h2 id="per10-title">{t(tx.perTenMinutes)}</h2>
          </div>
          {data ? (
            <Suspense fallback={<Loading />}>
              <DeparturesChart board={data} />
            </Suspense>
          ) : (
            <Loading />
          )}
        </section>
      </div>
    </div>
  );
}
