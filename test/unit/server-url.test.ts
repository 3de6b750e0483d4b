// The server URL and base path the docs name: the host asked (scheme from x-forwarded-proto), API_URL when set, and the
// stage or API mapping in front of /docs.
import { describe, expect, it } from 'vitest';
import { basePathOf, serverUrlOf } from '../../lib/api/server-url.js';
import { renderDocsPage } from '../../lib/api/docs-page.js';

describe('server URL and base path', () => {
  it('names the host asked, or API_URL', () => {
    expect(serverUrlOf({ headers: { host: 'api.bank.example', 'x-forwarded-proto': 'https' } })).toBe('https://api.bank.example');
    expect(serverUrlOf({ headers: { host: '127.0.0.1:3000' } })).toBe('http://127.0.0.1:3000');
    expect(serverUrlOf({ headers: {}, requestContext: { domainName: 'abc.execute-api.eu-central-2.amazonaws.com' } })).toBe('http://abc.execute-api.eu-central-2.amazonaws.com');
    expect(serverUrlOf({ headers: { host: 'x' } }, 'https://api.bank.example/')).toBe('https://api.bank.example');
    // A host header that is not a host never reaches the document.
    expect(serverUrlOf({ headers: { host: 'evil"><script>' } })).toBe('http://localhost:3000');
  });

  it('keeps a stage or mapping prefix for the page\'s URLs', () => {
    expect(basePathOf({ rawPath: '/docs' }, '/docs')).toBe('');
    expect(basePathOf({ rawPath: '/prod/docs' }, '/docs')).toBe('/prod');
    expect(basePathOf({ rawPath: '/a"b/docs' }, '/docs')).toBe('');
    const page = renderDocsPage('/prod', 'CRS');
    expect(page).toContain('<redoc spec-url="/prod/openapi.json"');
    expect(page).toContain('<script src="/prod/docs/redoc.standalone.js"></script>');
  });
});
