// /docs in a real headless Chromium (Debian's chromium, driven by playwright-core; .ci/run installs it): Redoc renders
// every operation of the document with its fields and examples, search works, and the page asks no other host.
// A screenshot is left in .tmp/screenshots/ (gitignored).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { ALL_ENDPOINTS } from '../../lib/api/contracts/index.js';
import { startTestServer, type TestServer } from '../support/server.js';

const CHROMIUM = '/usr/bin/chromium';
const screenshots = resolve(import.meta.dirname, '../../.tmp/screenshots');
const profile = mkdtempSync(join(tmpdir(), 'crs-chromium-'));

let server: TestServer;
let browser: BrowserContext;
let page: Page;
const requests: string[] = [];
const problems: string[] = [];

beforeAll(async () => {
  server = await startTestServer();
  // A fresh profile, no background traffic of the browser's own; never a downloaded browser.
  browser = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1400, height: 900 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  page = browser.pages()[0] ?? (await browser.newPage());
  page.on('request', (r) => requests.push(r.url()));
  page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
  page.on('pageerror', (e) => problems.push(e.message));
  await page.goto(`${server.url}/docs`);
  await page.waitForSelector('[id$="/operation/dezrezAddGroupMember"]', { timeout: 60_000 });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  rmSync(profile, { recursive: true, force: true });
});

describe('/docs in headless Chromium', () => {
  it('shows every operation of the document', async () => {
    const shown = await page.$$eval('[id*="/operation/"]', (els) => els.map((e) => e.id.split('/operation/')[1]));
    expect(new Set(shown)).toEqual(new Set(ALL_ENDPOINTS.map((e) => e.operationId)));
    const menu = await page.locator('[role="menuitem"]').allTextContents();
    expect(menu.join(' ')).toContain('ContactGroupManagement');
  });

  it('shows request and response fields, examples, subCodes and the bearer scheme', async () => {
    const op = page.locator('[id="tag/ContactGroupManagement/operation/createContactGroup"]');
    const text = await op.innerText();
    for (const field of ['groupName', 'groupExternalId', 'Idempotency-Key', 'x-correlation-id']) expect(text).toContain(field);
    // The request example and the error subCodes of the operation.
    expect(text).toContain('HH-1001');
    expect(text).toContain('DuplicateExternalId');
    // A response's fields: open the 200 of the group read.
    const read = page.locator('[id="tag/ContactGroupManagement/operation/getContactGroup"]');
    await read.scrollIntoViewIfNeeded();
    const readText = await read.innerText();
    expect(readText).toContain('relationshipType');
    expect(readText).toContain('ETag');
    const auth = await page.locator('[id="section/Authentication"]').innerText();
    expect(auth).toContain('caller_type');
    expect(auth).toContain('crs.admin');
    mkdirSync(screenshots, { recursive: true });
    await page.screenshot({ path: join(screenshots, 'docs-get-contact-group.png') });
  });

  it('finds operations with its search', async () => {
    await page.fill('input[placeholder^="Search"]', 'relatives');
    await page.waitForSelector('[data-role="search:results"] li', { timeout: 10_000 });
    const results = await page.locator('[data-role="search:results"] li').allInnerTexts();
    expect(results.join(' ')).toMatch(/relative/i);
  });

  it('asked no other host and met no error', () => {
    const origin = new URL(server.url).origin;
    const foreign = requests.filter((u) => !u.startsWith(`${origin}/`) && !u.startsWith(`blob:${origin}/`) && !u.startsWith('data:'));
    expect(requests).toEqual(expect.arrayContaining([`${origin}/docs`, `${origin}/docs/redoc.standalone.js`, `${origin}/openapi.json`]));
    expect(foreign).toEqual([]);
    expect(problems).toEqual([]);
  });
});
