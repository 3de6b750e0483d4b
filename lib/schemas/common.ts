// Shared zod building blocks: ids, uuids, names, bounded lists (SPEC 4 limits).
import * as z from 'zod';

import { INT32_MAX } from '../domain/ids.js';

export { INT32_MAX };
export const MAX_ITEMS = 100;
export const MAX_NAME_LENGTH = 200;
export const MAX_CUSTOM_ATTRIBUTES_LENGTH = 16 * 1024;

/** A positive int32 id in a JSON body. */
export const id = z.number().int().min(1).max(INT32_MAX);
/**
 * A positive int32 id in a path, e.g. `/contacts/{contactId}`: arrives as a string, only digits are accepted (no sign,
 * exponent, fraction or blanks: else 400 InvalidPath). Documented as the integer it stands for, as in the DFS seed.
 */
export const pathId = z
  .string()
  .regex(/^[0-9]{1,10}$/, 'must be a positive int32')
  .transform(Number)
  .pipe(id)
  .meta({ type: 'integer', format: 'int32', minimum: 1, maximum: INT32_MAX, example: 1 } as Record<string, unknown>);
export const uuid = z.uuid().transform((s) => s.toLowerCase());
export const name = z.string().max(MAX_NAME_LENGTH);
/** A required list (not null, not missing) of at most 100 items. */
export const list = <T extends z.ZodType>(item: T) => z.array(item).max(MAX_ITEMS);
export const version = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
