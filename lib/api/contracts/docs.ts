// The public documentation routes (SPEC 5.5), served by the `docs` function without a token.
import * as z from 'zod';
import { endpoint } from '../contract.js';

export const openApiDocument = endpoint({
  fn: 'docs', tag: 'Documentation', method: 'GET', path: '/openapi.json', operationId: 'openApiDocument',
  summary: 'This OpenAPI 3.1 document', scope: null,
  success: { status: 200, description: 'OpenAPI 3.1', schema: z.record(z.string(), z.unknown()) }, errors: [500],
});

export const docsPage = endpoint({
  fn: 'docs', tag: 'Documentation', method: 'GET', path: '/docs', operationId: 'docsPage',
  summary: 'Rendered API reference (HTML)', scope: null,
  success: { status: 200, description: 'HTML page', schema: z.string(), contentType: 'text/html; charset=utf-8' }, errors: [500],
});

export const docsEndpoints = [openApiDocument, docsPage] as const;
