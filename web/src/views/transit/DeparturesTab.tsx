import { lazy, Suspense, useEffect, useState } from 'react';
import { type ArrivalBoard, type DepartureBoard, type Stop, transitApi } from '../../api.ts';
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
import { minutesText, routeLongName, stopClock, stopName, type TabProps } from './util.ts';
import { DateWindowFields, useDateWindow } from './WindowFields.tsx';

const DeparturesChart = lazy(() => import('./DeparturesChart.tsx'));

interface Query {
  stop: string;
  date: string;
  from: string;
  to: string;
}

/** One row of either board: the train, its time at this station, and the other end of its run. */
interface Row {
  key: string;
  trip: string;
  at: DepartureBoard['departures'][number]['at'];
  route: DepartureBoard['departures'][number]['route'];
  headsign: string;
  other: Stop;
}

function rowsOf(board: DepartureBoard | ArrivalBoard): Row[] {
  const common = (d: DepartureBoard['departures'][number] | ArrivalBoard['arrivals'][number]) => ({
    key: `${d.trip.id}-${d.at.utc}`,
    trip: d.trip.id,
    at: d.at,
    route: d.route,
    headsign: d.trip.headsign,
  });
  return 'arrivals' in board
    ? board.arrivals.map((a) => ({ ...common(a), other: a.origin }))
    : board.departures.map((d) => ({ ...common(d), other: d.destination }));
}

/** The departures board, or with `kind="arrivals"` the arrivals board: same question, trains coming in. */
export default function DeparturesTab({
  region,
  feed,
  params,
  feedParam,
  kind = 'departures',
}: TabProps & { kind?: 'departures' | 'arrivals' }) {
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

  const board = useFetch<DepartureBoard | ArrivalBoard | null>(
    (signal) => (query ? transitApi[kind]({ feed: feed.id, ...query }, signal) : Promise.resolve(null)),
    query ? `${kind}|${feed.id}|${query.stop}|${query.date}|${query.from}|${query.to}` : '',
  );

  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    if (!stop) return;
    const next = { stop: stop.id, date, ...window };
    setQuery(next);
    replaceHash(
      hashHref('transit', [kind], {
        feed: feedParam,
        stop: stop.id,
        date,
        window: `${window.from}-${window.to}`,
      }),
    );
  };

  const data = board.state === 'ready' ? board.data : null;
  const rows = data ? rowsOf(data) : [];
  const h = data?.headways ?? null;
  const arriving = kind === 'arrivals';
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
            {t(arriving ? tx.arrivalsTitle : tx.boardTitle)}
          </h2>
          {data && (
            <span className="muted small" title={t(tx.stationClock)}>
              {data.date} · {data.from}–{data.to} · {data.zone}
            </span>
          )}
        </div>
        {board.state === 'failed' && <ErrorPanel error={board.error} />}
        {(board.state === 'loading' || (!data && board.state !== 'failed')) && <Loading />}
        {data && (
          <div className="board-wrap">
            <table className="board" data-testid={arriving ? 'arrivals-board' : 'departures-board'}>
              <thead>
                <tr>
                  <th scope="col">{t(tx.colTime)}</th>
                  <th scope="col">{t(tx.colLine)}</th>
                  <th scope="col">{t(arriving ? tx.colOrigin : tx.colDestination)}</th>
                  <th scope="col">{t(tx.colHeadsign)}</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((d) => {
                  const { text, days, offset } = stopClock(d.at, data.date, d.at.utcOffset);
                  return (
                    <tr key={d.key} {...{ [arriving ? 'data-arrival' : 'data-departure']: d.trip }}>
                      <td className="board-time" title={`${d.at.localDate} ${d.at.localTime} ${d.at.zone}`}>
                        {text}
                        {days !== 0 && <sup>{days > 0 ? `+${days}` : days}</sup>}
                        {offset}
                      </td>
                      <td>
                        <RouteBadge route={d.route} />
                      </td>
                      <td className="board-destination">{stopName(d.other, lang)}</td>
                      <td className="board-headsign" title={routeLongName(d.route, lang)}>
                        {headsign(d.headsign, lang)}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
            {rows.length === 0 && (
              <p className="board-empty">{t(arriving ? tx.noArrivals : tx.noDepartures)}</p>
            )}
          </div>
        )}
      </section>

      <div className="departures-side">
        <section className="card" aria-labelledby="headway-title" data-testid="headways">
          <div className="card-head">
            <h2 id="headway-title">{t(arriving ? tx.arrivalGapTitle : tx.headwayTitle)}</h2>
            {data && (
              <span className="muted small">
                {data.from}–{data.to}
              </span>
            )}
          </div>
          <dl className="headway-figures">
            <div data-figure="departures">
              <dt>{t(arriving ? tx.arrivalsCount : tx.departuresCount)}</dt>
              <dd>{data ? formatInteger(h?.departures ?? rows.length, lang) : '…'}</dd>
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
            <h2 id="per10-title">{t(arriving ? tx.arrivalsPerTenMinutes : tx.perTenMinutes)}</h2>
          </div>
          {data ? (
            <Suspense fallback={<Loading />}>
              <DeparturesChart
                from={data.from}
                to={data.to}
                times={rows.map((r) => r.at.localTime)}
                label={arriving ? tx.arrivalsCount : tx.departuresCount}
              />
            </Suspense>
          ) : (
            <Loading />
          )}
        </section>
      </div>
    </div>
  );
}
