// The local API Gateway: node:http → HTTP API v2 events for the same handlers, with the JWT authorizer's checks.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { randomBytes, randomUUID } from 'node:crypto';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { ENDPOINTS_BY_FUNCTION } from '../../lib/api/contracts/index.js';
import type { FunctionGroup } from '../../lib/api/contract.js';
import { errorBody } from '../../lib/http/error-body.js';
import type { ErrorStyle } from '../../lib/http/request-state.js';
import { AUTHORIZER_SUB_CODES, WWW_AUTHENTICATE } from '../../lib/http/authorizer.js';
import {
  CORS_ALLOW_HEADERS,
  CORS_ALLOW_METHODS,
  CORS_EXPOSE_HEADERS,
  CORS_MAX_AGE_SECONDS,
  isAllowedOrigin,
} from '../../lib/http/cors.js';
import type { SubCode } from '../../lib/domain/errors.js';
import { resolveLanguage, type Language } from '../../lib/i18n/languages.js';
import { claimsAsApiGatewayDoes, type Verifier } from './jwt.js';
import { RETRY_AFTER_SECONDS, unavailabilityOf } from '../../lib/aws/unavailable.js';

export type HttpHandler = (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyResultV2>;
export type InvokeHandler = (input: unknown, context?: Context) => Promise<unknown>;

export interface GatewayOptions {
  handlers: Record<FunctionGroup, HttpHandler>;
  ingest: InvokeHandler;
  verify: Verifier;
  defaultLanguage: Language;
  outbound?: () => unknown[];
  /** Direct Lambda invocations to expose under POST /_local/invoke/{name} (e.g. the access batch). */
  invocations?: Record<string, InvokeHandler>;
  /** Origins browsers may call from (`CORS_ORIGINS`; `*` for any): as API Gateway's CORS configuration. None: no CORS. */
  corsOrigins?: readonly string[];
  /** Called once per answered request (the local server prints a short line). */
  onRequest?: (line: { method: string; path: string; status: number; durationMs: number }) => void;
}

interface CompiledRoute {
  fn: FunctionGroup;
  method: string;
  template: string;
  regex: RegExp;
  names: string[];
  staticSegments: number;
  public: boolean;
  /** The route's error body: the gateway's own refusals (401) use it too, as the function would. */
  errorStyle: ErrorStyle;
}

function compileRoutes(): CompiledRoute[] {
  const routes: CompiledRoute[] = [];
  for (const [fn, endpoints] of Object.entries(ENDPOINTS_BY_FUNCTION) as [FunctionGroup, (typeof ENDPOINTS_BY_FUNCTION)[FunctionGroup]][]) {
    for (const e of endpoints) {
      const names: string[] = [];
      const segments = e.path.split('/').filter(Boolean);
      const pattern = segments
        .map((s) => {
          const m = /^\{(\w+)\}$/.exec(s);
          if (m) {
            names.push(m[1]!);
            return '([^/]+)';
          }
          return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
        })
        .join('/');
      routes.push({
        fn,
        method: e.method,
        template: e.path,
        regex: new RegExp(`^/${pattern}/?$`),
        names,
        staticSegments: segments.length - names.length,
        public: e.scope === null,
        errorStyle: e.errorStyle ?? 'dfs',
      });
    }
  }
  // API Gateway prefers the most specific route: more literal segments first.
  return routes.sort((a, b) => b.staticSegments - a.staticSegments);
}

const TEXTUAL = /^(application\/(.+\+)?json|text\/|application\/x-www-form-urlencoded|application\/xml)/;

function lambdaContext(functionName: string): Context {
  const deadline = Date.now() + 30_000;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:${functionName}`,
    memoryLimitInMB: '512',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(text);
}

export function buildEvent(req: IncomingMessage, url: URL, route: CompiledRoute | undefined, params: Record<string, string>, raw: Buffer) {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined || name === 'cookie') continue;
    headers[name.toLowerCase()] = Array.isArray(value) ? value.join(',') : value;
  }
  const query: Record<string, string> = {};
  for (const [k, v] of url.searchParams) query[k] = k in query ? `${query[k]},${v}` : v;
  const contentType = headers['content-type'] ?? '';
  const textual = raw.length === 0 || TEXTUAL.test(contentType) || contentType === '';
  const now = new Date();
  const cookies = req.headers.cookie?.split(';').map((c) => c.trim()).filter(Boolean);
  const event: APIGatewayProxyEventV2 = {
    version: '2.0',
    routeKey: route ? `${route.method} ${route.template}` : '$default',
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    ...(cookies?.length && { cookies }),
    headers,
    ...(Object.keys(query).length > 0 && { queryStringParameters: query }),
    ...(Object.keys(params).length > 0 && { pathParameters: params }),
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      domainName: headers.host ?? 'localhost',
      domainPrefix: (headers.host ?? 'localhost').split('.')[0]!,
      http: {
        method: req.method ?? 'GET',
        path: url.pathname,
        protocol: `HTTP/${req.httpVersion}`,
        sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: randomBytes(8).toString('hex'),
      routeKey: route ? `${route.method} ${route.template}` : '$default',
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
    ...(raw.length > 0 && { body: textual ? raw.toString('utf8') : raw.toString('base64') }),
    isBase64Encoded: !textual,
  };
  return event;
}

function writeResult(res: ServerResponse, result: APIGatewayProxyResultV2) {
  // Like API Gateway's payload v2 inference: a bare value is a 200 JSON body.
  if (typeof result !== 'object' || result === null || !('statusCode' in result)) {
    return send(res, 200, typeof result === 'string' ? result : JSON.stringify(result));
  }
  const r = result as APIGatewayProxyStructuredResultV2;
  const headers: Record<string, string | string[]> = { ...(r.headers as Record<string, string>) };
  if (r.cookies?.length) headers['set-cookie'] = r.cookies;
  res.writeHead(r.statusCode ?? 200, headers);
  res.end(r.body === undefined ? undefined : r.isBase64Encoded ? Buffer.from(r.body, 'base64') : r.body);
}

export function createGateway(options: GatewayOptions): Server {
  const routes = compileRoutes();

  const corsOrigins = options.corsOrigins ?? [];

  const refuse = (
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    refusal: { status: 401; subCode: SubCode<'Unauthorized'> } | { status: 404; subCode: SubCode<'NotFound'> },
    style: ErrorStyle = 'dfs',
  ) => {
    const { status, subCode } = refusal;
    const lang = resolveLanguage({
      query: url.searchParams.get('language') ?? undefined,
      acceptLanguage: req.headers['accept-language'],
      defaultLanguage: options.defaultLanguage,
    });
    const given = req.headers['x-correlation-id'];
    const correlationId = typeof given === 'string' && /^[A-Za-z0-9._:-]{1,128}$/.test(given) ? given : randomBytes(16).toString('hex');
    const code = status === 401 ? 'Unauthorized' : 'NotFound';
    send(res, status, errorBody({ status, code, subCode, properties: {}, unexpected: false }, lang, correlationId, style), {
      'x-correlation-id': correlationId,
      'content-language': lang,
      // As API Gateway's JWT authorizer does (RFC 6750).
      ...(status === 401 && { 'www-authenticate': WWW_AUTHENTICATE }),
    });
  };

  /**
   * As API Gateway's CORS configuration: a preflight is answered here and never reaches a function (204, with the
   * allow headers only for an allowed origin); any other answer to an allowed origin carries allow-origin and the
   * exposed headers. Returns true when the request was a preflight (answered).
   */
  const cors = (req: IncomingMessage, res: ServerResponse): boolean => {
    if (corsOrigins.length === 0) return false;
    const origin = req.headers.origin;
    const allowed = isAllowedOrigin(corsOrigins, origin);
    const preflight = req.method === 'OPTIONS' && req.headers['access-control-request-method'] !== undefined;
    res.setHeader('vary', 'origin');
    if (allowed) res.setHeader('access-control-allow-origin', corsOrigins.includes('*') ? '*' : origin);
    if (!preflight) {
      if (allowed) res.setHeader('access-control-expose-headers', CORS_EXPOSE_HEADERS.join(','));
      return false;
    }
    if (allowed) {
      res.setHeader('access-control-allow-methods', CORS_ALLOW_METHODS.join(','));
      res.setHeader('access-control-allow-headers', CORS_ALLOW_HEADERS.join(','));
      res.setHeader('access-control-max-age', String(CORS_MAX_AGE_SECONDS));
    }
    res.writeHead(204);
    res.end();
    return true;
  };

  const server = createServer(async (req, res) => {
    const startedAt = Date.now();
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (options.onRequest) {
      res.once('finish', () =>
        options.onRequest!({ method: req.method ?? 'GET', path: url.pathname, status: res.statusCode, durationMs: Date.now() - startedAt }),
      );
    }
    try {
      const raw = await readBody(req);
      const method = req.method ?? 'GET';
      if (cors(req, res)) return;

      if (url.pathname === '/_local/events' && method === 'POST') {
        let input: unknown;
        try {
          input = JSON.parse(raw.toString('utf8'));
        } catch {
          return send(res, 400, { message: 'body is not JSON' });
        }
        return send(res, 200, await options.ingest(input, lambdaContext('ingest')));
      }
      if (url.pathname === '/_local/outbound' && method === 'GET') {
        return send(res, 200, { events: options.outbound?.() ?? [] });
      }
      const invoke = /^\/_local\/invoke\/([\w-]+)$/.exec(url.pathname);
      if (invoke && method === 'POST' && options.invocations?.[invoke[1]!]) {
        return send(res, 200, await options.invocations[invoke[1]!]!(JSON.parse(raw.toString('utf8') || 'null'), lambdaContext(invoke[1]!)));
      }

      let matched: { route: CompiledRoute; params: Record<string, string> } | undefined;
      for (const route of routes) {
        if (route.method !== method) continue;
        const m = route.regex.exec(url.pathname);
        if (!m) continue;
        matched = { route, params: Object.fromEntries(route.names.map((n, i) => [n, decodeURIComponent(m[i + 1]!)])) };
        break;
      }
      if (!matched) return refuse(req, res, url, { status: 404, subCode: 'RouteNotFound' });

      const event = buildEvent(req, url, matched.route, matched.params, raw);
      if (!matched.route.public) {
        const header = req.headers.authorization ?? '';
        const token = /^Bearer\s+(.+)$/i.exec(header)?.[1];
        if (!token) return refuse(req, res, url, { status: 401, subCode: AUTHORIZER_SUB_CODES.missing }, matched.route.errorStyle);
        try {
          const payload = await options.verify(token.trim());
          (event.requestContext as unknown as { authorizer: unknown }).authorizer = {
            jwt: { claims: claimsAsApiGatewayDoes(payload), scopes: null },
          };
        } catch {
          return refuse(req, res, url, { status: 401, subCode: AUTHORIZER_SUB_CODES.invalid }, matched.route.errorStyle);
        }
      }
      const handler = options.handlers[matched.route.fn];
      writeResult(res, await handler(event, lambdaContext(matched.route.fn)));
    } catch (error) {
      // An event that failed transiently (DynamoDB unavailable): in AWS the transport delivers it again; here the caller does.
      const unavailable = unavailabilityOf(error);
      if (unavailable && !res.headersSent) {
        return send(res, 503, { message: 'DynamoDB is unavailable; deliver the events again' }, { 'retry-after': String(RETRY_AFTER_SECONDS[unavailable]) });
      }
      // Like API Gateway when the integration fails: no internals.
      console.error('local gateway: integration error', error);
      if (!res.headersSent) send(res, 500, { message: 'Internal Server Error' });
    }
  });
  // Idle keep-alive connections stay open longer than clients keep them (undici/fetch: 4 s, Node's agent: 5 s), as
  // API Gateway's do: the client closes an idle socket first, so it never sends on one the server is closing.
  server.keepAliveTimeout = 65_000;
  return server;
}
