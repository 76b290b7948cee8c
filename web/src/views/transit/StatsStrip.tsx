import { transitApi } from '../../api.ts';
import { ErrorPanel } from '../../components/ErrorPanel.tsx';
import { formatInteger } from '../../format.ts';
import { useLang, useText } from '../../i18n.tsx';
import { useFetch } from '../../useFetch.ts';
import { tx } from './text.ts';
import { minutesText, stopName } from './util.ts';

/** The feed at a glance: size of the network and how busy its busiest station is. */
export function StatsStrip({ feed, date }: { feed: string; date: string }) {
  const { lang } = useLang();
  const t = useText();
  const stats = useFetch((signal) => transitApi.stats({ feed, date }, signal), `${feed}:${date}`);
  if (stats.state === 'failed') return <ErrorPanel error={stats.error} />;
  const data = stats.state === 'ready' ? stats.data : null;
  const busiest = data?.busiestStations[0] ?? null;
  const peak = data
    ? (data.peakHeadways.find((p) => p.stop.id === busiest?.stop.id) ?? data.peakHeadways[0] ?? null)
    : null;
  const figures = [
    { key: 'lines', label: t(tx.lines), value: data && formatInteger(data.lines, lang) },
    {
      key: 'departures',
      label: t(tx.dailyDepartures),
      value: data && formatInteger(data.dailyDepartures, lang),
    },
    { key: 'stations', label: t(tx.stations), value: data && formatInteger(data.stations, lang) },
    {
      key: 'busiest',
      label: t(tx.busiest),
      value: busiest && stopName(busiest.stop, lang),
      note: busiest && `${formatInteger(busiest.departures, lang)} ${t(tx.departuresPerDay)}`,
    },
    {
      key: 'peak',
      label: peak ? `${t(tx.peakHeadway)} ${peak.window.from}–${peak.window.to}` : t(tx.peakHeadway),
      value: peak && minutesText(peak.medianMinutes, lang, 1),
      note: peak && `${stopName(peak.stop, lang)} · ${t(tx.maxGap)} ${minutesText(peak.maxMinutes, lang, 1)}`,
    },
  ];
  return (
    <dl className="headline transit-stats" data-testid="transit-stats" data-loaded={data ? 'true' : 'false'}>
      {figures.map((f) => (
        <div className="card stat" key={f.key} data-figure={f.key}>
          <dt>{f.label}</dt>
          <dd>{f.value ?? '…'}</dd>
          {f.note && <dd className="stat-note">{f.note}</dd>}
        </div>
      ))}
    </dl>
  );
}
