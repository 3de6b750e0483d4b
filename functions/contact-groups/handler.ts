// contact-groups: ContactGroupManagement (SPEC 5.3) and the Dezrez add-group-member endpoint.
import { httpFunction } from '../../lib/http/pipeline.js';
import { route } from '../../lib/http/route.js';
import { createRuntime, type Runtime } from '../../lib/runtime.js';
import type { Caller } from '../../lib/domain/caller.js';
import {
  addGroupMember as addGroupMemberEndpoint,
  createGroup as createGroupEndpoint,
  deleteGroup as deleteGroupEndpoint,
  getGroup,
  listContactGroups,
  modifyGroup as modifyGroupEndpoint,
  searchGroups as searchGroupsEndpoint,
} from '../../lib/api/contracts/contact-groups.js';
import { AccessGuard } from '../../lib/use-cases/access-guard.js';
import { createGroup, deleteGroup, modifyGroup } from '../../lib/use-cases/groups.js';
import { groupsOfContact, readGroup } from '../../lib/use-cases/group-reads.js';
import { searchGroups } from '../../lib/use-cases/group-search.js';
import { addGroupMember } from '../../lib/use-cases/dezrez.js';
import { createIdempotency, idempotencyScope } from '../../lib/use-cases/idempotency.js';

export function createHandler(runtime: Runtime) {
  const { db, settings } = runtime;
  const guard = (caller: Caller) => new AccessGuard(db, settings, caller);
  const once = createIdempotency(db, 'contact-groups.create');
  const now = () => new Date().toISOString();
  return httpFunction(
    [
      route(createGroupEndpoint, async ({ params, headers, body, caller }) => {
        const scope = idempotencyScope(caller, params.contactId);
        const created = await once({ scope, key: headers['idempotency-key'], payload: body }, async () => ({
          id: await createGroup(db, guard(caller), { contactId: params.contactId, group: body, now: now() }),
        }));
        return { body: created, headers: { location: `/v1.0/contactgroups/${created.id}` } };
      }),
      route(listContactGroups, async ({ params, caller, lang }) => ({ body: { groups: await groupsOfContact(db, guard(caller), params.contactId, lang) } })),
      route(getGroup, async ({ params, caller, lang }) => {
        const { body, etag } = await readGroup(db, guard(caller), params.contactGroupId, lang);
        return { body, headers: { etag } };
      }),
      route(modifyGroupEndpoint, async ({ params, headers, body, caller }) => {
        await modifyGroup(db, guard(caller), { groupId: params.contactGroupId, group: body, ifMatch: headers['if-match'], now: now() });
        return {};
      }),
      route(deleteGroupEndpoint, async ({ params, headers, caller }) => {
        await deleteGroup(db, guard(caller), { groupId: params.contactGroupId, ifMatch: headers['if-match'] });
        return {};
      }),
      route(searchGroupsEndpoint, async ({ body, caller, lang }) => ({ body: await searchGroups(db, guard(caller), body, lang) })),
      route(addGroupMemberEndpoint, async ({ params, body, caller, lang }) => ({
        body: await addGroupMember(db, guard(caller), { groupId: params.id, body, lang, now: now() }),
      })),
    ],
    { defaultLanguage: settings.defaultLanguage },
  );
}

export const handler = createHandler(createRuntime());
