// The local server's handlers: the same function modules that Lambda runs, built on one shared runtime.
import type { Runtime } from '../../lib/runtime.js';
import type { FunctionGroup } from '../../lib/api/contract.js';
import { createHandler as contactAccess } from '../../functions/contact-access/handler.js';
import { createHandler as contactGroupAccess } from '../../functions/contact-group-access/handler.js';
import { createHandler as contactGroups } from '../../functions/contact-groups/handler.js';
import { createHandler as contactRelatives } from '../../functions/contact-relatives/handler.js';
import { handler as docs } from '../../functions/docs/handler.js';
import { createHandler as ingest } from '../../functions/ingest/handler.js';
import type { HttpHandler, InvokeHandler } from './gateway.js';

export function localHandlers(runtime: Runtime): {
  http: Record<FunctionGroup, HttpHandler>;
  ingest: InvokeHandler;
  /** Functions other workloads invoke directly (POST /_local/invoke/{name}). */
  invocations: Record<string, InvokeHandler>;
} {
  const groupAccess = contactGroupAccess(runtime);
  return {
    http: {
      'contact-access': contactAccess(runtime) as HttpHandler,
      'contact-group-access': groupAccess as HttpHandler,
      'contact-groups': contactGroups(runtime) as HttpHandler,
      'contact-relatives': contactRelatives(runtime) as HttpHandler,
      docs: docs as HttpHandler,
    },
    ingest: ingest(runtime) as InvokeHandler,
    invocations: { 'contact-group-access': groupAccess as InvokeHandler },
  };
}
