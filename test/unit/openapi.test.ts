// Every route a function serves is documented in the OpenAPI document (and every documented endpoint is served),
// and every error subCode the code can raise has a message in every language.
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { buildOpenApiDocument } from '../../lib/api/openapi.js';
import { ENDPOINTS_BY_FUNCTION } from '../../lib/api/contracts/index.js';
import type { FunctionGroup } from '../../lib/api/contract.js';
import { createDb } from '../../lib/store/client.js';
import { loadSettings } from '../../lib/config.js';
import type { BoundRoute } from '../../lib/http/route.js';
import { CATALOGUES } from '../../lib/i18n/messages.js';
import { SUPPORTED_LANGUAGES } from '../../lib/i18n/languages.js';
import { createHandler as contactAccess } from '../../functions/contact-access/handler.js';
import { createHandler as contactGroupAccess } from '../../functions/contact-group-access/handler.js';
import { createHandler as contactGroups } from '../../functions/contact-groups/handler.js';
import { createHandler as contactRelatives } from '../../functions/contact-relatives/handler.js';
import { handler as docs } from '../../functions/docs/handler.js';

const runtime = { settings: loadSettings({}), db: createDb({ tableName: 'unused', endpoint: 'http://127.0.0.1:9' }) };
const routesByFunction: Record<FunctionGroup, readonly BoundRoute[]> = {
  'contact-access': contactAccess(runtime).routes,
  'contact-group-access': contactGroupAccess(runtime).routes,
  'contact-groups': contactGroups(runtime).routes,
  'contact-relatives': contactRelatives(runtime).routes,
  docs: docs.routes,
};
const document = buildOpenApiDocument();
const paths = document.paths as Record<string, Record<string, { operationId?: string; responses?: Record<string, unknown> }>>;

describe('OpenAPI document', () => {
  it.each(Object.keys(routesByFunction) as FunctionGroup[])('documents every route of %s', (fn) => {
    const routes = routesByFunction[fn];
    expect(routes.length).toBeGreaterThan(0);
    for (const route of routes) {
      const operation = paths[route.path]?.[route.method.toLowerCase()];
      expect(operation, `${route.method} ${route.path}`).toBeDefined();
      expect(operation?.operationId).toBe(route.endpoint.operationId);
      expect(Object.keys(operation?.responses ?? {})).toContain(String(route.endpoint.success.status));
    }
  });

  it.each(Object.keys(routesByFunction) as FunctionGroup[])('serves every endpoint documented for %s', (fn) => {
    const served = new Set(routesByFunction[fn].map((r) => `${r.method} ${r.path}`));
    for (const e of ENDPOINTS_BY_FUNCTION[fn]) expect(served, `${e.method} ${e.path}`).toContain(`${e.method} ${e.path}`);
  });

  it('is OpenAPI 3.1 with unique operation ids and the bearer scheme', () => {
    expect(document.openapi).toBe('3.1.0');
    const ids = Object.values(paths).flatMap((methods) => Object.values(methods).map((op) => op.operationId));
    expect(new Set(ids).size).toBe(ids.length);
    expect(document.components?.securitySchemes?.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
  });
});

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : path.endsWith('.ts') ? [path] : [];
  });
}

describe('error messages', () => {
  it('has a message in every language for every subCode raised in lib/ and functions/', () => {
    const root = resolve(import.meta.dirname, '../..');
    const raised = new Set<string>();
    for (const file of [...sources(join(root, 'lib')), ...sources(join(root, 'functions'))]) {
      for (const m of readFileSync(file, 'utf8').matchAll(/new (?:BadRequest|Unauthorized|Forbidden|NotFound|Conflict|PreconditionFailed|RuleViolation)Error\(\s*'(\w+)'/g)) {
        raised.add(m[1]!);
      }
    }
    expect(raised.size).toBeGreaterThan(15);
    for (const subCode of raised) for (const lang of SUPPORTED_LANGUAGES) expect(CATALOGUES[lang][subCode], `${lang} ${subCode}`).toBeTypeOf('string');
  });
});
