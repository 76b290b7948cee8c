import { type FormEvent, useState } from 'react';
import { type Card, type CardDay, cardApi, type TripLeg } from '../../api.ts';
import { ErrorPanel } from '../../components/ErrorPanel.tsx';
import { Loading } from '../../components/Loading.tsx';
import { formatFen } from '../../format.ts';
import { useLang, useText } from '../../i18n.tsx';
import { useFetch } from '../../useFetch.ts';
import { KeyNeeded } from './KeyNeeded.tsx';
import { cx } from './text.ts';
import { addDays, clockIn, isDate, type TabProps, todayIn } from './util.ts';

interface Query {
  number: string;
  from: string;
  to: string;
}

/**
 * A card looked up by number: its account, then its service days leg by leg. The number stays in
 * this page's state, not in the address, so it does not end up in the browser's history.
 */
export default function CardTab({ region, params, apiKey, placeName }: TabProps) {
  const t = useText();
  const date = params.get('date');
  const last = isDate(date) ? date : todayIn(region.timeZone);
  const [number, setNumber] = useState('');
  const [from, setFrom] = useState(addDays(last, -6));
  const [to, setTo] = useState(last);
  const [query, setQuery] = useState<Query | null>(null);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setQuery({ number: number.trim(), from, to });
  };

  return (
    <div className="card-tab" data-testid="card-tab">
      <form className="card form-row" onSubmit={submit}>
        <label className="field">
          <span>{t(cx.cardNumber)}</span>
          <input
            type="text"
            inputMode="numeric"
            autoComplete="off"
            placeholder={t(cx.cardNumberHint)}
            value={number}
            maxLength={16}
            data-testid="card-number"
            onChange={(e) => setNumber(e.target.value)}
          />
        </label>
        <label className="field">
          <span>{t(cx.from)}</span>
          <input type="date" value={from} required onChange={(e) => setFrom(e.target.value)} />
        </label>
        <label className="field">
          <span>{t(cx.to)}</span>
          <input type="date" value={to} required onChange={(e) => setTo(e.target.value)} />
        </label>
        <button type="submit" className="button primary" data-testid="card-show">
          {t(cx.show)}
        </button>
      </form>
      {!apiKey ? (
        <KeyNeeded admin />
      ) : query ? (
        <CardResult
          key={JSON.stringify(query)}
          query={query}
          apiKey={apiKey}
          timeZone={region.timeZone}
          placeName={placeName}
        />
      ) : (
        <p className="muted">{t(cx.enterCard)}</p>
      )}
    </div>
  );
}

function CardResult({
  query,
  apiKey,
  timeZone,
  placeName,
}: {
  query: Query;
  apiKey: string;
  timeZone: string;
  placeName: (id: string) => string;
}) {
  const card = useFetch((signal) => cardApi.card(query.number, apiKey, signal));
  const days = useFetch((signal) => cardApi.days(query.number, query, apiKey, signal));
  if (card.state === 'failed') return <ErrorPanel error={card.error} />;
  if (card.state === 'loading') return <Loading />;
  return (
    <>
      <CardSummary card={card.data} placeName={placeName} />
      {days.state === 'failed' ? (
        <ErrorPanel error={days.error} />
      ) : days.state === 'loading' ? (
        <Loading />
      ) : (
        <DayList days={days.data} timeZone={timeZone} placeName={placeName} />
      )}
    </>
  );
}

function CardSummary({ card, placeName }: { card: Card; placeName: (id: string) => string }) {
  const t = useText();
  const { lang } = useLang();
  return (
    <dl className="headline card-summary" data-testid="card-summary" data-status={card.status}>
      <div className="card stat">
        <dt>{t(cx.cardNumber)}</dt>
        <dd className="card-number">{card.number}</dd>
      </div>
      <div className={`card stat status-${card.status}`}>
        <dt>{t(cx.status)}</dt>
        <dd>{t(cx[`status.${card.status}`])}</dd>
        {card.hotlistedAt && (
          <p className="stat-note">
            {t(cx.hotlistedAt)} {card.hotlistedAt.slice(0, 16).replace('T', ' ')} UTC
          </p>
        )}
        {card.replacedBy && (
          <p className="stat-note">
            {t(cx.replacedBy)} {card.replacedBy}
          </p>
        )}
      </div>
      <div className="card stat">
        <dt>{t(cx.category)}</dt>
        <dd>{t(cx[`category.${card.category}`])}</dd>
        <p className="stat-note">
          {t(cx.issuer)}: {placeName(card.issuer)}
        </p>
      </div>
      <div className="card stat">
        <dt>{t(cx.balance)}</dt>
        <dd data-testid="card-balance">{formatFen(card.balance, lang)}</dd>
      </div>
      <div className="card stat">
        <dt>{t(cx.held)}</dt>
        <dd>{formatFen(card.held, lang)}</dd>
      </div>
    </dl>
  );
}

function DayList({
  days,
  timeZone,
  placeName,
}: {
  days: CardDay[];
  timeZone: string;
  placeName: (id: string) => string;
}) {
  const t = useText();
  const { lang } = useLang();
  return (
    <section className="card" aria-labelledby="days-title" data-testid="card-days">
      <div className="card-head">
        <h2 id="days-title">{t(cx.days)}</h2>
      </div>
      {days.length === 0 && <p className="muted">{t(cx.noDays)}</p>}
      {days.map((day) => (
        <div key={day.serviceDate} className="service-day" data-day={day.serviceDate}>
          <h3>
            <span>{day.serviceDate}</span>
            <span className="muted small">{t(cx.legsCount).replace('{n}', String(day.legs.length))}</span>
            <span className="day-total">
              {t(cx.dayTotal)} <strong>{formatFen(day.total, lang)}</strong>
            </span>
          </h3>
          <div className="table-wrap">
            <table className="data-table">
              <thead>
                <tr>
                  <th>{t(cx.colTime)}</th>
                  <th>{t(cx.operator)}</th>
                  <th>{t(cx.colLeg)}</th>
                  <th>{t(cx.colLegStatus)}</th>
                  <th className="num">{t(cx.colSingle)}</th>
                  <th className="num">{t(cx.colFare)}</th>
                  <th>{t(cx.colRules)}</th>
                </tr>
              </thead>
              <tbody>
                {day.legs.map((leg) => (
                  <LegRow
                    key={`${leg.start}-${leg.operator}`}
                    leg={leg}
                    timeZone={timeZone}
                    placeName={placeName}
                  />
                ))}
              </tbody>
            </table>
          </div>
        </div>
      ))}
    </section>
  );
}

function LegRow({
  leg,
  timeZone,
  placeName,
}: {
  leg: TripLeg;
  timeZone: string;
  placeName: (id: string) => string;
}) {
  const t = useText();
  const { lang } = useLang();
  const time = `${clockIn(leg.start, timeZone)}${leg.end ? `–${clockIn(leg.end, timeZone)}` : ''}`;
  return (
    <tr data-leg-status={leg.status}>
      <td className="num-text">{time}</td>
      <td>{placeName(leg.operator)}</td>
      <td>
        <span title={leg.from}>{leg.fromName ?? leg.from}</span> →{' '}
        {leg.to ? <span title={leg.to}>{leg.toName ?? leg.to}</span> : '?'}
        {leg.route && <span className="muted small"> · {leg.route}</span>}
      </td>
      <td>
        <span className={`leg-status leg-${leg.status}`}>{t(cx[`leg.${leg.status}`])}</span>
      </td>
      <td className="num">{formatFen(leg.single, lang)}</td>
      <td className="num">
        <strong>{formatFen(leg.fare, lang)}</strong>
      </td>
      <td className="rules">
        {leg.rules.map((rule) => (
          <div key={rule}>{rule}</div>
        ))}
      </td>
    </tr>
  );
}
