import { lazy, Suspense, useState } from 'react';
import { type CityFlow, cardApi } from '../../api.ts';
import { ErrorPanel } from '../../components/ErrorPanel.tsx';
import { Loading } from '../../components/Loading.tsx';
import { formatInteger } from '../../format.ts';
import { useLang, useName, useText } from '../../i18n.tsx';
import { hashHref, replaceHash } from '../../router.ts';
import { useFetch } from '../../useFetch.ts';
import { cx } from './text.ts';
import { isDate, type TabProps, todayIn } from './util.ts';

const FlowsMap = lazy(() => import('./FlowsMap.tsx'));

/** Trips between cities on a day, from card taps: public, so no key. */
export default function FlowsTab({ region, params }: TabProps) {
  const t = useText();
  const initial = params.get('date');
  const [date, setDate] = useState(isDate(initial) ? initial : todayIn(region.timeZone));
  const flows = useFetch((signal) => cardApi.flows(date, signal), date);

  const change = (next: string) => {
    if (!isDate(next)) return;
    setDate(next);
    replaceHash(hashHref('card', ['flows'], { date: next }));
  };

  return (
    <div data-testid="flows-tab">
      <form className="card form-row" onSubmit={(e) => e.preventDefault()}>
        <label className="field">
          <span>{t(cx.date)}</span>
          <input
            type="date"
            value={date}
            required
            data-testid="flows-date"
            onChange={(e) => change(e.target.value)}
          />
        </label>
      </form>
      {flows.state === 'failed' ? (
        <ErrorPanel error={flows.error} />
      ) : flows.state === 'loading' ? (
        <Loading />
      ) : (
        <div className="flows-grid" data-testid="flows" data-count={flows.data.length}>
          <section className="card flows-map-card" aria-labelledby="flows-map-title">
            <div className="card-head">
              <h2 id="flows-map-title">{t(cx.flowsMap)}</h2>
            </div>
            <Suspense
              fallback={
                <div className="map-frame">
                  <Loading />
                </div>
              }
            >
              <FlowsMap region={region} flows={flows.data} />
            </Suspense>
          </section>
          <section className="card" aria-labelledby="flows-table-title">
            <div className="card-head">
              <h2 id="flows-table-title">{t(cx.flowsTable)}</h2>
            </div>
            {flows.data.length === 0 ? (
              <p className="muted" data-testid="no-flows">
                {t(cx.noFlows)}
              </p>
            ) : (
              <FlowTable region={region} flows={flows.data} />
            )}
          </section>
        </div>
      )}
    </div>
  );
}

function FlowTable({ region, flows }: Pick<TabProps, 'region'> & { flows: CityFlow[] }) {
  const t = useText();
  const name = useName();
  const { lang } = useLang();
  const city = (id: string) => {
    const found = region.cities.find((c) => c.id === id);
    return found ? name(found.name) : id;
  };
  return (
    <table className="data-table" data-testid="flow-table">
      <thead>
        <tr>
          <th>{t(cx.colFrom)}</th>
          <th>{t(cx.colTo)}</th>
          <th className="num">{t(cx.colTrips)}</th>
          <th className="num">{t(cx.colRiders)}</th>
        </tr>
      </thead>
      <tbody>
        {flows.map((f) => (
          <tr key={`${f.from}|${f.to}`} data-flow={`${f.from}|${f.to}`}>
            <td>{city(f.from)}</td>
            <td>→ {city(f.to)}</td>
            <td className="num">{formatInteger(f.trips, lang)}</td>
            <td className="num">{formatInteger(f.riders, lang)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
