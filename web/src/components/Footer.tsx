import type { Health } from '../api.ts';
import { ui, useText } from '../i18n.tsx';
import type { Loadable } from '../useFetch.ts';

export function Footer({ health }: { health: Loadable<Health> }) {
  const t = useText();
  return (
    <footer className="app-footer" data-testid="footer">
      <span>同城 Tongcheng</span>
      {health.state === 'ready' && (
        <>
          <span>
            {t(ui.store)}: <code data-testid="health-store">{health.data.store}</code>
          </span>
          <span>
            {t(ui.region)}: <code data-testid="health-region">{health.data.region}</code>
          </span>
        </>
      )}
      {health.state === 'failed' && <span className="footer-warn">{t(ui.apiDown)}</span>}
      <span className="footer-right">{t(ui.worksOffline)}</span>
    </footer>
  );
}
