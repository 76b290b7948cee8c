import { type FormEvent, useState } from 'react';
import { api, type CardStatement, cardApi } from '../../api.ts';
import { ErrorPanel } from '../../components/ErrorPanel.tsx';
import { Loading } from '../../components/Loading.tsx';
import { formatFen, formatInteger } from '../../format.ts';
import { ui, useLang, useText } from '../../i18n.tsx';
import { hashHref, replaceHash } from '../../router.ts';
import { useFetch } from '../../useFetch.ts';
import { KeyNeeded } from './KeyNeeded.tsx';
import { TieBackTable } from './SettlementTab.tsx';
import { cx } from './text.ts';
import { isDate, type TabProps, todayIn } from './util.ts';

interface Request {
  date: string;
  party: string;
}

/** A party's statement of a service day: what an operator's own key may see. */
export default function StatementTab({ region, params, apiKey, placeName }: TabProps) {
  const t = useText();
  const parties = useFetch((signal) => api.parties(signal), 'parties');
  const initialDate = params.get('date');
  const [date, setDate] = useState(isDate(initialDate) ? initialDate : todayIn(region.timeZone));
  const [party, setParty] = useState(params.get('party') ?? '');
  const [request, setRequest] = useState<Request | null>(null);
  const choices =
    parties.state === 'ready'
      ? parties.data.filter((p) => p.kind === 'operator' || p.kind === 'jurisdiction')
      : [];
  const chosen = party || choices[0]?.id || '';

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!chosen) return;
    replaceHash(hashHref('card', ['statement'], { date, party: chosen }));
    setRequest({ date, party: chosen });
  };

  if (parties.state === 'failed') return <ErrorPanel error={parties.error} />;
  return (
    <div data-testid="statement-tab">
      <form className="card form-row" onSubmit={submit}>
        <label className="field">
          <span>{t(cx.date)}</span>
          <input type="date" value={date} required onChange={(e) => setDate(e.target.value)} />
        </label>
        <label className="field">
          <span>{t(cx.party)}</span>
          <select value={chosen} data-testid="statement-party" onChange={(e) => setParty(e.target.value)}>
            {choices.map((p) => (
              <option key={p.id} value={p.id}>
                {placeName(p.id)}
              </option>
            ))}
          </select>
        </label>
        <button
          type="submit"
          className="button primary"
          data-testid="statement-show"
          disabled={!apiKey || !chosen}
        >
          {t(cx.show)}
        </button>
      </form>
      {!apiKey ? (
        <KeyNeeded admin={false} />
      ) : (
        request && (
          <Statement
            key={`${request.date}|${request.party}`}
            request={request}
            apiKey={apiKey}
            placeName={placeName}
          />
        )
      )}
    </div>
  );
}

function Statement({
  request,
  apiKey,
  placeName,
}: {
  request: Request;
  apiKey: string;
  placeName: (id: string) => string;
}) {
  const result = useFetch((signal) => cardApi.statement(request, apiKey, signal));
  if (result.state === 'failed') return <ErrorPanel error={result.error} />;
  if (result.state === 'loading') return <Loading />;
  return <StatementResult data={result.data} apiKey={apiKey} placeName={placeName} />;
}

function StatementResult({
  data,
  apiKey,
  placeName,
}: {
  data: CardStatement;
  apiKey: string;
  placeName: (id: string) => string;
}) {
  const t = useText();
  const { lang } = useLang();
  const { statement } = data;
  const kind = (k: string) => (k === 'fare' || k === 'fare-refund' ? t(cx[`kind.${k}`]) : k);
  return (
    <div className="statement" data-testid="statement" data-party={statement.party}>
      <section className="card" aria-labelledby="statement-title">
        <div className="card-head">
          <h2 id="statement-title">
            {placeName(statement.party)} · {t(cx.statementLines)}
          </h2>
          <CsvButton data={data} apiKey={apiKey} />
        </div>
        <p className="muted small">
          {t(cx.period)} {statement.from} – {statement.to}
        </p>
        {statement.lines.length === 0 ? (
          <p className="muted">{t(cx.noLines)}</p>
        ) : (
          <table className="data-table" data-testid="statement-lines">
            <thead>
              <tr>
                <th>{t(cx.colCounterparty)}</th>
                <th>{t(cx.colKind)}</th>
                <th className="num">{t(cx.colDebits)}</th>
                <th className="num">{t(cx.colCredits)}</th>
                <th className="num">{t(cx.colNet)}</th>
              </tr>
            </thead>
            <tbody>
              {statement.lines.map((l) => (
                <tr key={`${l.counterparty}|${l.kind}`}>
                  <td>{placeName(l.counterparty)}</td>
                  <td>{kind(l.kind)}</td>
                  <td className="num">
                    {formatFen(l.debits, lang)}{' '}
                    <span className="muted small">×{formatInteger(l.debitCount, lang)}</span>
                  </td>
                  <td className="num">
                    {formatFen(l.credits, lang)}{' '}
                    <span className="muted small">×{formatInteger(l.creditCount, lang)}</span>
                  </td>
                  <td className="num">
                    <strong>{formatFen(l.net, lang)}</strong>
                  </td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr>
                <th colSpan={2}>{t(ui.total)}</th>
                <td className="num">{formatFen(statement.totals.debits, lang)}</td>
                <td className="num">{formatFen(statement.totals.credits, lang)}</td>
                <td className="num" data-testid="statement-net">
                  {formatFen(statement.totals.net, lang)}
                </td>
              </tr>
            </tfoot>
          </table>
        )}
      </section>
      {data.tieBack.length > 0 && (
        <section className="card" aria-labelledby="statement-tieback">
          <div className="card-head">
            <h2 id="statement-tieback">{t(cx.tieBack)}</h2>
          </div>
          <TieBackTable lines={data.tieBack} placeName={placeName} />
        </section>
      )}
    </div>
  );
}

/**
 * The ledger's CSV needs the key in a header, which a plain link cannot send: it is fetched,
 * then handed to the browser as a file.
 */
function CsvButton({ data, apiKey }: { data: CardStatement; apiKey: string }) {
  const t = useText();
  const [error, setError] = useState<unknown>(null);
  const download = async () => {
    setError(null);
    try {
      const text = await cardApi.statementCsv(data.statement, data.kinds, apiKey);
      const url = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }));
      const a = document.createElement('a');
      a.href = url;
      a.download = `statement-${data.statement.party}-${data.date}.csv`;
      a.click();
      // The click has started the download by the next task; the URL can go then.
      setTimeout(() => URL.revokeObjectURL(url), 0);
    } catch (err) {
      setError(err);
    }
  };
  return (
    <>
      <button type="button" className="button" data-testid="statement-csv" onClick={download}>
        {t(cx.downloadCsv)}
      </button>
      {error !== null && <ErrorPanel error={error} />}
    </>
  );
}
