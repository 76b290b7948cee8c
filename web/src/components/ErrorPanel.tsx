import { ApiError } from '../api.ts';
import { ui, useText } from '../i18n.tsx';

function describe(error: unknown): { detail: string; meta: string | null } {
  if (error instanceof ApiError) {
    if (error.status === 0) return { detail: '', meta: error.url };
    const p = error.problem;
    const meta = [p?.title, `HTTP ${error.status}`, p?.code, p?.field && `field: ${p.field}`]
      .filter(Boolean)
      .join(' · ');
    return { detail: p?.detail ?? p?.title ?? error.message, meta };
  }
  return { detail: error instanceof Error ? error.message : String(error), meta: null };
}

/** A visible panel for a failed request; shows the problem's `detail` as the server wrote it. */
export function ErrorPanel({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const t = useText();
  const { detail, meta } = describe(error);
  return (
    <div className="error-panel" role="alert" data-testid="error-panel">
      <h2>{t(ui.errorTitle)}</h2>
      <p className="error-detail">{detail || t(ui.errorNetwork)}</p>
      {meta && <p className="error-meta">{meta}</p>}
      {onRetry && (
        <button type="button" className="button" onClick={onRetry}>
          {t(ui.retry)}
        </button>
      )}
    </div>
  );
}
