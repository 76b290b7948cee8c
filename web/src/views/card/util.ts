import { useCallback } from 'react';
import { api, type Party, type Region } from '../../api.ts';
import { useName } from '../../i18n.tsx';
import { useFetch } from '../../useFetch.ts';

/** The date of today in the region's time zone, as YYYY-MM-DD. */
export function todayIn(timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(new Date());
}

export const isDate = (text: string | null): text is string => !!text && /^\d{4}-\d{2}-\d{2}$/.test(text);

/** A date `days` after `date` (both YYYY-MM-DD). */
export function addDays(date: string, days: number): string {
  const t = Date.parse(`${date}T00:00:00Z`) + days * 86_400_000;
  return new Date(t).toISOString().slice(0, 10);
}

/** An instant as the region's clocks show it, HH:MM. */
export function clockIn(iso: string, timeZone: string): string {
  return new Intl.DateTimeFormat('en-GB', {
    timeZone,
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(new Date(iso));
}

const NO_PARTIES: Party[] = [];

/**
 * Names for what settlement and flows speak of by id: parties (operators, issuers), the
 * region's jurisdictions and cities. An id nobody names is shown as it is.
 */
export function usePlaceNames(region: Region): (id: string) => string {
  const name = useName();
  const parties = useFetch((signal) => api.parties(signal), 'parties');
  const list = parties.state === 'ready' ? parties.data : NO_PARTIES;
  return useCallback(
    (id: string) => {
      const named =
        list.find((p) => p.id === id)?.name ??
        region.jurisdictions.find((j) => j.id === id)?.name ??
        region.cities.find((c) => c.id === id)?.name;
      return named ? name(named) : id;
    },
    [list, region, name],
  );
}

/** What every tab of the view receives. */
export interface TabProps {
  region: Region;
  params: URLSearchParams;
  apiKey: string;
  placeName: (id: string) => string;
}
