// contact-access: participants, advisors and member assignment of a contact, and the member-access search (SPEC 5.1).
import { httpFunction } from '../../lib/http/pipeline.js';
import { route } from '../../lib/http/route.js';
import { createRuntime, type Runtime } from '../../lib/runtime.js';
import type { Caller } from '../../lib/domain/caller.js';
import {
  addMembers,
  addParticipantAccess,
  getMemberProfiles,
  getProfilePicture,
  removeParticipantAccess,
  replaceMembers,
  searchMemberAccess,
} from '../../lib/api/contracts/contact-access.js';
import { AccessGuard } from '../../lib/use-cases/access-guard.js';
import { changeParticipantAccess } from '../../lib/use-cases/participants.js';
import { advisorPicture, assignMembers, memberProfiles, searchMemberAccess as search } from '../../lib/use-cases/contact-access.js';

export function createHandler(runtime: Runtime) {
  const { db, settings } = runtime;
  const guard = (caller: Caller) => new AccessGuard(db, settings, caller);
  const now = () => new Date().toISOString();
  return httpFunction(
    [
      route(removeParticipantAccess, async ({ params, body, caller }) => {
        await changeParticipantAccess(db, guard(caller), { contactId: params.contactId, participantUids: body.participantUids, change: 'remove', now: now() });
        return {};
      }),
      route(addParticipantAccess, async ({ params, body, caller }) => {
        await changeParticipantAccess(db, guard(caller), { contactId: params.contactId, participantUids: body.participantUids, change: 'add', now: now() });
        return {};
      }),
      route(getMemberProfiles, async ({ params, caller }) => ({ body: { advisors: await memberProfiles(db, guard(caller), params.contactId) } })),
      route(getProfilePicture, async ({ params, caller }) => ({ body: await advisorPicture(db, guard(caller), params) })),
      route(addMembers, async ({ params, body, caller }) => {
        await assignMembers(db, guard(caller), settings, { contactId: params.contactId, memberIds: body.memberIds, mode: 'add', now: now() });
        return {};
      }),
      route(replaceMembers, async ({ params, body, caller }) => {
        await assignMembers(db, guard(caller), settings, { contactId: params.contactId, memberIds: body.memberIds, mode: 'replace', now: now() });
        return {};
      }),
      route(searchMemberAccess, async ({ body, caller }) => ({ body: { memberAccess: await search(db, guard(caller), body.contactUids) } })),
    ],
    { defaultLanguage: settings.defaultLanguage },
  );
}

export const handler = createHandler(createRuntime());
