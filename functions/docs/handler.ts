// docs: the OpenAPI 3.1 document and its rendered reference page (public, no token).
import { httpFunction } from '../../lib/http/pipeline.js';
import { route } from '../../lib/http/route.js';
import { loadSettings } from '../../lib/config.js';
import { docsPage, openApiDocument } from '../../lib/api/contracts/docs.js';
import { buildOpenApiDocument } from '../../lib/api/openapi.js';
import { renderDocsPage } from '../../lib/api/docs-page.js';

const document = buildOpenApiDocument(process.env.API_URL);
const page = renderDocsPage(document as never);

export const handler = httpFunction(
  [
    route(openApiDocument, async () => ({ body: document as unknown as Record<string, unknown> })),
    route(docsPage, async () => ({ body: page })),
  ],
  { defaultLanguage: loadSettings().defaultLanguage, authenticate: false },
);
