// Contact uid aliases `CONTACTUID#<uid>` (contact by uid; the version of upstream's contact aggregate): one per contact
// naming it; one naming a contact that is gone is stale (it is turned into the tombstone ContactDeleted would have left).
// A contact's profile and links come and go together.
import { keys } from '../../store/keys.js';
import { cond } from '../../store/expressions.js';
import { checkAction, putAction, transact } from '../../store/transactions.js';
import type { ContactUidItem } from '../../store/items.js';
import { uidAlias } from '../../store/contacts.js';
import type { Finding, IntegrityCheck } from '../finding.js';

const check = 'contact-uids';

export const contactUids: IntegrityCheck = {
  name: check,
  derives: 'contact uid aliases, from the contact profiles',
  run(snapshot) {
    const findings: Finding[] = [];
    for (const profile of snapshot.profiles.values()) {
      const aliasKey = keys.contactUid(profile.contactUid);
      const alias = snapshot.get<ContactUidItem>(aliasKey);
      const profileKey = keys.contactProfile(profile.contactId);
      if (!snapshot.links.has(profile.contactId)) {
        findings.push({ check, kind: 'half-contact', severity: 'disagreement', subject: keys.contactLinks(profile.contactId), sources: [profileKey], message: `contact ${profile.contactId} has a profile but no links item` });
      }
      if (alias?.contactId === profile.contactId) continue;
      if (alias && alias.contactId !== undefined) {
        findings.push({
          check, kind: 'alias-of-other-contact', severity: 'disagreement', subject: aliasKey, sources: [profileKey, keys.contactProfile(alias.contactId)],
          message: `contact ${profile.contactId} has uid ${profile.contactUid}, but the alias names contact ${alias.contactId}`,
        });
        continue;
      }
      const item = uidAlias(profile.contactUid, profile.version, profile.contactId);
      findings.push({
        check, kind: alias ? 'tombstone-of-live-contact' : 'missing-alias', severity: 'disagreement', subject: aliasKey, sources: [profileKey],
        message: `contact ${profile.contactId} (uid ${profile.contactUid}) ${alias ? 'has a deletion tombstone as its alias' : 'has no uid alias'} (a lookup by uid misses it)`,
        repair: {
          action: `put the alias ${profile.contactUid} → contact ${profile.contactId} (version ${profile.version})`,
          run: (db) => transact(db, [putAction(item, alias ? cond.versionIs(alias.version) : cond.absent()), checkAction(profileKey, cond.versionIs(profile.version))]),
        },
      });
    }
    for (const links of snapshot.links.values()) {
      if (snapshot.profiles.has(links.contactId)) continue;
      findings.push({ check, kind: 'half-contact', severity: 'disagreement', subject: keys.contactProfile(links.contactId), sources: [keys.contactLinks(links.contactId)], message: `contact ${links.contactId} has links but no profile` });
    }
    for (const alias of snapshot.contactUids.values()) {
      const contactId = alias.contactId;
      if (contactId === undefined) continue;
      const profile = snapshot.profiles.get(contactId);
      if (profile) continue;
      const aliasKey = keys.contactUid(alias.contactUid);
      const tombstone = uidAlias(alias.contactUid, alias.version);
      findings.push({
        check, kind: 'alias-of-missing-contact', severity: 'disagreement', subject: aliasKey, sources: [keys.contactProfile(contactId), keys.contactLinks(contactId)],
        message: `the alias of uid ${alias.contactUid} names contact ${contactId}, which does not exist (every later ContactUpserted of the uid would fail)`,
        repair: {
          action: `turn the alias of ${alias.contactUid} into a deletion tombstone (version ${alias.version})`,
          run: (db) => transact(db, [putAction(tombstone, cond.versionIs(alias.version)), checkAction(keys.contactProfile(contactId), cond.absent()), checkAction(keys.contactLinks(contactId), cond.absent())]),
        },
      });
    }
    return findings;
  },
};
