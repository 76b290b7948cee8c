import { useText } from '../../i18n.tsx';
import { tx } from './text.ts';

interface WindowFieldsProps {
  from: string;
  to: string;
  onChange: (from: string, to: string) => void;
}

/** A departure window as two clock times. */
export function WindowFields({ from, to, onChange }: WindowFieldsProps) {
  const t = useText();
  return (
    <fieldset className="field window-fields">
      <legend>{t(tx.window)}</legend>
      <input
        type="time"
        value={from}
        aria-label={`${t(tx.window)} (${t(tx.from)})`}
        onChange={(e) => onChange(e.target.value, to)}
        required
      />
      <span aria-hidden="true">–</span>
      <input
        type="time"
        value={to}
        aria-label={`${t(tx.window)} (${t(tx.to)})`}
        onChange={(e) => onChange(from, e.target.value)}
        required
      />
    </fieldset>
  );
}

/** Reads `07:00-09:00` into its two ends, or the default peak window. */
export function parseWindow(text: string | null): { from: string; to: string } {
  const match = /^(\d{2}:\d{2})-(\d{2}:\d{2})$/.exec(text ?? '');
  return match ? { from: match[1], to: match[2] } : { from: '07:00', to: '09:00' };
}
