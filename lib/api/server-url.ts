// The base URL and base path a request reached the service by: what the documentation names as its server.

const HOST = /^(?:[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*|\[[0-9A-Fa-f:.]+\])(?::[0-9]{1,5})?$/;

/** `configured` (API_URL) when set; else the scheme and host of the request (API Gateway sets x-forwarded-proto). */
export function serverUrlOf(
  event: { headers?: Record<string, string | undefined>; requestContext?: { domainName?: string } },
  configured?: string,
): string {
  if (configured) return configured.replace(/\/+$/, '');
  const host = event.headers?.host ?? event.requestContext?.domainName ?? '';
  const proto = event.headers?.['x-forwarded-proto'] === 'https' ? 'https' : 'http';
  return HOST.test(host) ? `${proto}://${host}` : 'http://localhost:3000';
}

/** What precedes `suffix` in the request path: '' at the root, '/prod' behind a stage or an API mapping. */
export function basePathOf(event: { rawPath?: string }, suffix: string): string {
  const path = event.rawPath ?? suffix;
  const at = path.lastIndexOf(suffix);
  const base = at >= 0 ? path.slice(0, at) : '';
  return /^(\/[A-Za-z0-9._~-]+)*$/.test(base) ? base : '';
}
