/**
 * Names in a region's languages. A region pack declares its languages as BCP 47 tags (its
 * default first), and every name is a map from tag to text: `{ "zh-Hans": "上海", "en":
 * "Shanghai" }`. Identifiers stay ASCII; names live in data.
 */
import { type Static, Type } from 'typebox';

// The schemas are marked pure so that the dashboard, which imports only the helpers below,
// leaves TypeBox out of its bundle.

/**
 * The shape of a BCP 47 tag. Whether a tag is well-formed is for `Intl.getCanonicalLocales` to
 * say; the pack loader asks it about every language a pack declares.
 */
export const LanguageTag = /* @__PURE__ */ Type.String({
  pattern: '^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$',
  description: 'a BCP 47 language tag: zh-Hans, en, ja',
});

export const Name = /* @__PURE__ */ Type.Record(LanguageTag, /* @__PURE__ */ Type.String({ minLength: 1 }), {
  minProperties: 1,
  additionalProperties: false,
  description: 'a name by language tag, e.g. {"zh-Hans": "上海", "en": "Shanghai"}',
});
export type Name = Static<typeof Name>;

/** `zh` → `zh-Hans`, `zh-CN` → `zh-Hans`, `ja` → `ja-Jpan`: what a reader of the tag reads. */
function languageAndScript(tag: string): string | undefined {
  try {
    const locale = new Intl.Locale(tag).maximize();
    return `${locale.language}-${locale.script}`;
  } catch {
    return undefined;
  }
}

/**
 * The tag among `available` that serves a reader of `wanted`: the same tag (in any case), else
 * one of the same language in the same script, so that `zh`, `zh-CN` and `zh-Hans` find each
 * other while `zh-Hant` finds none of them.
 */
export function matchLanguage(wanted: string, available: readonly string[]): string | undefined {
  const lower = wanted.toLowerCase();
  const exact = available.find((tag) => tag.toLowerCase() === lower);
  if (exact !== undefined) return exact;
  const reads = languageAndScript(wanted);
  return reads === undefined ? undefined : available.find((tag) => languageAndScript(tag) === reads);
}

/**
 * A name in the first of the `preferred` languages it has, else in `fallback` (a pack's
 * default language), else in the first language it has.
 */
export function nameIn(name: Name, preferred: readonly string[], fallback?: string): string {
  const tags = Object.keys(name);
  for (const wanted of fallback === undefined ? preferred : [...preferred, fallback]) {
    const tag = matchLanguage(wanted, tags);
    if (tag !== undefined) return name[tag];
  }
  return name[tags[0]];
}

/** A name in each of `languages` it has, in that order: `上海 Shanghai`, for terminals and logs. */
export const allNames = (name: Name, languages: readonly string[]): string =>
  [...new Set(languages.flatMap((tag) => (name[tag] === undefined ? [] : [name[tag]])))].join(' ');
