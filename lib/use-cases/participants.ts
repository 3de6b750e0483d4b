// Participant associations of a contact (SPEC 5.1 POST/DELETE participant-access): one conditional update of the
// contact's LINKS item, retried on the new state when a concurrent writer got there first.
import type { Db } from '../store/client.js';
import { commit, retryOnConflict } from '../store/plans.js';
import { participantsPlan } from '../store/contacts.js';
import { requireWriter } from '../domain/caller.js';
import type { AccessGuard } from './access-guard.js';

export interface ParticipantChange {
  added: string[];
  removed: string[];
}

/**
 * Associates (`add`) or dissociates (`remove`) participants. Idempotent: uids already in the wanted state change
 * nothing, and when none changes nothing is written. Member assignments are left alone (SPEC 3).
 */
export async function changeParticipantAccess(
  db: Db,
  guard: AccessGuard,
  input: { contactId: number; participantUids: readonly string[]; change: 'add' | 'remove'; now: string },
): Promise<ParticipantChange> {
  requireWriter(guard.caller);
  return retryOnConflict(async () => {
    // Read on every attempt: access is decided on the very LINKS version the write is conditioned on.
    const links = await guard.requireContact(input.contactId);
    const present = (uid: string) => Object.hasOwn(links.participants, uid);
    const uids = [...new Set(input.participantUids.map((u) => u.toLowerCase()))];
    const added = input.change === 'add' ? uids.filter((u) => !present(u)) : [];
    const removed = input.change === 'remove' ? uids.filter(present) : [];
    if (added.length === 0 && removed.length === 0) return { added, removed };
    await commit(db, participantsPlan(links, added, removed, input.now));
    return { added, removed };
  });
}
