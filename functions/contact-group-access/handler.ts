// contact-group-access: the four access checks and the batch (SPEC 5.2) over HTTP, and the batch by direct invocation.
import { randomBytes } from 'node:crypto';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { httpFunction } from '../../lib/http/pipeline.js';
import { route } from '../../lib/http/route.js';
import { errorBody, mapError } from '../../lib/http/error-body.js';
import { logger } from '../../lib/observability/logger.js';
import { createRuntime, type Runtime } from '../../lib/runtime.js';
import {
  batchAccess,
  contactEntityAccess,
  contactGroupAccess,
  identityEntityAccess,
  identityGroupAccess,
} from '../../lib/api/contracts/contact-group-access.js';
import { accessBatchBody } from '../../lib/schemas/contact-group-access.js';
import { INTERNAL_INVOKER, checkAccess, checkAccessBatch } from '../../lib/use-cases/group-access.js';
import { runInInvocation } from '../../lib/store/deadline.js';

/** API Gateway (payload v2) events carry requestContext.http; anything else is a direct invocation. */
const isHttpEvent = (event: unknown): event is APIGatewayProxyEventV2 =>
  typeof (event as { requestContext?: { http?: unknown } } | null)?.requestContext?.http === 'object';

export function createHandler(runtime: Runtime) {
  const { db, settings } = runtime;
  const http = httpFunction(
    [
      route(contactEntityAccess, async ({ params, caller }) => ({ body: await checkAccess(db, settings, caller, params) })),
      route(identityEntityAccess, async ({ params, caller }) => ({ body: await checkAccess(db, settings, caller, params) })),
      route(contactGroupAccess, async ({ params, caller }) => ({ body: await checkAccess(db, settings, caller, params) })),
      route(identityGroupAccess, async ({ params, caller }) => ({ body: await checkAccess(db, settings, caller, params) })),
      route(batchAccess, async ({ body, caller }) => ({ body: await checkAccessBatch(db, settings, caller, body.checks) })),
    ],
    { defaultLanguage: settings.defaultLanguage },
  );

  /** Direct invocation: `{checks}` → `{results}`, or `{error}` with the DFS error body (never internals). */
  const invoke = async (payload: unknown, context?: Context) => {
    const run = () => checkAccessBatch(db, settings, INTERNAL_INVOKER, accessBatchBody.parse(payload).checks);
    try {
      const remaining = context?.getRemainingTimeInMillis?.();
      return await (remaining ? runInInvocation(remaining, run) : run());
    } catch (error) {
      const mapped = mapError(error);
      if (mapped.unexpected) logger.error('direct invocation failed', error as Error);
      const correlationId = context?.awsRequestId ?? randomBytes(16).toString('hex');
      const retryAfter = mapped.unavailable && { retryAfterSeconds: mapped.unavailable.retryAfterSeconds };
      return { error: { status: mapped.status, ...retryAfter, ...errorBody(mapped, settings.defaultLanguage, correlationId, 'dfs') } };
    }
  };

  const handler = async (event: unknown, context: Context) => (isHttpEvent(event) ? http(event, context) : invoke(event, context));
  return Object.assign(handler, { routes: http.routes });
}

export const handler = createHandler(createRuntime());
