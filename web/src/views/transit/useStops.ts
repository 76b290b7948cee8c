import { useCallback, useMemo } from 'react';
import { type Stop, transitApi } from '../../api.ts';
import type { Lang } from '../../i18n.tsx';
import { type Loadable, useFetch } from '../../useFetch.ts';
import { stopName } from './util.ts';

/** Every station of a feed, and a way to show a headsign (a station name in the feed's language) in ours. */
export function useStops(feed: string): {
  stops: Loadable<Stop[]>;
  headsign: (text: string, lang: Lang) => string;
} {
  const stops = useFetch((signal) => transitApi.stops({ feed }, signal), feed);
  const byName = useMemo(
    () => new Map(stops.state === 'ready' ? stops.data.map((s) => [s.name, s]) : []),
    [stops],
  );
  const headsign = useCallback(
    (text: string, lang: Lang) => {
      const stop = byName.get(text);
      return stop ? stopName(stop, lang) : text;
    },
    [byName],
  );
  return { stops, headsign };
}
