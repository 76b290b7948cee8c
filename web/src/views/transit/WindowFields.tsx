import { useState } from 'react';
import type { TransitFeed } from '../../api.ts';
import { useText } from '../../i18n.tsx';
import { tx } from './text.ts';
import { defaultDate, isDate } from './util.ts';

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

type DateWindow = ReturnType<typeof useDateWindow>;

/** The date and window a tab starts from: the address's, or the feed's usual day and the peak. */
export function useDateWindow(params: URLSearchParams, feed: TransitFeed, timeZone: string) {
  const initialDate = params.get('date');
  const [date, onDate] = useState(isDate(initialDate) ? initialDate : defaultDate(feed, timeZone));
  const [window, onWindow] = useState(parseWindow(params.get('window')));
  return { date, window, onDate, onWindow };
}

interface DateWindowFieldsProps extends DateWindow {
  /** The date input's id, for its label. */
  id: string;
  feed: TransitFeed;
}

/** A service day within the feed's coverage, and a window of that day. */
export function DateWindowFields({ id, feed, date, window, onDate, onWindow }: DateWindowFieldsProps) {
  const t = useText();
  return (
    <>
      <div className="field">
        <label htmlFor={id}>{t(tx.onDate)}</label>
        <input
          id={id}
          type="date"
          value={date}
          min={feed.coverage.start}
          max={feed.coverage.end}
          onChange={(e) => onDate(e.target.value)}
          required
        />
      </div>
      <WindowFields from={window.from} to={window.to} onChange={(from, to) => onWindow({ from, to })} />
    </>
  );
}

/** Reads `07:00-09:00` into its two ends, or the default peak window. */
export function parseWindow(text: string | null): { from: string; to: string } {
  const match = /^(\d{2}:\d{2})-(\d{2}:\d{2})$/.exec(text ?? '');
  return match ? { from: match[1], to: match[2] } : { from: '07:00', to: '09:00' };
}
