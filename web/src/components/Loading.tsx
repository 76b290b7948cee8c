import { ui, useText } from '../i18n.tsx';

export function Loading({ label }: { label?: string }) {
  const t = useText();
  return (
    <div className="loading" role="status">
      <span className="spinner" aria-hidden="true" />
      {label ?? t(ui.loading)}
    </div>
  );
}
