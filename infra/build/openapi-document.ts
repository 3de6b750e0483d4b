// Writes lib/api/openapi.generated.json: the OpenAPI document as lib/api/openapi.ts builds it from the contracts. The
// docs function serves this file rather than building the document on its cold start (zod-to-openapi over every
// schema: about 100 ms of CPU, and classic zod plus the generator in its bundle). Committed; `npm run generate` rewrites
// it and test/unit/openapi-document.test.ts fails while it is stale.
import { writeFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildOpenApiDocument } from '../../lib/api/openapi.js';

const ROOT = resolve(fileURLToPath(new URL('../../', import.meta.url)));
export const DOCUMENT_FILE = resolve(ROOT, 'lib/api/openapi.generated.json');

/** The document as the file holds it: indented (a contract change is a readable diff), with the local server's URL. */
export const renderDocument = () => `${JSON.stringify(buildOpenApiDocument(), null, 2)}\n`;

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  writeFileSync(DOCUMENT_FILE, renderDocument());
  console.log(`wrote ${relative(ROOT, DOCUMENT_FILE)}`);
}
