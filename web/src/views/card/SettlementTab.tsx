import { type FormEvent, lazy, Suspense, useState } from 'react';
import { type CardSettlement, cardApi, type TieBack } from '../../api.ts';
import { ErrorPanel } from '../../components/ErrorPanel.tsx';
import { Loading } from '../../components/Loading.tsx';
import { formatFen, formatInteger } from '../../format.ts';
import { useLang, useText } from '../../i18n.tsx';
import { hashHref, replaceHash } from '../../router.ts';
import { useFetch } from '../../useFetch.ts';
import { KeyNeeded } from './KeyNeeded.tsx';
import { cx } from './text.ts';
import { isDate, type TabProps, todayIn } from './util.ts';

const SettlementCharts = lazy(() => import('./SettlementCharts.tsx'));

type GroupBy = 'party' | 'jurisdiction';

interface Request {
  date: string;
  groupBy: GroupBy;
  /** Each press of the button settles again: a new run. */
  attempt: number;
}

/**
 * The day's settlement between parties or jurisdictions. Settling records a ledger run, so it
 * happens when asked, never on opening the page.
 */
export default function SettlementTab({ region, params, apiKey, placeName }: TabProps) {
  const t = useText();
  const initial = params.get('date');
  const [date, setDate] = useState(isDate(initial) ? initial : todayIn(region.timeZone));
  const [groupBy, setGroupBy] = useState<GroupBy>(
    params.get('by') === 'jurisdiction' ? 'jurisdiction' : 'party',
  );
  const [request, setRequest] = useState<Request | null>(null);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    replaceHash(hashHref('card', ['settlement'], { date, by: groupBy === 'party' ? null : groupBy }));
    setRequest((r) => ({ date, groupBy, attempt: (r?.attempt ?? 0) + 1 }));
  };

  return (
    <div data-testid="settlement-tab">
      <form className="card form-row" onSubmit={submit}>
        <label className="field">
          <span>{t(cx.date)}</span>
          <input
            type="date"
            value={date}
            required
            data-testid="settle-date"
            onChange={(e) => setDate(e.target.value)}
          />
        </label>
        <label className="field">
          <span>{t(cx.groupBy)}</span>
          <select
            value={groupBy}
            data-testid="settle-group"
            onChange={(e) => setGroupBy(e.target.value as GroupBy)}
          >
            <option value="party">{t(cx['groupBy.party'])}</option>
            <option value="jurisdiction">{t(cx['groupBy.jurisdiction'])}</option>
          </select>
        </label>
        <button type="submit" className="button primary" data-testid="settle" disabled={!apiKey}>
          {t(cx.settle)}
        </button>
        <span className="muted small">{t(cx.settleHint)}</span>
      </form>
      {!apiKey ? (
        <KeyNeeded admin />
      ) : (
        request && (
          <Settlement key={JSON.stringify(request)} request={request} apiKey={apiKey} placeName={placeName} />
        )
      )}
    </div>
  );
}

function Settlement({
  request,
  apiKey,
  placeName,
}: {
  request: Request;
  apiKey: string;
  placeName: (id: string) => string;
}) {
  const result = useFetch((signal) =>
    cardApi.settle({ date: request.date, groupBy: request.groupBy }, apiKey, signal),
  );
  if (result.state === 'failed') return <ErrorPanel error={result.error} />;
  if (result.state === 'loading') return <Loading />;
  return <SettlementResult settlement={result.data} placeName={placeName} />;
}

function SettlementResult({
  settlement,
  placeName,
}: {
  settlement: CardSettlement;
  placeName: (id: string) => string;
}) {
  const t = useText();
  const { lang } = useLang();
  const { run } = settlement;
  return (
    <div className="settlement-grid" data-testid="settlement" data-run={run.id}>
      <p className="run-line muted small">
        {t(cx.run)} <code>{run.id}</code> · {t(cx.transfersCounted)} {formatInteger(run.transfers, lang)} ·{' '}
        {t(cx.netting)} {t(cx[`netting.${run.netting}`])}
      </p>
      <Suspense fallback={<Loading />}>
        <SettlementCharts run={run} placeName={placeName} />
      </Suspense>
      <section className="card payments-card" aria-labelledby="payments-title">
        <div className="card-head">
          <h2 id="payments-title">{t(cx.payments)}</h2>
        </div>
        {run.payments.length === 0 ? (
          <p className="muted">{t(cx.noPayments)}</p>
        ) : (
          <table className="data-table" data-testid="payments">
            <thead>
              <tr>
                <th>{t(cx.colPayer)}</th>
                <th>{t(cx.colPayee)}</th>
                <th className="num">{t(cx.colAmount)}</th>
              </tr>
            </thead>
            <tbody>
              {run.payments.map((p) => (
                <tr key={`${p.from}-${p.to}`}>
                  <td>{placeName(p.from)}</td>
                  <td>→ {placeName(p.to)}</td>
                  <td className="num">{formatFen(p.amount, lang)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <section className="card tieback-card" aria-labelledby="tieback-title">
        <div className="card-head">
          <h2 id="tieback-title">{t(cx.tieBack)}</h2>
        </div>
        <TieBackTable lines={settlement.tieBack} placeName={placeName} />
      </section>
    </div>
  );
}

export function TieBackTable({ lines, placeName }: { lines: TieBack[]; placeName: (id: string) => string }) {
  const t = useText();
  const { lang } = useLang();
  if (lines.length === 0) return <p className="muted">{t(cx.noTieBack)}</p>;
  return (
    <table className="data-table" data-testid="tie-back">
      <thead>
        <tr>
          <th>{t(cx.operator)}</th>
          <th className="num">{t(cx.colLegs)}</th>
          <th className="num">{t(cx.colFromTaps)}</th>
          <th className="num">{t(cx.colLedger)}</th>
          <th>{t(cx.colAgrees)}</th>
        </tr>
      </thead>
      <tbody>
        {lines.map((l) => (
          <tr key={l.operator} data-agrees={l.agrees}>
            <td>{placeName(l.operator)}</td>
            <td className="num">{formatInteger(l.legs, lang)}</td>
            <td className="num">{formatFen(l.fromTaps, lang)}</td>
            <td className="num">{formatFen(l.ledger, lang)}</td>
            <td className={l.agrees ? 'agrees' : 'differs'}>
              {l.agrees ? `✓ ${t(cx.agrees)}` : `✗ ${t(cx.differs)}`}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
