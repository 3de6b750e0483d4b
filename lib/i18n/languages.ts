// Supported languages and the resolution rule of SPEC 5: `language` query, then Accept-Language, then the default.

export const SUPPORTED_LANGUAGES = ['en', 'de', 'fr', 'it'] as const;
export type Language = (typeof SUPPORTED_LANGUAGES)[number];

export const isLanguage = (value: string): value is Language => (SUPPORTED_LANGUAGES as readonly string[]).includes(value);

/** ISO 639-1 primary subtag of a tag such as `de-CH` → `de`. */
const primaryTag = (tag: string) => tag.trim().toLowerCase().split(/[-_]/)[0] ?? '';

/** Accept-Language entries sorted by quality (stable for equal q), then the first supported one. */
export function fromAcceptLanguage(header: string | undefined): Language | undefined {
  if (!header) return undefined;
  const entries = header
    .split(',')
    .map((part, index) => {
      const [tag = '', ...params] = part.split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      const quality = q ? Number(q.slice(2)) : 1;
      return { tag: primaryTag(tag), quality: Number.isFinite(quality) ? quality : 0, index };
    })
    .filter((e) => e.quality > 0)
    .sort((a, b) => b.quality - a.quality || a.index - b.index);
  return entries.map((e) => e.tag).find(isLanguage);
}

export function resolveLanguage(input: {
  query?: string | undefined;
  acceptLanguage?: string | undefined;
  defaultLanguage: Language;
}): Language {
  const fromQuery = input.query ? primaryTag(input.query) : undefined;
  if (fromQuery && isLanguage(fromQuery)) return fromQuery;
  return fromAcceptLanguage(input.acceptLanguage) ?? input.defaultLanguage;
}
