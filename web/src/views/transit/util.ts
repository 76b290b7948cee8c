import type { Region, Stop, TransitFeed, TransitRoute } from '../../api.ts';
import type { Lang } from '../../i18n.tsx';

type Named = Pick<Stop, 'name' | 'names'>;

export function stopName(stop: Named, lang: Lang): string {
  return stop.names?.[lang] || stop.name;
}

export function routeLongName(route: TransitRoute, lang: Lang): string {
  return route.names?.[lang] || route.longName;
}

/** `HH:MM` from `HH:MM[:SS]`, with the day past midnight folded back and flagged. */
export function clockTime(time: string): { text: string; nextDay: boolean } {
  const [h = 0, m = 0] = time.split(':').map(Number);
  return { text: `${String(h % 24).padStart(2, '0')}:${String(m).padStart(2, '0')}`, nextDay: h >= 24 };
}

export function durationText(seconds: number, lang: Lang): string {
  const minutes = Math.round(seconds / 60);
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  if (lang === 'zh') return h > 0 ? `${h} 小时 ${m} 分` : `${m} 分钟`;
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
