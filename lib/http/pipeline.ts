// The HTTP pipeline of every API function: middlewares first, the route table last (middy + http-router).
import middy from '@middy/core';
import httpRouterHandler from '@middy/http-router';
import httpJsonBodyParser from '@middy/http-json-body-parser';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2, Context } from 'aws-lambda';
import type { Language } from '../i18n/languages.js';
import { logger } from '../observability/logger.js';
import { accessLog, authentication, correlation, errorResponse, localization } from './middlewares.js';
import { inInvocation } from '../aws/deadline.js';
import type { BoundRoute } from './route.js';
import { stateOf } from './request-state.js';

// disableContentTypeCheck exists in the implementation (6.x) but not in its typings.
const jsonBody = httpJsonBodyParser({ disableContentTypeCheck: true } as never);
/** JSON bodies are parsed whatever the content type (clients send text/json, none, …); an empty body stays empty. */
const parseJsonBody: MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyResultV2> = {
  before: async (request) => {
    if (typeof request.event.body === 'string' && request.event.body.trim() !== '') {
      await jsonBody.before!(request as never);
    } else {
      (request.event as { body?: unknown }).body = undefined;
    }
  },
};

export interface HttpFunctionOptions {
  defaultLanguage: Language;
  /** false only for the public documentation function. */
  authenticate?: boolean;
}

/** The function's handler, carrying its route table (the OpenAPI test checks every route is documented). */
export function httpFunction(routes: readonly BoundRoute[], options: HttpFunctionOptions) {
  const handler = pipeline(routes, options);
  // The whole pipeline runs inside the invocation's deadline: no DynamoDB attempt starts that it could not wait for,
  // so a slow or unreachable table answers 503 before the function's timeout (lib/aws/deadline.ts).
  const run = (event: APIGatewayProxyEventV2, context: Context) => inInvocation(context, () => handler(event, context));
  return Object.assign(run, { routes });
}

/**
 * The error style of a request is known from its route before anything can fail (a bad JSON body of the Dezrez
 * endpoint must get the Dezrez error body too).
 */
function errorStyleOf(routes: readonly BoundRoute[]): MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyResultV2> {
  const styled = routes
    .filter((r) => r.endpoint.errorStyle && r.endpoint.errorStyle !== 'dfs')
    .map((r) => ({
      method: r.method,
      style: r.endpoint.errorStyle!,
      regex: new RegExp(`^${r.path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{\w+\\?\}/g, '[^/]+')}/?$`),
    }));
  return {
    before: (request) => {
      const { method, path } = request.event.requestContext?.http ?? { method: '', path: '' };
      const match = styled.find((r) => r.method === method && r.regex.test(path ?? request.event.rawPath));
      if (match) stateOf(request.event).errorStyle = match.style;
    },
  };
}

function pipeline(routes: readonly BoundRoute[], options: HttpFunctionOptions) {
  const handler = middy<APIGatewayProxyEventV2, APIGatewayProxyResultV2>()
    .use(errorStyleOf(routes))
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(correlation(logger))
    .use(accessLog(logger))
    .use(localization(options.defaultLanguage));
  if (options.authenticate !== false) handler.use(authentication());
  return handler
    .use(parseJsonBody)
    .use(errorResponse(logger)) // registered last: its onError answers first, the others then add their headers
    .handler(httpRouterHandler(routes.map((r) => ({ method: r.method, path: r.path, handler: r.handler as never }))) as never);
}
