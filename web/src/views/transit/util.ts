import { matchLanguage } from '../../../../src/lib/name.ts';
import type { Instant, Region, Stop, TransitFeed, TransitRoute } from '../../api.ts';
import type { Lang } from '../../i18n.tsx';

type Named = Pick<Stop, 'name' | 'names'>;

/** A name of the feed's in the reader's language (`zh` finds `zh-CN`), else as the feed wrote it. */
function inLanguage(names: Record<string, string>, lang: Lang, otherwise: string): string {
  const tag = matchLanguage(lang, Object.keys(names));
  return tag === undefined ? otherwise : names[tag];
}

export function stopName(stop: Named, lang: Lang): string {
  return inLanguage(stop.names, lang, stop.name);
}

export function routeLongName(route: TransitRoute, lang: Lang): string {
  return inLanguage(route.names, lang, route.longName);
}

/**
 * A time as the stop's clocks show it: `HH:MM`, how many days after `refDate` it falls (the date matters
 * once a journey spans nights), and the UTC offset when it is not `refOffset` (the journey crossed zones).
 */
export function stopClock(
  at: Instant,
  refDate: string,
  refOffset: string,
): { text: string; days: number; offset: string | null } {
  const days = Math.round((Date.parse(at.localDate) - Date.parse(refDate)) / 86_400_000);
  return {
    text: at.localTime.slice(0, 5),
    days,
    offset: at.utcOffset === refOffset ? null : `UTC${at.utcOffset}`,
  };
}

/** Seconds from one instant to another, whatever service days their clocks count on. */
export function secondsBetween(from: Instant, to: Instant): number {
  return Math.round((Date.parse(to.utc) - Date.parse(from.utc)) / 1000);
}

export function durationText(seconds: number, lang: Lang): string {
  const minutes = Math.round(seconds / 60);
  const d = Math.floor(minutes / 1440);
  const h = Math.floor((minutes % 1440) / 60);
  const m = minutes % 60;
  if (lang === 'zh') {
    if (d > 0) return `${d} 天 ${h} 小时 ${m} 分`;
    return h > 0 ? `${h} 小时 ${m} 分` : `${m} 分钟`;
  }
  if (d > 0) return `${d} d ${h} h ${m} min`;
  return h > 0 ? `${h} h ${m} min` : `${m} min`;
}

export function transfersText(n: number, lang: Lang): string {
  if (n === 0) return lang === 'zh' ? '直达' : 'Direct';
  if (lang === 'zh') return `换乘 ${n} 次`;
  return n === 1 ? '1 change' : `${n} changes`;
}

export function minutesText(value: number | null | undefined, lang: Lang, digits = 0): string {
  if (value === null || value === undefined) return '—';
  const number = new Intl.NumberFormat(lang === 'zh' ? 'zh-CN' : 'en-US', {
    maximumFractionDigits: digits,
    minimumFractionDigits: 0,
  }).format(value);
  return lang === 'zh' ? `${number} 分钟` : `${number} min`;
}

/** A readable text colour (white or near-black) on a route's colour. */
export function textOn(color: string | null): string {
  const hex = (color ?? '').replace('#', '');
  if (!/^[0-9a-f]{6}$/i.test(hex)) return '#ffffff';
  const [r, g, b] = [0, 2, 4].map((i) => Number.parseInt(hex.slice(i, i + 2), 16) / 255);
  const lin = (c: number) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
  const luminance = 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
  return luminance > 0.4 ? '#1d2733' : '#ffffff';
}

export const ROUTE_FALLBACK = '#5b6773';

export function routeColor(route: Pick<TransitRoute, 'color'>): string {
  return route.color && /^#[0-9a-f]{6}$/i.test(route.color) ? route.color : ROUTE_FALLBACK;
}

/** Today's date in the region's zone, `YYYY-MM-DD`. */
export function todayIn(timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(new Date());
}

export function isDate(text: string | null | undefined): text is string {
  return !!text && /^\d{4}-\d{2}-\d{2}$/.test(text);
}

export function isClock(text: string | null | undefined): text is string {
  return !!text && /^\d{2}:\d{2}$/.test(text);
}

/** The feed's representative day, unless today is a day the feed covers. */
export function defaultDate(feed: TransitFeed, timeZone: string): string {
  const today = todayIn(timeZone);
  return today >= feed.coverage.start && today <= feed.coverage.end ? today : feed.typicalDate;
}

/** What every tab of the rail view receives. */
export interface TabProps {
  region: Region;
  feed: TransitFeed;
  feeds: TransitFeed[];
  params: URLSearchParams;
  /** The feed as the address names it: null for the default feed. */
  feedParam: string | null;
}
