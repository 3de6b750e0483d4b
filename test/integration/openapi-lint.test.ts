// The document the service serves passes Redocly CLI's `recommended` rules and Spectral's `spectral:oas` ruleset with
// 0 errors and 0 warnings (rules switched off state why in test/lint/spectral.yaml). Each linter is also shown a
// broken copy, to prove the check can fail.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { startTestServer, type TestServer } from '../support/server.js';

const root = resolve(import.meta.dirname, '../..');
const bin = (name: string) => join(root, 'node_modules', '.bin', name);
const dir = mkdtempSync(join(tmpdir(), 'crs-openapi-lint-'));
// No telemetry, no update check: the linters run offline.
const env = { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true', SCARF_ANALYTICS: 'false', NO_COLOR: '1' };

let server: TestServer;
let document: Record<string, any>;

beforeAll(async () => {
  server = await startTestServer();
  const res = await server.request('GET', '/openapi.json');
  expect(res.status).toBe(200);
  document = res.body;
});
afterAll(() => server?.stop());

async function run(command: string, args: string[]) {
  try {
    const { stdout, stderr } = await promisify(execFile)(command, args, { cwd: root, env, maxBuffer: 64 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? 1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

function write(name: string, doc: unknown) {
  const file = join(dir, name);
  writeFileSync(file, JSON.stringify(doc, null, 2));
  return file;
}

async function redocly(file: string) {
  const out = await run(bin('redocly'), ['lint', '--extends', 'recommended', '--format', 'json', file]);
  const report = JSON.parse(out.stdout.slice(out.stdout.indexOf('{'))) as { totals: { errors: number; warnings: number }; problems: { ruleId: string; message: string }[] };
  return { ...report.totals, problems: report.problems.map((p) => `${p.ruleId}: ${p.message}`) };
}

async function spectral(file: string) {
  const out = await run(bin('spectral'), ['lint', '--ruleset', join(root, 'test/lint/spectral.yaml'), '--format', 'json', '--quiet', file]);
  const results = JSON.parse(out.stdout.trim() || '[]') as { code: string; message: string; severity: number; path: string[] }[];
  return {
    errors: results.filter((r) => r.severity === 0).length,
    warnings: results.filter((r) => r.severity === 1).length,
    problems: results.map((r) => `${r.code}: ${r.message} at ${r.path.join('.')}`),
  };
}

describe('the served OpenAPI document', () => {
  it('passes Redocly recommended with 0 errors and 0 warnings', async () => {
    const report = await redocly(write('openapi.json', document));
    expect(report.problems).toEqual([]);
    expect({ errors: report.errors, warnings: report.warnings }).toEqual({ errors: 0, warnings: 0 });
  }, 60_000);

  it('passes Spectral spectral:oas with 0 errors and 0 warnings', async () => {
    const report = await spectral(write('openapi.json', document));
    expect(report.problems).toEqual([]);
    expect({ errors: report.errors, warnings: report.warnings }).toEqual({ errors: 0, warnings: 0 });
  }, 60_000);

  it('would fail both when the document loses its servers, tags and public security', async () => {
    const broken = structuredClone(document);
    delete broken.servers;
    delete broken.tags;
    delete broken.paths['/docs'].get.security;
    const file = write('broken.json', broken);
    const [r, s] = await Promise.all([redocly(file), spectral(file)]);
    expect(r.problems).toEqual(expect.arrayContaining([expect.stringMatching(/^no-empty-servers/), expect.stringMatching(/^security-defined/)]));
    expect(r.errors).toBeGreaterThan(0);
    expect(s.problems).toEqual(expect.arrayContaining([expect.stringMatching(/^oas3-api-servers/), expect.stringMatching(/^operation-tag-defined/)]));
    expect(s.warnings).toBeGreaterThan(0);
  }, 60_000);
});
