// The public documentation routes (SPEC 5.5), served by the `docs` function without a token.
import * as z from '../../schemas/zod.js';
import { endpoint } from '../contract.js';

const tag = 'Documentation';

export const openApiDocument = endpoint({
  fn: 'docs', tag, method: 'GET', path: '/openapi.json', operationId: 'openApiDocument',
  summary: 'This OpenAPI 3.1 document',
  description: 'Generated from the zod schemas that validate the requests, and the subCodes from the code that raises them. `servers` names the host that answered.',
  scope: null,
  success: { status: 200, description: 'OpenAPI 3.1', schema: z.record(z.string(), z.unknown()) },
  example: { response: { openapi: '3.1.0', info: { title: 'Contact Relationship Service', version: '1.0.0' }, paths: {} } },
});

export const docsPage = endpoint({
  fn: 'docs', tag, method: 'GET', path: '/docs', operationId: 'docsPage',
  summary: 'Rendered API reference (HTML)',
  description: 'This document rendered by Redoc, served with its script from this service (no request to another host).',
  scope: null,
  success: { status: 200, description: 'HTML page', schema: z.string(), contentType: 'text/html; charset=utf-8' },
  example: { response: '<!doctype html><html lang="en"><head><title>Contact Relationship Service API</title>…' },
});

export const docsScript = endpoint({
  fn: 'docs', tag, method: 'GET', path: '/docs/redoc.standalone.js', operationId: 'docsScript',
  summary: "The reference page's renderer (Redoc standalone bundle)",
  description: 'The script of the redoc npm package, as published; cached by browsers for a day. Sent gzip-compressed to clients that accept it.',
  scope: null,
  success: {
    status: 200, description: 'JavaScript', schema: z.string(), contentType: 'text/javascript; charset=utf-8',
    headers: { 'Cache-Control': 'How long browsers may keep the script' },
  },
  example: { response: '/*! For license information please see redoc.standalone.js.LICENSE.txt */ !function(e,t){…' },
});

export const docsEndpoints = [openApiDocument, docsPage, docsScript] as const;
