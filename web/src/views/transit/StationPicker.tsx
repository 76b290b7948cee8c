import { useEffect, useId, useRef, useState } from 'react';
import { type Stop, transitApi } from '../../api.ts';
import { useLang, useText } from '../../i18n.tsx';
import { tx } from './text.ts';
import { stopName } from './util.ts';

interface StationPickerProps {
  feed: string;
  label: string;
  value: Stop | null;
  onChange: (stop: Stop | null) => void;
  testId?: string;
}

/** A combobox over `/stops?q=`: type Chinese or English, pick with the mouse or the arrow keys. */
export function StationPicker({ feed, label, value, onChange, testId }: StationPickerProps) {
  const { lang } = useLang();
  const t = useText();
  const id = useId();
  const [draft, setDraft] = useState<string | null>(null);
  const [options, setOptions] = useState<Stop[]>([]);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const blurTimer = useRef<number | undefined>(undefined);

  const text = draft ?? (value ? stopName(value, lang) : '');

  useEffect(() => {
    if (draft === null || draft.trim() === '') {
      setOptions([]);
      return;
    }
    const controller = new AbortController();
    const timer = window.setTimeout(() => {
      transitApi.stops({ feed, q: draft.trim() }, controller.signal).then(
        (stops) => {
          setOptions(stops.slice(0, 8));
          setActive(0);
        },
        () => {
          if (!controller.signal.aborted) setOptions([]);
        },
      );
    }, 120);
    return () => {
      window.clearTimeout(timer);
      controller.abort();
    };
  }, [draft, feed]);

  useEffect(() => () => window.clearTimeout(blurTimer.current), []);

  const choose = (stop: Stop) => {
    onChange(stop);
    setDraft(null);
    setOpen(false);
  };

  const onKeyDown = (e: React.KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'ArrowDown') {
      e.preventDefault();
      setOpen(true);
      setActive((i) => Math.min(options.length - 1, i + 1));
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      setActive((i) => Math.max(0, i - 1));
    } else if (e.key === 'Enter' && open && options[active]) {
      e.preventDefault();
      choose(options[active]);
    } else if (e.key === 'Escape') {
      setOpen(false);
      setDraft(null);
    }
  };

  const listId = `${id}-list`;
  const showList = open && draft !== null && draft.trim() !== '';
  return (
    <div className="field station-picker" data-testid={testId}>
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type="text"
        role="combobox"
        autoComplete="off"
        spellCheck={false}
        aria-expanded={showList}
        aria-controls={listId}
        aria-activedescendant={showList && options[active] ? `${listId}-${active}` : undefined}
        placeholder={t(tx.stationPlaceholder)}
        value={text}
        onChange={(e) => {
          setDraft(e.target.value);
          setOpen(true);
          if (e.target.value === '') onChange(null);
        }}
        onFocus={(e) => e.target.select()}
        onBlur={() => {
          blurTimer.current = window.setTimeout(() => {
            setOpen(false);
            // Leaving with one obvious match picks it; otherwise the last choice stands.
            if (draft !== null && options.length === 1) choose(options[0]);
            else setDraft(null);
          }, 150);
        }}
        onKeyDown={onKeyDown}
      />
      {showList && (
        <div className="suggestions" id={listId} role="listbox">
          {options.length === 0 && <div className="suggestion-empty">{t(tx.noMatch)}</div>}
          {options.map((stop, i) => (
            <div
              key={stop.id}
              tabIndex={-1}
              id={`${listId}-${i}`}
              role="option"
              aria-selected={i === active}
              className={i === active ? 'active' : undefined}
              data-stop={stop.id}
              onMouseDown={(e) => {
                e.preventDefault();
                choose(stop);
              }}
              onMouseEnter={() => setActive(i)}
            >
              <span>{stopName(stop, lang)}</span>
              <span className="muted small">{stopName(stop, lang === 'zh' ? 'en' : 'zh')}</span>
            </div>
          ))}
        </div>
      )}
    </div>
  );
}
