// zod for every schema of the service: the tree-shakable build (zod/mini: functions and checks instead of methods),
// with the English messages the classic build installs by itself. A function then bundles and builds only the
// validators its own schemas use. The OpenAPI generator reads schemas through classic zod's methods:
// lib/api/classic-schemas.ts converts them for it (`npm run generate` and the tests only).
import { clone, config, globalRegistry } from 'zod/mini';
import type { $ZodType, GlobalMeta } from 'zod/v4/core';
import en from 'zod/v4/locales/en.js';

config(en());

export * from 'zod/mini';
export { $ZodError as ZodError, type $ZodType as ZodSchema } from 'zod/v4/core';

/** `schema` with metadata (`id`, `description`, `example`, …), attached to a copy as classic zod's `.meta()` does. */
export function withMeta<T extends $ZodType>(schema: T, metadata: GlobalMeta & Record<string, unknown>): T {
  const copy = clone(schema);
  globalRegistry.add(copy, metadata);
  return copy;
}
