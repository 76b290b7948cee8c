import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import type { Localized } from './api.ts';

export type Lang = 'zh' | 'en';

const STORAGE_KEY = 'tongcheng.lang';
const HTML_LANG: Record<Lang, string> = { zh: 'zh-CN', en: 'en' };

function storedLang(): Lang {
  try {
    const value = localStorage.getItem(STORAGE_KEY);
    if (value === 'zh' || value === 'en') return value;
  } catch {
    // Storage can be disabled (private windows, strict policies): fall back to the default.
  }
  return 'zh';
}

interface LangContextValue {
  lang: Lang;
  setLang: (lang: Lang) => void;
}

const LangContext = createContext<LangContextValue>({ lang: 'zh', setLang: () => {} });

export function LangProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(storedLang);
  useEffect(() => {
    document.documentElement.lang = HTML_LANG[lang];
  }, [lang]);
  const setLang = useCallback((next: Lang) => {
    setLangState(next);
    try {
      localStorage.setItem(STORAGE_KEY, next);
    } catch {
      // Not remembered, but the switch still works for this visit.
    }
  }, []);
  const value = useMemo(() => ({ lang, setLang }), [lang, setLang]);
  return <LangContext.Provider value={value}>{children}</LangContext.Provider>;
}

export function useLang(): LangContextValue {
  return useContext(LangContext);
}

/** Picks the current language's text from a `{ zh, en }` pair. */
export function useText(): (text: Localized) => string {
  const { lang } = useLang();
  return useCallback((text: Localized) => text[lang], [lang]);
}

/** Interface strings; data (city names and the like) carries its own `{ zh, en }`. */
export const ui = {
  brandTagline: { zh: '区域共享基础设施', en: 'Shared regional infrastructure' },
  switchTo: { zh: 'English', en: '中文' },
  switchToLabel: { zh: 'Switch to English', en: '切换到中文' },
  navLabel: { zh: '模块', en: 'Modules' },
  live: { zh: '已上线', en: 'Live' },
  coming: { zh: '建设中', en: 'Coming' },
  comingTitle: { zh: '即将推出', en: 'Coming soon' },
  comingNote: {
    zh: '该模块正在建设中。区域视图已可使用。',
    en: 'This module is being built. The Region view is available now.',
  },
  goToRegion: { zh: '查看区域概况', en: 'Go to the Region view' },
  loading: { zh: '正在加载…', en: 'Loading…' },
  errorTitle: { zh: '无法加载数据', en: 'Could not load data' },
  errorNetwork: {
    zh: '无法连接到 Tongcheng 服务器。请确认服务已启动。',
    en: 'Could not reach the Tongcheng server. Check that it is running.',
  },
  retry: { zh: '重试', en: 'Retry' },
  notFound: { zh: '没有这个页面。', en: 'There is no such page.' },
  // Region view
  regionOverview: { zh: '区域概况', en: 'Regional overview' },
  cities: { zh: '城市', en: 'Cities' },
  jurisdictions: { zh: '省级行政区', en: 'Jurisdictions' },
  totalPopulation: { zh: '常住人口', en: 'Population' },
  totalArea: { zh: '总面积', en: 'Total area' },
  mapTitle: { zh: '区域地图', en: 'Map of the region' },
  mapHint: { zh: '悬停或点击城市以突出显示', en: 'Hover or click a city to highlight it' },
  demoZone: { zh: '一体化示范区', en: 'Demonstration zone' },
  districts: { zh: '区县', en: 'Districts' },
  linkedPlace: { zh: '联动地区', en: 'Linked place' },
  tableTitle: { zh: '城市一览', en: 'Cities' },
  chartTitle: { zh: '各城市常住人口', en: 'Population by city' },
  colCity: { zh: '城市', en: 'City' },
  colJurisdiction: { zh: '所属省级行政区', en: 'Jurisdiction' },
  colPopulation: { zh: '常住人口', en: 'Population' },
  colArea: { zh: '面积 (km²)', en: 'Area (km²)' },
  colDensity: { zh: '人口密度 (人/km²)', en: 'Density (/km²)' },
  total: { zh: '合计', en: 'Total' },
  populationYear: { zh: '人口数据年份', en: 'Population year' },
  sortBy: { zh: '排序', en: 'Sort by' },
  // Footer
  store: { zh: '数据存储', en: 'Store' },
  region: { zh: '区域', en: 'Region' },
  apiDown: { zh: 'API 不可用', en: 'API unavailable' },
  worksOffline: { zh: '离线可用 · 不加载外部资源', en: 'Works offline · loads nothing from the internet' },
} satisfies Record<string, Localized>;
