/**
 * The dashboard's languages. Names in data (cities, jurisdictions …) are shown in the language
 * chosen among the region pack's, falling back to the pack's default language. The interface's
 * own strings are written in Chinese (Simplified, zh-Hans) and English: for a choice of any other
 * language the interface is in English, and the language switch says so in its tooltip.
 */
import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { matchLanguage, type Name, nameIn } from '../../src/lib/name.ts';

/** The interface's languages: the keys of its strings. */
export type Lang = 'zh' | 'en';
/** An interface string in each interface language. */
export type UiText = Record<Lang, string>;
/** The tag each interface language is written in. */
const UI_TAGS: Record<Lang, string> = { zh: 'zh-Hans', en: 'en' };

const STORAGE_KEY = 'tongcheng.lang';

function storedChoice(): string | null {
  try {
    return localStorage.getItem(STORAGE_KEY);
  } catch {
    // Storage can be disabled (private windows, strict policies): nothing was remembered.
    return null;
  }
}

/** The interface language that serves a reader of `tag`: English unless it reads Simplified Chinese. */
export const interfaceLang = (tag: string): Lang => (matchLanguage(tag, [UI_TAGS.zh]) ? 'zh' : 'en');

/** Whether the interface is written in a language a reader of `tag` reads. */
export const interfaceWrittenIn = (tag: string): boolean =>
  matchLanguage(tag, Object.values(UI_TAGS)) !== undefined;

/** A language by its own name: 简体中文, English, 日本語. */
export function languageName(tag: string): string {
  try {
    return new Intl.DisplayNames([tag], { type: 'language' }).of(tag) ?? tag;
  } catch {
    return tag;
  }
}

interface LangContextValue {
  /** The chosen language, a BCP 47 tag (one of the pack's once it has loaded): names are shown in it. */
  language: string;
  /** The pack's languages, its default first; none until the region has loaded. */
  languages: readonly string[];
  /** The interface's language for that choice. */
  lang: Lang;
  setLanguage: (tag: string) => void;
  offerLanguages: (languages: readonly string[]) => void;
}

const LangContext = createContext<LangContextValue>({
  language: 'en',
  languages: [],
  lang: 'en',
  setLanguage: () => {},
  offerLanguages: () => {},
});

export function LangProvider({ children }: { children: ReactNode }) {
  const [choice, setChoice] = useState<string | null>(storedChoice);
  const [languages, setLanguages] = useState<readonly string[]>([]);
  // The remembered choice when the pack has it, else the pack's default; before the pack is
  // known, the remembered choice or the browser's language, so the first "Loading…" is readable.
  const language =
    languages.length > 0
      ? ((choice ? matchLanguage(choice, languages) : undefined) ?? languages[0])
      : (choice ?? navigator.language ?? 'en');
  useEffect(() => {
    document.documentElement.lang = language;
  }, [language]);
  const setLanguage = useCallback((next: string) => {
    setChoice(next);
    try {
      localStorage.setItem(STORAGE_KEY, next);
    } catch {
      // Not remembered, but the switch still works for this visit.
    }
  }, []);
  const offerLanguages = useCallback((offered: readonly string[]) => setLanguages(offered), []);
  const value = useMemo(
    () => ({ language, languages, lang: interfaceLang(language), setLanguage, offerLanguages }),
    [language, languages, setLanguage, offerLanguages],
  );
  return <LangContext.Provider value={value}>{children}</LangContext.Provider>;
}

export function useLang(): LangContextValue {
  return useContext(LangContext);
}

/** Tells the dashboard which languages the region pack offers: whoever loads the region calls it. */
export function usePackLanguages(languages: readonly string[] | undefined): void {
  const { offerLanguages } = useLang();
  useEffect(() => {
    if (languages) offerLanguages(languages);
  }, [languages, offerLanguages]);
}

/**
 * Picks interface text in the interface's language. It takes a name from data too (a feed's
 * name, say), read in the interface's language.
 */
export function useText(): (text: UiText | Name) => string {
  const { lang } = useLang();
  return useCallback((text: UiText | Name) => text[lang] ?? nameIn(text, [UI_TAGS[lang]]), [lang]);
}

/** Picks a name from data in the chosen language, else the pack's default, else any. */
export function useName(): (name: Name) => string {
  const { language, languages } = useLang();
  return useCallback((name: Name) => nameIn(name, [language], languages[0]), [language, languages]);
}

/** Interface strings; data (city names and the like) carries its own names by language tag. */
export const ui = {
  brandTagline: { zh: '区域共享基础设施', en: 'Shared regional infrastructure' },
  language: { zh: '语言', en: 'Language' },
  switchTo: { zh: '切换到{language}', en: 'Switch to {language}' },
  interfaceInEnglish: {
    zh: '界面只有中文和英文版本，此处以英文显示；名称以{language}显示。',
    en: 'The interface is written in Chinese and English only, so it is shown in English; names are shown in {language}.',
  },
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
} satisfies Record<string, UiText>;
