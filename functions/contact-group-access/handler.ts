// contact-group-access: the four access checks and the batch (SPEC 5.2) over HTTP, and the batch by direct invocation.
import { randomBytes } from 'node:crypto';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { httpFunction } from '../../lib/http/pipeline.js';
import { route } from '../../lib/http/route.js';
import { errorBody, mapError } from '../../lib/http/error-body.js';
import { logger } from '../../lib/observability/logger.js';
import { inInvocation } from '../../lib/aws/deadline.js';
import { createRuntime, type Runtime } from '../../lib/runtime.js';
import {
  batchAccess,
  contactAccessibleEntities,
  identityAccessibleContacts,
  identityAccessibleEntities,
  identityAccessibleGroups,
  contactEntityAccess,
  contactGroupAccess,
  identityEntityAccess,
  identityGroupAccess,
} from '../../lib/api/contracts/contact-group-access.js';
import { accessBatchBody, LOOKUP_DEFAULT_PAGE_SIZE } from '../../lib/schemas/contact-group-access.js';
import { lookup, type LookupRequest, type LookupTarget } from '../../lib/use-cases/lookups.js';
import type { SubjectRef } from '../../lib/domain/group-access.js';
import { INTERNAL_INVOKER, checkAccess, checkAccessBatch, type AccessAnswer } from '../../lib/use-cases/group-access.js';
import { t } from '../../lib/i18n/messages.js';
import type { Language } from '../../lib/i18n/languages.js';

/** A lookup request from a route's path and query (the cursor is bound to the path as requested). */
const lookupOf = (subject: SubjectRef, target: LookupTarget, query: { pageSize?: number | undefined; cursor?: string | undefined }, path: string): LookupRequest => ({
  subject,
  target,
  pageSize: query.pageSize ?? LOOKUP_DEFAULT_PAGE_SIZE,
  cursor: query.cursor,
  path,
});

/** An explained answer's reason with its message in the reply language. */
const localized = ({ hasAccess, reason }: AccessAnswer, lang: Language) =>
  reason ? { hasAccess, reason: { ...reason, message: t(lang, `reason.${reason.code}`, { ...reason }) } } : { hasAccess };

/** API Gateway (payload v2) events carry requestContext.http; anything else is a direct invocation. */
const isHttpEvent = (event: unknown): event is APIGatewayProxyEventV2 =>
  typeof (event as { requestContext?: { http?: unknown } } | null)?.requestContext?.http === 'object';

export function createHandler(runtime: Runtime) {
  const { db, settings } = runtime;
  const http = httpFunction(
    [
      route(contactEntityAccess, async ({ params, query, caller, lang }) => ({ body: localized(await checkAccess(db, settings, caller, params, query), lang) })),
      route(identityEntityAccess, async ({ params, query, caller, lang }) => ({ body: localized(await checkAccess(db, settings, caller, params, query), lang) })),
      route(contactGroupAccess, async ({ params, query, caller, lang }) => ({ body: localized(await checkAccess(db, settings, caller, params, query), lang) })),
      route(identityGroupAccess, async ({ params, query, caller, lang }) => ({ body: localized(await checkAccess(db, settings, caller, params, query), lang) })),
      route(identityAccessibleContacts, async ({ params, query, caller, event }) => ({
        body: (await lookup(db, settings, caller, lookupOf({ identityId: params.identityId }, { kind: 'contact' }, query, event.rawPath))) as never,
      })),
      route(identityAccessibleGroups, async ({ params, query, caller, event }) => ({
        body: (await lookup(db, settings, caller, lookupOf({ identityId: params.identityId }, { kind: 'group' }, query, event.rawPath))) as never,
      })),
      route(identityAccessibleEntities, async ({ params, query, caller, event }) => ({
        body: (await lookup(db, settings, caller, lookupOf({ identityId: params.identityId }, { kind: 'entity', entityType: params.entityType }, query, event.rawPath))) as never,
      })),
      route(contactAccessibleEntities, async ({ params, query, caller, event }) => ({
        body: (await lookup(db, settings, caller, lookupOf({ contactId: params.contactId }, { kind: 'entity', entityType: params.entityType }, query, event.rawPath))) as never,
      })),
      route(batchAccess, async ({ body, caller, lang }) => {
        const { results } = await checkAccessBatch(db, settings, caller, body.checks, { explain: body.explain });
        return { body: { results: results.map((r) => localized(r, lang)) } };
      }),
    ],
    { defaultLanguage: settings.defaultLanguage },
  );

  /** Direct invocation: `{checks}` → `{results}`, or `{error}` with the DFS error body (never internals). */
  const invoke = async (payload: unknown, context?: Context) => {
    try {
      const { checks, explain } = accessBatchBody.parse(payload);
      const run = async () => {
        const { results } = await checkAccessBatch(db, settings, INTERNAL_INVOKER, checks, { explain });
        return { results: results.map((r) => localized(r, settings.defaultLanguage)) };
      };
      return await inInvocation(context, run);
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
