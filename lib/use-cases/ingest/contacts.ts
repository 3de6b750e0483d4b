// ContactUpserted (allocates the contactId on first sight of a uid) and ContactDeleted (cascade) ingestion.
import type * as z from 'zod';
import type { Db } from '../../store/client.js';
import { keys } from '../../store/keys.js';
import { cond } from '../../store/expressions.js';
import { getItem } from '../../store/reads.js';
import { putAction, retryOnConflict, transact, updateAction, type WriteAction } from '../../store/transactions.js';
import { allocateIds } from '../../store/counters.js';
import type { ContactLinksItem, ContactProfileItem, ContactUidItem } from '../../store/items.js';
import { newLinks, newProfile, uidAlias } from '../../store/contacts.js';
import type { contactUpserted, contactDeleted } from '../../events/inbound.js';
import { deleteContactCascade } from '../contact-removal.js';
import { applied, ignored, stale, type Outcome } from './outcome.js';



export async function applyContactUpserted(db: Db, e: z.infer<typeof contactUpserted>, now: string): Promise<Outcome> {
  return retryOnConflict(async () => {
    const alias = await getItem<ContactUidItem>(db, keys.contactUid(e.contactUid));
    if (alias && alias.version >= e.version) return stale(alias.version, e.version);

    if (alias?.contactId !== undefined) {
      const contactId = alias.contactId;
      const [profile, links] = await Promise.all([
        getItem<ContactProfileItem>(db, keys.contactProfile(contactId)),
        getItem<ContactLinksItem>(db, keys.contactLinks(contactId)),
      ]);
      if (!profile || !links) throw new Error(`contact ${contactId} is missing its profile or links`);
      const actions: WriteAction[] = [
        updateAction(keys.contactUid(e.contactUid), { set: [[['version'], e.version]], condition: cond.versionIs(alias.version) }),
        putAction({ ...profile, ...profileFields(e), version: e.version, updatedAt: now }, cond.versionIs(profile.version)),
      ];
      const newParticipants = [...new Set(e.participantUids ?? [])].filter((p) => !(p in links.participants));
      // isActive is kept on the links too: every check reads it there (an inactive contact is denied every check).
      const activeChanged = e.isActive !== undefined && e.isActive !== (links.isActive ?? profile.isActive);
      if (newParticipants.length > 0 || activeChanged) {
        actions.push(
          updateAction(keys.contactLinks(contactId), {
            set: [...newParticipants.map((p) => [['participants', p], now] as const), ...(activeChanged ? [[['isActive'], e.isActive] as const] : [])],
            increment: [[['version'], 1]],
            condition: cond.versionIs(links.version),
          }),
        );
      }
      await transact(db, actions);
      return applied(contactId);
    }

    // First sight of this uid (or re-creation after a deletion): allocate a new contactId.
    const contactId = await allocateIds(db, 'contact');
    await transact(db, [
      putAction(uidAlias(e.contactUid, e.version, contactId), cond.versionIs(alias?.version)),
      putAction(newProfile(contactId, e.contactUid, { ...profileFields(e), version: e.version }, now), cond.absent()),
      putAction(newLinks(contactId, e.participantUids ?? [], now, e.isActive ?? true), cond.absent()),
    ]);
    return applied(contactId);
  });
}

export async function applyContactDeleted(db: Db, e: z.infer<typeof contactDeleted>, now: string): Promise<Outcome> {
  return retryOnConflict(async () => {
    const alias = await getItem<ContactUidItem>(db, keys.contactUid(e.contactUid));
    if (alias && alias.version >= e.version) return stale(alias.version, e.version);
    const aliasWrite = putAction(uidAlias(e.contactUid, e.version), cond.versionIs(alias?.version));
    if (alias?.contactId === undefined) {
      // Never seen (or already deleted): keep the version so an older ContactUpserted arriving later is ignored.
      await transact(db, [aliasWrite]);
      return ignored(alias ? 'contact already deleted; version recorded' : 'unknown contact; version recorded');
    }
    await deleteContactCascade(db, alias.contactId, [aliasWrite], now);
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
