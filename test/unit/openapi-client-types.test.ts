// test/client/api.ts is what openapi-typescript generates from the current document (`npm run generate` when this fails).
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { CLIENT_FILE, renderClient } from '../client/generate.js';

describe('generated client types', () => {
  it('are up to date with the document', async () => {
    expect(readFileSync(CLIENT_FILE, 'utf8')).toBe(await renderClient());
  }, 30_000);
});
