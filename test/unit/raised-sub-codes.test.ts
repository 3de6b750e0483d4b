// lib/api/raised-sub-codes.generated.ts is what infra/build/raised-sub-codes.ts derives from the code right now: a new
// raise site, a moved rule or a new route changes it, and this test fails until `npm run generate` is run.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { GENERATED_FILE, render } from '../../infra/build/raised-sub-codes.js';

describe('raised subCodes', () => {
  it('are up to date with the code (run npm run generate when this fails)', () => {
    expect(readFileSync(GENERATED_FILE, 'utf8')).toBe(render());
  }, 60_000);
});
