// lib/api/openapi.generated.json, which the docs function serves, is the document the contracts build right now: a
// changed schema, route or message changes it, and this test fails until `npm run generate` is run.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { DOCUMENT_FILE, renderDocument } from '../../infra/build/openapi-document.js';

describe('the served OpenAPI document', () => {
  it('is up to date with the contracts (run npm run generate when this fails)', () => {
    expect(readFileSync(DOCUMENT_FILE, 'utf8')).toBe(renderDocument());
  }, 30_000);
});
