import { ui, useText } from '../i18n.tsx';
import type { ModuleInfo } from '../modules.ts';

/** What a module not built yet will do, said plainly. */
export function ComingPanel({ module }: { module: ModuleInfo }) {
  const t = useText();
  return (
    <section className="card coming" data-testid="coming-panel" data-module={module.route}>
      <p className="eyebrow">{t(ui.comingTitle)}</p>
      <h1>{t(module.label)}</h1>
      <p className="coming-summary">{t(module.summary)}</p>
      <p className="muted">{t(ui.comingNote)}</p>
      <a className="button" href="#/region">
        {t(ui.goToRegion)}
      </a>
    </section>
  );
}
