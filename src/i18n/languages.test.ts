import { describe, expect, it } from 'vitest';
import { browserLanguage, languagesOffered, localeOf, resolveLanguage } from './languages';

describe('language choice', () => {
  it("follows the browser's languages by primary subtag, else English", () => {
    expect(browserLanguage(['ar-EG', 'en'])).toBe('ar');
    expect(browserLanguage(['de-DE', 'fr-CA'])).toBe('fr');
    expect(browserLanguage(['de'])).toBe('en');
  });

  it("puts the site's language first, then the reader's choice, then the browser's, within the languages offered", () => {
    expect(resolveLanguage({ forced: 'fr', chosen: 'ar', browser: ['ar'] })).toBe('fr');
    expect(resolveLanguage({ chosen: 'ar', browser: ['fr'] })).toBe('ar');
    expect(resolveLanguage({ browser: ['de', 'fr-FR'] })).toBe('fr');
    // A choice the site no longer offers gives way to the browser's language, then the first offered.
    expect(resolveLanguage({ offered: ['ar', 'fr'], chosen: 'en', browser: ['fr'] })).toBe('fr');
    expect(resolveLanguage({ offered: ['ar', 'fr'], browser: ['de'] })).toBe('ar');
    expect(resolveLanguage({ offered: ['fr', 'en'], browser: [] })).toBe('en');
  });

  it('offers the forced language alone, else those listed, in the app order', () => {
    expect(languagesOffered('ar', undefined)).toEqual(['ar']);
    expect(languagesOffered(undefined, ['fr', 'ar'])).toEqual(['ar', 'fr']);
    expect(languagesOffered(undefined, undefined)).toEqual(['en', 'ar', 'fr']);
  });

  it('formats in the Gregorian calendar with the digits chosen', () => {
    const date = new Date(Date.UTC(2024, 0, 31));
    const fmt = (locale: string) => new Intl.DateTimeFormat(locale, { year: 'numeric', timeZone: 'UTC' }).format(date);
    expect(fmt(localeOf('ar'))).toBe('2024');
    expect(fmt(localeOf('ar', 'arab'))).toBe('٢٠٢٤');
  });
});
