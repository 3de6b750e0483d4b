// Localization: complete catalogues in every language, and the language resolution rule of SPEC 5.
import { describe, expect, it } from 'vitest';
import { CATALOGUES, t } from '../../lib/i18n/messages.js';
import { fromAcceptLanguage, resolveLanguage, SUPPORTED_LANGUAGES } from '../../lib/i18n/languages.js';
import { GROUP_RELATIONSHIP_TYPES, RELATIVE_RELATIONSHIP_TYPES, SYSTEM_STATUSES } from '../../lib/domain/catalogues.js';
import { ERROR_STATUS } from '../../lib/domain/errors.js';

describe('message catalogues', () => {
  const english = Object.keys(CATALOGUES.en).sort();

  it.each(SUPPORTED_LANGUAGES.filter((l) => l !== 'en'))('%s has exactly the English keys', (lang) => {
    expect(Object.keys(CATALOGUES[lang]).sort()).toEqual(english);
  });

  it.each(SUPPORTED_LANGUAGES.filter((l) => l !== 'en'))('%s translates the catalogue names (not English copies everywhere)', (lang) => {
    const translated = english.filter((k) => CATALOGUES[lang][k] !== CATALOGUES.en[k]);
    expect(translated.length).toBeGreaterThan(english.length * 0.8);
  });

  it('names every catalogue entry and every error code', () => {
    const keys = [
      ...GROUP_RELATIONSHIP_TYPES.map((e) => `groupRelationshipType.${e.systemName}`),
      ...SYSTEM_STATUSES.map((e) => `systemStatus.${e.systemName}`),
      ...RELATIVE_RELATIONSHIP_TYPES.map((e) => `relativeType.${e.systemName}`),
      ...Object.keys(ERROR_STATUS).map((c) => `code.${c}`),
    ];
    for (const key of keys) expect(CATALOGUES.en[key], key).toBeTypeOf('string');
  });

  it('fills parameters and joins lists', () => {
    expect(t('de', 'MemberNotFound', { ids: [7, 9] })).toBe('Mitglied nicht gefunden: 7, 9.');
    expect(t('fr', 'MissingScope', { scope: 'crs.write' })).toContain('crs.write');
  });

  it('falls back to the key for unknown keys', () => {
    expect(t('it', 'NoSuchKey')).toBe('NoSuchKey');
  });
});

describe('language resolution', () => {
  it.each([
    [{ query: 'de', acceptLanguage: 'fr' }, 'de'],
    [{ query: 'DE-ch' }, 'de'],
    [{ query: 'xx', acceptLanguage: 'it-CH, en;q=0.5' }, 'it'],
    [{ acceptLanguage: 'es, fr;q=0.8, de;q=0.9' }, 'de'],
    [{ acceptLanguage: 'fr;q=0, de;q=0.1' }, 'de'],
    [{ acceptLanguage: 'es' }, 'en'],
    [{}, 'en'],
  ] as const)('%j → %s', (input, expected) => {
    expect(resolveLanguage({ ...input, defaultLanguage: 'en' })).toBe(expected);
  });

  it('uses the configured default', () => {
    expect(resolveLanguage({ acceptLanguage: 'es', defaultLanguage: 'fr' })).toBe('fr');
  });

  it('ignores malformed quality values', () => {
    expect(fromAcceptLanguage('de;q=abc, it')).toBe('it');
  });
});
