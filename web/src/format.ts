import type { Lang } from './i18n.tsx';

const cache = new Map<string, Intl.NumberFormat>();

function numberFormat(lang: Lang, fractionDigits: number): Intl.NumberFormat {
  const key = `${lang}:${fractionDigits}`;
  let format = cache.get(key);
  if (!format) {
    format = new Intl.NumberFormat(lang === 'zh' ? 'zh-CN' : 'en-US', {
      minimumFractionDigits: fractionDigits,
      maximumFractionDigits: fractionDigits,
    });
    cache.set(key, format);
  }
  return format;
}

/** Population as people read it: "2,487.5 万" in Chinese, "24.87 M" in English. */
export function formatPopulation(people: number, lang: Lang): string {
  return lang === 'zh'
    ? `${numberFormat(lang, 1).format(people / 1e4)} 万`
    : `${numberFormat(lang, 2).format(people / 1e6)} M`;
}

export function formatInteger(value: number, lang: Lang): string {
  return numberFormat(lang, 0).format(Math.round(value));
}

export function density(population: number, areaKm2: number): number {
  return areaKm2 > 0 ? population / areaKm2 : 0;
}

/**
 * Fen as yuan with two decimals, "¥1,234.56" (negative "−¥12.30"), by integer arithmetic:
 * money never passes through a float.
 */
export function formatFen(fen: number, lang: Lang): string {
  const sign = fen < 0 ? '−' : '';
  const abs = Math.abs(fen);
  const cents = String(abs % 100).padStart(2, '0');
  return `${sign}¥${numberFormat(lang, 0).format((abs - (abs % 100)) / 100)}.${cents}`;
}
