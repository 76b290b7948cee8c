import type { Region } from '../api.ts';
import { ui, useLang, useText } from '../i18n.tsx';

export function Header({ region }: { region: Region | null }) {
  const { lang, setLang } = useLang();
  const t = useText();
  return (
    <header className="app-header">
      <a className="brand" href="#/region">
        <span className="brand-mark" aria-hidden="true" lang="zh-CN">
          同
        </span>
        <span className="brand-text">
          <span className="brand-name">
            <span lang="zh-CN">同城</span> Tongcheng
          </span>
          <span className="brand-tagline">{t(ui.brandTagline)}</span>
        </span>
      </a>
      <div className="header-region">{region ? t(region.name) : ''}</div>
      <button
        type="button"
        className="lang-switch"
        data-testid="lang-switch"
        lang={lang === 'zh' ? 'en' : 'zh-CN'}
        aria-label={t(ui.switchToLabel)}
        onClick={() => setLang(lang === 'zh' ? 'en' : 'zh')}
      >
        {t(ui.switchTo)}
      </button>
    </header>
  );
}
