import { useText } from '../../i18n.tsx';
import { cx } from './text.ts';

/** Said instead of a request bound to fail with 401. */
export function KeyNeeded({ admin }: { admin: boolean }) {
  const t = useText();
  return (
    <p className="card key-needed" data-testid="key-needed">
      {t(admin ? cx.needsAdmin : cx.needsKey)} <span className="muted">{t(cx.apiKeyHint)}</span>
    </p>
  );
}
