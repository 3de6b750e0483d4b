// Shared zod building blocks: ids, uuids, names, bounded lists (SPEC 4 limits).
import * as z from './zod.js';

import { INT32_MAX } from '../domain/ids.js';

export { INT32_MAX };
export const MAX_ITEMS = 100;
export const MAX_NAME_LENGTH = 200;
export const MAX_CUSTOM_ATTRIBUTES_LENGTH = 16 * 1024;

/** A positive int32 id in a JSON body. */
export const id = z.number().check(z.int(), z.gte(1), z.lte(INT32_MAX));
/**
 * A positive int32 id in a path, e.g. `/contacts/{contactId}`: arrives as a string, only digits are accepted (no sign,
 * exponent, fraction or blanks: else 400 InvalidPath). Documented as the integer it stands for, as in the DFS seed.
 */
export const pathId = z.withMeta(
  z.pipe(z.pipe(z.string().check(z.regex(/^[0-9]{1,10}$/, 'must be a positive int32')), z.transform(Number)), id),
  { type: 'integer', format: 'int32', minimum: 1, maximum: INT32_MAX, example: 1 },
);
export const uuid = z.pipe(z.uuid(), z.transform((s: string) => s.toLowerCase()));
export const name = z.string().check(z.maxLength(MAX_NAME_LENGTH));
/** A required list (not null, not missing) of at most 100 items. */
export const list = <T extends z.ZodSchema>(item: T) => z.array(item).check(z.maxLength(MAX_ITEMS));
export const version = z.number().check(z.int(), z.gte(0), z.lte(Number.MAX_SAFE_INTEGER));
