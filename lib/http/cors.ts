// CORS (SPEC 5, ours): what a browser front end on an allowed origin may send and read. One definition for API
// Gateway's CORS configuration (infra/stacks/api-stack.ts) and the local gateway (infra/local/gateway.ts).

export const CORS_ALLOW_METHODS = ['GET', 'POST', 'PUT', 'DELETE'] as const;
/** Request headers a browser may send (besides the CORS-safelisted ones). */
export const CORS_ALLOW_HEADERS = ['authorization', 'content-type', 'x-correlation-id', 'accept-language', 'if-match', 'idempotency-key'] as const;
/** Response headers a browser script may read (besides the CORS-safelisted ones). */
export const CORS_EXPOSE_HEADERS = ['x-correlation-id', 'content-language', 'etag', 'location', 'retry-after', 'www-authenticate'] as const;
/** How long a browser may cache a preflight answer. */
export const CORS_MAX_AGE_SECONDS = 600;

/** `CORS_ORIGINS` (comma-separated, `*` for any) → the allowed origins. */
export const parseCorsOrigins = (value: string | undefined): string[] =>
  (value ?? '').split(',').map((o) => o.trim().replace(/\/+$/, '')).filter(Boolean);

export const isAllowedOrigin = (origins: readonly string[], origin: string | undefined): origin is string =>
  origin !== undefined && (origins.includes('*') || origins.includes(origin));
