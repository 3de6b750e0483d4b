// The reference page (SPEC 5.5): Redoc's standalone bundle from the redoc npm package renders /openapi.json. The page
// and the script are served by the docs function itself, so the browser asks no other host (the CSP enforces it).
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

export const REDOC_SCRIPT = 'redoc.standalone.js';

/**
 * Deployed, CDK copies the script next to the bundle (infra/constructs/service-function.ts `assets`); locally it is read
 * from the package. Read on first use, not at module load: the document and the page do not need it.
 */
function scriptPath(): string {
  const besideBundle = fileURLToPath(new URL(`./${REDOC_SCRIPT}`, import.meta.url));
  return existsSync(besideBundle) ? besideBundle : createRequire(import.meta.url).resolve(`redoc/bundles/${REDOC_SCRIPT}`);
}

/**
 * The one request Redoc's bundle makes to another host: the logo of its "API docs by Redocly" menu footer, which no
 * option turns off. It is pointed at an empty data: URL (the footer then shows the text only); the page's CSP would
 * block it anyway. A Redoc release that changes this string fails the docs tests rather than call out unnoticed.
 */
export const REDOC_REMOTE_LOGO = 'https://cdn.redoc.ly/redoc/logo-mini.svg';

let script: { plain: Buffer; gzip: Buffer } | undefined;
export function redocScript(): { plain: Buffer; gzip: Buffer } {
  if (!script) {
    const source = readFileSync(scriptPath(), 'utf8');
    if (source.split(REDOC_REMOTE_LOGO).length !== 2) throw new Error(`${REDOC_SCRIPT}: expected its remote logo URL exactly once`);
    const plain = Buffer.from(source.replace(REDOC_REMOTE_LOGO, 'data:,'));
    script = { plain, gzip: gzipSync(plain) };
  }
  return script;
}

/** The script's reply: gzip-compressed (base64, as Lambda returns binary) when the client accepts gzip. */
export function redocScriptReply(acceptEncoding: string | undefined) {
  const script = redocScript();
  const gzip = /\bgzip\b/.test(acceptEncoding ?? '');
  return {
    body: gzip ? script.gzip.toString('base64') : script.plain.toString('utf8'),
    isBase64Encoded: gzip,
    headers: { 'cache-control': 'public, max-age=86400', vary: 'accept-encoding', ...(gzip && { 'content-encoding': 'gzip' }) },
  };
}

/** Only this origin; Redoc needs inline styles (styled-components), a blob: worker for search and data: images. */
export const DOCS_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const escapeAttribute = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** `basePath`: what precedes `/docs` in the request path (a stage or an API mapping), so the URLs work behind either. */
export function renderDocsPage(basePath: string, title: string): string {
  const base = escapeAttribute(basePath);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeAttribute(title)} API reference</title>
<link rel="icon" href="data:,">
<style>body{margin:0;padding:0}</style>
</head>
<body>
<noscript>This reference needs JavaScript. The document itself: <a href="${base}/openapi.json">openapi.json</a> (OpenAPI 3.1).</noscript>
<redoc spec-url="${base}/openapi.json" expand-responses="200,201,204" path-in-middle-panel="true" json-sample-expand-level="3"></redoc>
<script src="${base}/docs/${REDOC_SCRIPT}"></script>
</body>
</html>
`;
}
