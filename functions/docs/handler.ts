// docs: the OpenAPI 3.1 document, its reference page and the page's renderer script (public, no token; SPEC 5.5).
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { httpFunction } from '../../lib/http/pipeline.js';
import { route } from '../../lib/http/route.js';
import { loadSettings } from '../../lib/config.js';
import { docsPage, docsScript, openApiDocument } from '../../lib/api/contracts/docs.js';
// The document as `npm run generate` wrote it from the contracts (infra/build/openapi-document.ts), not built here:
// zod-to-openapi over every schema took about 100 ms of CPU on each cold start (BENCHMARKS.md).
import generatedDocument from '../../lib/api/openapi.generated.json' with { type: 'json' };
import { DOCS_CSP, redocScriptReply, renderDocsPage } from '../../lib/api/docs-page.js';
import { basePathOf, serverUrlOf } from '../../lib/api/server-url.js';

const document = generatedDocument as Record<string, unknown>;
/** `servers` names the host that was asked (or API_URL when set): the same document everywhere else. */
const forServer = (event: APIGatewayProxyEventV2) => ({ ...document, servers: [{ url: serverUrlOf(event, process.env.API_URL), description: 'This service' }] });

export const handler = httpFunction(
  [
    route(openApiDocument, async ({ event }) => ({ body: forServer(event) })),
    route(docsPage, async ({ event }) => ({
      body: renderDocsPage(basePathOf(event, '/docs'), 'Contact Relationship Service'),
      headers: { 'content-security-policy': DOCS_CSP, 'x-content-type-options': 'nosniff' },
    })),
    route(docsScript, async ({ event }) => redocScriptReply(event.headers?.['accept-encoding'])),
  ],
  { defaultLanguage: loadSettings().defaultLanguage, authenticate: false },
);
