import { lazy, Suspense, useEffect, useMemo, useState } from 'react';
import { type JourneyPlan, type Stop, transitApi } from '../../api.ts';
import { ErrorPanel } from '../../components/ErrorPanel.tsx';
import { Loading } from '../../components/Loading.tsx';
import { useLang, useText } from '../../i18n.tsx';
import { hashHref, replaceHash } from '../../router.ts';
import { useFetch } from '../../useFetch.ts';
import { JourneyCard } from './JourneyCard.tsx';
import { StationPicker } from './StationPicker.tsx';
import { tx } from './text.ts';
import { useStops } from './useStops.ts';
import { defaultDate, stopName, type TabProps } from './util.ts';

const JourneyMap = lazy(() => import('./JourneyMap.tsx'));

interface Query {
  from: string;
  to: string;
  at: string;
}

const AT_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/;

export default function PlannerTab({ region, feed, params, feedParam }: TabProps) {
  const { lang } = useLang();
  const t = useText();
  const { stops: allStops, headsign } = useStops(feed.id);
  const stops = allStops.state === 'ready' ? allStops.data : null;
  const byId = useMemo(() => new Map((stops ?? []).map((s) => [s.id, s])), [stops]);

  const initialAt = params.get('at');
  const [from, setFrom] = useState<Stop | null>(null);
  const [to, setTo] = useState<Stop | null>(null);
  const [at, setAt] = useState(
    initialAt && AT_PATTERN.test(initialAt) ? initialAt : `${defaultDate(feed, region.timeZone)}T08:00`,
  );
  const [query, setQuery] = useState<Query | null>(null);
  const [hint, setHint] = useState<string | null>(null);
  const [selected, setSelected] = useState(0);

  // A shared address (#/transit/route?from=…&to=…&at=…) fills the form and asks at once.
  useEffect(() => {
    if (!stops) return;
    const f = byId.get(params.get('from') ?? '') ?? null;
    const d = byId.get(params.get('to') ?? '') ?? null;
    setFrom(f);
    setTo(d);
    if (f && d && f.id !== d.id) setQuery({ from: f.id, to: d.id, at });
  }, [stops]);

  const plan = useFetch<JourneyPlan | null>(
    (signal) => (query ? transitApi.route({ feed: feed.id, ...query }, signal) : Promise.resolve(null)),
    query ? `${feed.id}|${query.from}|${query.to}|${query.at}` : '',
  );
  useEffect(() => setSelected(0), [plan]);

  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    if (!from || !to) return setHint(t(tx.pickStations));
    if (from.id === to.id) return setHint(t(tx.sameStation));
    setHint(null);
    const next = { from: from.id, to: to.id, at };
    setQuery(next);
    replaceHash(hashHref('transit', ['route'], { feed: feedParam, ...next }));
  };

  const journeys = plan.state === 'ready' && plan.data ? plan.data.journeys : [];
  const journey = journeys[selected] ?? null;
  const tagsFor = (i: number) => {
    if (journeys.length < 2) return [];
    const tags: string[] = [];
    const earliest = Math.min(...journeys.map((j) => j.arrival.seconds));
    const fewest = Math.min(...journeys.map((j) => j.transfers));
    if (journeys[i].arrival.seconds === earliest) tags.push(t(tx.fastest));
    if (journeys[i].transfers === fewest) tags.push(t(tx.fewestChanges));
    return tags;
  };

  return (
    <div className="planner-grid">
      <div className="planner-side">
        <form className="card planner-form" onSubmit={submit} data-testid="planner-form">
          <div className="od-fields">
            <StationPicker feed={feed.id} label={t(tx.from)} value={from} onChange={setFrom} testId="from" />
            <button
              type="button"
              className="swap"
              title={t(tx.swap)}
              aria-label={t(tx.swap)}
              onClick={() => {
                setFrom(to);
                setTo(from);
              }}
            >
              ⇅
            </button>
            <StationPicker feed={feed.id} label={t(tx.to)} value={to} onChange={setTo} testId="to" />
          </div>
          <div className="form-row">
            <div className="field">
              <label htmlFor="planner-at">{t(tx.when)}</label>
              <input
                id="planner-at"
                type="datetime-local"
                value={at}
                min={`${feed.coverage.start}T00:00`}
                max={`${feed.coverage.end}T23:59`}
                onChange={(e) => setAt(e.target.value)}
                required
              />
            </div>
            <button type="submit" className="button primary" data-testid="plan">
              {t(tx.search)}
            </button>
          </div>
          {hint && <p className="form-hint">{hint}</p>}
        </form>
        <section className="journey-results" data-testid="journey-results" aria-live="polite">
          {plan.state === 'failed' && <ErrorPanel error={plan.error} />}
          {plan.state === 'loading' && query && <Loading />}
          {plan.state === 'ready' && plan.data && (
            <>
              <div className="results-head">
                <h2>
                  {stopName(plan.data.from, lang)} → {stopName(plan.data.to, lang)}
                </h2>
                <span className="muted small">{t(tx.paretoNote)}</span>
              </div>
              {journeys.length === 0 && (
                <p className="card empty" data-testid="no-journey">
                  {t(tx.noJourney)}{' '}
                  <span className="muted small">
                    {t(tx.searchedUntil)} {plan.data.searched.latestArrival.localDate}{' '}
                    {plan.data.searched.latestArrival.localTime.slice(0, 5)} ({plan.data.searched.horizonDays}{' '}
                    {t(tx.searchedDays)}; {t(tx.searchedDates)} {plan.data.searched.serviceDates.first} –{' '}
                    {plan.data.searched.serviceDates.last})
                  </span>
                </p>
              )}
              {journeys.map((j, i) => (
                <JourneyCard
                  key={`${j.departure.seconds}-${j.transfers}`}
                  journey={j}
                  index={i}
                  selected={i === selected}
                  tags={tagsFor(i)}
                  headsign={headsign}
                  onSelect={() => setSelected(i)}
                />
              ))}
            </>
          )}
        </section>
      </div>
      <section className="card planner-map" aria-labelledby="journey-map-title">
        <div className="card-head">
          <h2 id="journey-map-title">{t(tx.mapTitle)}</h2>
          {!journey && <span className="muted small">{t(tx.mapEmpty)}</span>}
        </div>
        {allStops.state === 'failed' ? (
          <ErrorPanel error={allStops.error} />
        ) : stops ? (
          <Suspense
            fallback={
              <div className="map-frame">
                <Loading />
              </div>
            }
          >
            <JourneyMap region={region} stops={stops} journey={journey} />
          </Suspense>
        ) : (
          <div className="map-frame">
            <Loading />
          </div>
        )}
      </section>
    </div>
  );
}
