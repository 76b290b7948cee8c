import { lazy, Suspense } from 'react';
import { type Region, transitApi } from '../../api.ts';
import { ErrorPanel } from '../../components/ErrorPanel.tsx';
import { Loading } from '../../components/Loading.tsx';
import { useText } from '../../i18n.tsx';
import { hashHref, useHashLocation } from '../../router.ts';
import { useFetch } from '../../useFetch.ts';
import { StatsStrip } from './StatsStrip.tsx';
import './transit.css';
import { tx } from './text.ts';
import { defaultDate, type TabProps } from './util.ts';

const PlannerTab = lazy(() => import('./PlannerTab.tsx'));
const MatrixTab = lazy(() => import('./MatrixTab.tsx'));
const DeparturesTab = lazy(() => import('./DeparturesTab.tsx'));
const CompareTab = lazy(() => import('./CompareTab.tsx'));

const TABS = [
  { id: 'route', label: tx.tabRoute },
  { id: 'matrix', label: tx.tabMatrix },
  { id: 'departures', label: tx.tabDepartures },
  { id: 'arrivals', label: tx.tabArrivals },
  { id: 'compare', label: tx.tabCompare },
] as const;
type Tab = (typeof TABS)[number]['id'];

export default function TransitView({ region }: { region: Region }) {
  const t = useText();
  const location = useHashLocation();
  const feeds = useFetch((signal) => transitApi.feeds(signal), 'feeds');
  const tab: Tab = TABS.find((x) => x.id === location.sub[0])?.id ?? 'route';

  if (feeds.state === 'failed') return <ErrorPanel error={feeds.error} />;
  if (feeds.state === 'loading') return <Loading />;
  const list = feeds.data;
  const requested = location.params.get('feed');
  const fallback = list.find((f) => f.default) ?? list.find((f) => f.id === 'today') ?? list[0];
  const feed = list.find((f) => f.id === requested) ?? fallback;
  if (!feed) return <ErrorPanel error={new Error('No timetable is loaded.')} />;
  const props: TabProps = {
    region,
    feed,
    feeds: list,
    params: location.params,
    feedParam: feed.id === fallback?.id ? null : feed.id,
  };

  return (
    <div className="transit-view" data-feed={feed.id}>
      <div className="view-title transit-title">
        <h1>{t(tx.title)}</h1>
        <p className="muted">{t(tx.subtitle)}</p>
        {tab !== 'compare' && (
          <label className="feed-select">
            <span>{t(tx.feed)}</span>
            <select
              value={feed.id}
              data-testid="feed-select"
              onChange={(e) => {
                window.location.hash = hashHref('transit', [tab], { feed: e.target.value });
              }}
            >
              {list.map((f) => (
                <option key={f.id} value={f.id}>
                  {t(f.name)}
                </option>
              ))}
            </select>
            <span className="muted small">
              {t(tx.coverage)} {feed.coverage.start} – {feed.coverage.end}
            </span>
          </label>
        )}
      </div>
      <StatsStrip feed={feed.id} date={defaultDate(feed, region.timeZone)} />
      <nav className="tabs" aria-label={t(tx.tabsLabel)}>
        {TABS.map((x) => (
          <a
            key={x.id}
            href={hashHref('transit', [x.id], { feed: props.feedParam })}
            className={x.id === tab ? 'active' : undefined}
            aria-current={x.id === tab ? 'page' : undefined}
            data-tab={x.id}
          >
            {t(x.label)}
          </a>
        ))}
      </nav>
      <Suspense fallback={<Loading />}>
        {/* Keyed by feed so each tab starts clean on a new timetable. */}
        {tab === 'route' && <PlannerTab key={feed.id} {...props} />}
        {tab === 'matrix' && <MatrixTab key={feed.id} {...props} />}
        {tab === 'departures' && <DeparturesTab key={`departures-${feed.id}`} {...props} />}
        {tab === 'arrivals' && <DeparturesTab key={`arrivals-${feed.id}`} {...props} kind="arrivals" />}
        {tab === 'compare' && <CompareTab {...props} />}
      </Suspense>
    </div>
  );
}
