import type { Region } from '../api.ts';
import { interfaceWrittenIn, languageName, ui, useLang, useName, useText } from '../i18n.tsx';

export function Header({ region }: { region: Region | null }) {
  const t = useText();
  const name = useName();
  return (
    <header className="app-header">
      <a className="brand" href="#/region">
        <span className="brand-mark" aria-hidden="true" lang="zh-Hans">
          同
        </span>
        <span className="brand-text">
          <span className="brand-name">
            <span lang="zh-Hans">同城</span> Tongcheng
          </span>
          <span className="brand-tagline">{t(ui.brandTagline)}</span>
        </span>
      </a>
      <div className="header-region">{region ? name(region.name) : ''}</div>
      <LanguageSwitch />
    </header>
  );
}

/**
 * The pack's languages, each by its own name: a button to the other one when there are two, a
 * list when there are more, nothing when there is one.
 */
function LanguageSwitch() {
  const { language, languages, setLanguage } = useLang();
  const t = useText();
  if (languages.length < 2) return null;
  const named = (text: string, tag: string) => text.replace('{language}', languageName(tag));
  // A choice the interface is not written in gets it in English, and the tooltip says so.
  const title = interfaceWrittenIn(language) ? undefined : named(t(ui.interfaceInEnglish), language);
  if (languages.length === 2) {
    const other = languages.find((tag) => tag !== language) ?? languages[0];
    return (
      <button
        type="button"
        className="lang-switch"
        data-testid="lang-switch"
        lang={other}
        aria-label={named(t(ui.switchTo), other)}
        title={title}
        onClick={() => setLanguage(other)}
      >
        {languageName(other)}
      </button>
    );
  }
  return (
    <select
      className="lang-switch"
      data-testid="lang-switch"
      aria-label={t(ui.language)}
      title={title}
      value={language}
      onChange={(event) => setLanguage(event.target.value)}
    >
      {languages.map((tag) => (
        <option key={tag} value={tag} lang={tag}>
          {languageName(tag)}
        </option>
      ))}
    </select>
  );
}
