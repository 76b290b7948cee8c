import fc from 'fast-check';
import { Value } from 'typebox/value';
import { describe, expect, it } from 'vitest';
import { allNames, matchLanguage, Name, nameIn } from './name.ts';

const TAGS = ['zh-Hans', 'zh-Hant', 'zh', 'zh-CN', 'zh-TW', 'en', 'en-GB', 'ja', 'ko', 'fr', 'de', 'sr-Latn'];
const tag = fc.constantFrom(...TAGS);
const name = fc.dictionary(tag, fc.string({ minLength: 1, maxLength: 8 }), { minKeys: 1, maxKeys: 5 });

describe('Name', () => {
  it('is a map from language tag to non-empty text', () => {
    expect(Value.Check(Name, { 'zh-Hans': '上海', en: 'Shanghai' })).toBe(true);
    expect(Value.Check(Name, { ja: '横浜市' })).toBe(true);
    expect(Value.Check(Name, {})).toBe(false);
    expect(Value.Check(Name, { en: '' })).toBe(false);
    expect(Value.Check(Name, { 'not a tag': 'x' })).toBe(false);
  });
});

describe('matchLanguage', () => {
  it('matches a tag to itself in any case, and to the same language in the same script', () => {
    expect(matchLanguage('ZH-hans', ['en', 'zh-Hans'])).toBe('zh-Hans');
    expect(matchLanguage('zh', ['en', 'zh-Hans'])).toBe('zh-Hans');
    expect(matchLanguage('zh-CN', ['en', 'zh-Hans'])).toBe('zh-Hans');
    expect(matchLanguage('zh-Hans', ['zh', 'en'])).toBe('zh');
    expect(matchLanguage('en-GB', ['zh-Hans', 'en'])).toBe('en');
    expect(matchLanguage('ja', ['ja', 'en'])).toBe('ja');
  });

  it('does not give one script for another, nor anything for a tag that is no tag', () => {
    expect(matchLanguage('zh-Hant', ['zh-Hans', 'en'])).toBeUndefined();
    expect(matchLanguage('zh-TW', ['zh-Hans', 'en'])).toBeUndefined();
    expect(matchLanguage('sr-Latn', ['sr'])).toBeUndefined();
    expect(matchLanguage('ja', ['zh-Hans', 'en'])).toBeUndefined();
    expect(matchLanguage('not a tag', ['en'])).toBeUndefined();
  });
});

describe('nameIn', () => {
  it('always gives one of the name’s own texts (property)', () => {
    fc.assert(
      fc.property(
        name,
        fc.array(tag, { maxLength: 3 }),
        fc.option(tag, { nil: undefined }),
        (n, pref, fb) => {
          expect(Object.values(n)).toContain(nameIn(n, pref, fb));
        },
      ),
    );
  });

  it('gives the first preferred language the name has exactly (property)', () => {
    fc.assert(
      fc.property(name, fc.array(tag, { maxLength: 3 }), (n, rest) => {
        const first = Object.keys(n)[0];
        expect(nameIn(n, [first, ...rest], 'en')).toBe(n[first]);
      }),
    );
  });

  it('falls back to the pack’s default language, then to any', () => {
    const suzhou = { 'zh-Hans': '苏州', en: 'Suzhou' };
    expect(nameIn(suzhou, ['en'], 'zh-Hans')).toBe('Suzhou');
    expect(nameIn(suzhou, ['zh-CN'], 'en')).toBe('苏州');
    expect(nameIn(suzhou, ['ja'], 'zh-Hans')).toBe('苏州');
    expect(nameIn(suzhou, ['ja', 'en'], 'zh-Hans')).toBe('Suzhou');
    expect(nameIn({ ja: '横浜市', en: 'Yokohama' }, ['fr'], 'de')).toBe('横浜市');
  });
});

describe('allNames', () => {
  it('lists a name in the languages given, once each', () => {
    expect(allNames({ 'zh-Hans': '上海', en: 'Shanghai' }, ['zh-Hans', 'en'])).toBe('上海 Shanghai');
    expect(allNames({ ja: '東京', en: 'Tokyo' }, ['en', 'ja'])).toBe('Tokyo 東京');
    expect(allNames({ fr: 'Paris', en: 'Paris' }, ['fr', 'en'])).toBe('Paris');
  });
});
