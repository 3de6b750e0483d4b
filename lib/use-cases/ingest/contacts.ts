// ContactUpserted (allocates the contactId on first sight of a uid) and ContactDeleted (cascade) ingestion.
import type * as z from 'zod';
import type { Db } from '../../store/client.js';
import { commit, retryOnConflict } from '../../store/plans.js';
import { allocateIds } from '../../store/counters.js';
import {
  getLinks,
  getProfile,
  getUidAlias,
  newContactPlan,
  newLinks,
  newProfile,
  profilePlan,
  uidAlias,
  uidAliasPlan,
  uidAliasVersionPlan,
  upstreamLinksPlan,
} from '../../store/contacts.js';
import type { contactUpserted, contactDeleted } from '../../events/inbound.js';
import { deleteContactCascade } from '../contact-removal.js';
import { applied, ignored, stale, type Outcome } from './outcome.js';



export async function applyContactUpserted(db: Db, e: z.infer<typeof contactUpserted>, now: string): Promise<Outcome> {
  return retryOnConflict(async () => {
    const alias = await getUidAlias(db, e.contactUid);
    if (alias && alias.version >= e.version) return stale(alias.version, e.version);

    if (alias?.contactId !== undefined) {
      const contactId = alias.contactId;
      const [profile, links] = await Promise.all([getProfile(db, contactId), getLinks(db, contactId)]);
      if (!profile || !links) throw new Error(`contact ${contactId} is missing its profile or links`);
      const newParticipants = [...new Set(e.participantUids ?? [])].filter((p) => !(p in links.participants));
      // isActive is kept on the links too: every check reads it there (an inactive contact is denied every check).
      const activeChanged = e.isActive !== undefined && e.isActive !== (links.isActive ?? profile.isActive);
      await commit(
        db,
        uidAliasVersionPlan(e.contactUid, alias, e.version),
        profilePlan({ ...profile, ...profileFields(e), version: e.version, updatedAt: now }, profile),
        newParticipants.length > 0 || activeChanged ? upstreamLinksPlan(links, newParticipants, activeChanged ? e.isActive : undefined, now) : [],
      );
      return applied(contactId);
    }

    // First sight of this uid (or re-creation after a deletion): allocate a new contactId.
    const contactId = await allocateIds(db, 'contact');
    await commit(
      db,
      newContactPlan(
        uidAlias(e.contactUid, e.version, contactId),
        newProfile(contactId, e.contactUid, { ...profileFields(e), version: e.version }, now),
        newLinks(contactId, e.participantUids ?? [], now, e.isActive ?? true),
        alias,
      ),
    );
    return applied(contactId);
  });
}

export async function applyContactDeleted(db: Db, e: z.infer<typeof contactDeleted>, now: string): Promise<Outcome> {
  return retryOnConflict(async () => {
    const alias = await getUidAlias(db, e.contactUid);
    if (alias && alias.version >= e.version) return stale(alias.version, e.version);
    const aliasWrite = uidAliasPlan(uidAlias(e.contactUid, e.version), alias);
    if (alias?.contactId === undefined) {
      // Never seen (or already deleted): keep the version so an older ContactUpserted arriving later is ignored.
      await commit(db, aliasWrite);
      return ignored(alias ? 'contact already deleted; version recorded' : 'unknown contact; version recorded');
    }
    await deleteContactCascade(db, alias.contactId, aliasWrite, now);
    return applied(alias.contactId);
  });
}

function profileFields(e: z.infer<typeof contactUpserted>) {
  const fields = {
    title: e.title,
    firstName: e.firstName,
    lastName: e.lastName,
    gender: e.gender,
    email: e.email,
    phone: e.phone,
    isActive: e.isActive,
  };
  // Absent fields keep their stored value: an upsert never erases data it does not mention.
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
}
