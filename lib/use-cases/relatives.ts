// Relatives of a contact (SPEC 5.4): the localized list, and link / re-type / unlink of a pair together with its
// reciprocal in one transaction.
import type { Db } from '../store/client.js';
import { commit, retryOnConflict } from '../store/plans.js';
import { Items, readTogether, want } from '../store/read-together.js';
import { bumpLinksPlan, getProfilesMany } from '../store/contacts.js';
import { putRelativePlan, relativeLinksOf, unlinkPairPlan } from '../store/relatives.js';
import { findRelativeRelationshipType, reciprocalOf } from '../domain/catalogues.js';
import { requireWriter } from '../domain/caller.js';
import { checkRelativeLink } from '../domain/relatives.js';
import type { Language } from '../i18n/languages.js';
import type { AccessGuard } from './access-guard.js';
import { relativeTypeView, type CatalogueView } from './catalogues.js';

export interface RelativeView {
  contactId: number;
  contactUid: string;
  firstName: string | null;
  lastName: string | null;
  relationshipType: CatalogueView;
}

/** One collator per reply language, built on its first use (building one loads ICU's collation data). */
const collators = new Map<Language, Intl.Collator>();
const collatorOf = (lang: Language) => {
  let collator = collators.get(lang);
  if (!collator) collators.set(lang, (collator = new Intl.Collator(lang, { sensitivity: 'base' })));
  return collator;
};

/**
 * Every relative of the contact, also those the caller cannot access (names only, a household view): the access
 * check on the path contact shares its round trip with the Query, the names come from one BatchGet of profiles.
 * A contact caller passes the check only for itself. Relatives whose contact no longer exists are left out.
 * Order: relationship type (catalogue order), then last name, first name (collated in the reply language).
 */
export async function relativesOf(db: Db, guard: AccessGuard, input: { contactId: number; lang: Language }): Promise<RelativeView[]> {
  const [, links] = await Promise.all([
    guard.requireContact(input.contactId),
    relativeLinksOf(db, input.contactId),
  ]);
  const profiles = await getProfilesMany(db, links.map((r) => r.relativeContactId));
  const collator = collatorOf(input.lang);
  const typeOrder = (type: string) => findRelativeRelationshipType(type)?.id ?? Number.MAX_SAFE_INTEGER;
  return links
    .flatMap((link) => {
      const profile = profiles.get(link.relativeContactId);
      return profile ? [{ link, profile }] : [];
    })
    .sort(
      (x, y) =>
        typeOrder(x.link.relationshipType) - typeOrder(y.link.relationshipType) ||
        collator.compare(x.profile.lastName ?? '', y.profile.lastName ?? '') ||
        collator.compare(x.profile.firstName ?? '', y.profile.firstName ?? '') ||
        x.link.relativeContactId - y.link.relativeContactId,
    )
    .map(({ link, profile }) => ({
      contactId: profile.contactId,
      contactUid: profile.contactUid,
      firstName: profile.firstName ?? null,
      lastName: profile.lastName ?? null,
      relationshipType: relativeTypeView(link.relationshipType, input.lang),
    }));
}

/**
 * Links B as a relative of A with type T and A of B with reciprocal(T), or re-types an existing pair (both sides).
 * A pair already linked so is left untouched (no write, no event).
 */
export async function linkRelative(
  db: Db,
  guard: AccessGuard,
  input: { contactId: number; relativeContactId: number; relationshipType: string; now: string },
): Promise<void> {
  requireWriter(guard.caller);
  const { contactId: a, relativeContactId: b } = input;
  const type = checkRelativeLink(a, b, input.relationshipType)!;
  const reciprocal = reciprocalOf(type);
  await retryOnConflict(async () => {
    const { links, forward, backward } = await readPair(db, guard, a, b);
    if (forward?.relationshipType === type && backward?.relationshipType === reciprocal) return;
    await commit(
      db,
      putRelativePlan(a, b, type, forward?.createdAt ?? input.now),
      putRelativePlan(b, a, reciprocal, backward?.createdAt ?? input.now),
      bumpLinksPlan(links),
    );
  });
}

/** Removes the pair in both directions; removing an absent pair is not an error. */
export async function unlinkRelative(db: Db, guard: AccessGuard, input: { contactId: number; relativeContactId: number }): Promise<void> {
  requireWriter(guard.caller);
  const { contactId: a, relativeContactId: b } = input;
  checkRelativeLink(a, b);
  await retryOnConflict(async () => {
    const { links, forward, backward } = await readPair(db, guard, a, b);
    if (!forward && !backward) return;
    await commit(db, unlinkPairPlan(a, b), bumpLinksPlan(links));
  });
}

/**
 * Both contacts must exist (404) and be accessible (403); the pair's two items are read in the same round. A write of
 * the pair bumps both contacts' LINKS versions, conditioned on the versions the access decision was taken on:
 * ContactDeleted deletes a contact's LINKS conditioned on its version after reading its relatives, so a relative
 * written concurrently either makes the deletion retry (and be removed with it) or fails because the contact is gone.
 */
async function readPair(db: Db, guard: AccessGuard, a: number, b: number) {
  const [links, pair] = await Promise.all([guard.requireContacts([a, b]), readTogether(db, [want(Items.relative, [[a, b], [b, a]])])]);
  return { links: [...links.values()], forward: pair.get(Items.relative, [a, b]), backward: pair.get(Items.relative, [b, a]) };
}
