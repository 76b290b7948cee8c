import { lazy, Suspense } from 'react';
import type { Region } from '../../api.ts';
import { useApiKey } from '../../apiKey.ts';
import { Loading } from '../../components/Loading.tsx';
import { useText } from '../../i18n.tsx';
import { hashHref, useHashLocation } from '../../router.ts';
import './card.css';
import { cx } from './text.ts';
import { type TabProps, usePlaceNames } from './util.ts';

const CardTab = lazy(() => import('./CardTab.tsx'));
const SettlementTab = lazy(() => import('./SettlementTab.tsx'));
const StatementTab = lazy(() => import('./StatementTab.tsx'));
const FlowsTab = lazy(() => import('./FlowsTab.tsx'));

/** `key`: whether the tab speaks to routes that need an API key. */
const TABS = [
  { id: 'card', label: cx.tabCard, key: true },
  { id: 'settlement', label: cx.tabSettlement, key: true },
  { id: 'statement', label: cx.tabStatement, key: true },
  { id: 'flows', label: cx.tabFlows, key: false },
] as const;

export default function CardView({ region }: { region: Region }) {
  const t = useText();
  const location = useHashLocation();
  const [apiKey, setApiKey] = useApiKey();
  const placeName = usePlaceNames(region);
  const tab = TABS.find((x) => x.id === location.sub[0]) ?? TABS[0];
  const props: TabProps = { region, params: location.params, apiKey, placeName };

  return (
    <div className="card-view" data-tab={tab.id}>
      <div className="view-title">
        <h1>{t(cx.title)}</h1>
        <p className="muted">{t(cx.subtitle)}</p>
        {tab.key && <KeyField apiKey={apiKey} onChange={setApiKey} />}
      </div>
      <nav className="tabs" aria-label={t(cx.tabsLabel)}>
        {TABS.map((x) => (
          <a
            key={x.id}
            href={hashHref('card', [x.id], { date: location.params.get('date') })}
            className={x.id === tab.id ? 'active' : undefined}
            aria-current={x.id === tab.id ? 'page' : undefined}
            data-tab={x.id}
          >
            {t(x.label)}
          </a>
        ))}
      </nav>
      <Suspense fallback={<Loading />}>
        {tab.id === 'card' && <CardTab {...props} />}
        {tab.id === 'settlement' && <SettlementTab {...props} />}
        {tab.id === 'statement' && <StatementTab {...props} />}
        {tab.id === 'flows' && <FlowsTab {...props} />}
      </Suspense>
    </div>
  );
}

/** The key is typed, not put in the address: a URL is logged and shared, a key must not be. */
function KeyField({ apiKey, onChange }: { apiKey: string; onChange: (key: string) => void }) {
  const t = useText();
  return (
    <div className="key-field">
      <label className="field-inline" title={t(cx.apiKeyHint)}>
        <span>{t(cx.apiKey)}</span>
        <input
          type="password"
          autoComplete="off"
          spellCheck={false}
          value={apiKey}
          data-testid="api-key"
          onChange={(e) => onChange(e.target.value.trim())}
        />
      </label>
      {apiKey && (
        <button type="button" className="link-button" onClick={() => onChange('')}>
          {t(cx.apiKeyForget)}
        </button>
      )}
    </div>
  );
}
