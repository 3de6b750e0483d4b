// contact-relatives: relatives of a contact and the relationship-type catalogues (SPEC 5.4).
import { httpFunction } from '../../lib/http/pipeline.js';
import { route } from '../../lib/http/route.js';
import { createRuntime, type Runtime } from '../../lib/runtime.js';
import { deleteRelative, listRelationshipTypes, listRelatives, putRelative } from '../../lib/api/contracts/contact-relatives.js';
import { relationshipTypes } from '../../lib/use-cases/catalogues.js';
import { linkRelative, relativesOf, unlinkRelative } from '../../lib/use-cases/relatives.js';
import { AccessGuard } from '../../lib/use-cases/access-guard.js';
import type { Caller } from '../../lib/domain/caller.js';

export function createHandler(runtime: Runtime) {
  const { db } = runtime;
  const guard = (caller: Caller) => new AccessGuard(db, runtime.settings, caller);
  const now = () => new Date().toISOString();
  return httpFunction(
    [
      route(listRelatives, async ({ params, caller, lang }) => ({ body: await relativesOf(db, guard(caller), { contactId: params.contactId, lang }) })),
      route(putRelative, async ({ params, body, caller }) => {
        await linkRelative(db, guard(caller), { ...params, relationshipType: body.relationshipType, now: now() });
        return {};
      }),
      route(deleteRelative, async ({ params, caller }) => {
        await unlinkRelative(db, guard(caller), params);
        return {};
      }),
      route(listRelationshipTypes, async ({ lang }) => ({ body: relationshipTypes(lang) })),
    ],
    { defaultLanguage: runtime.settings.defaultLanguage },
  );
}

export const handler = createHandler(createRuntime());
