// A contact's `isActive` copied onto its links (every check reads it with the links: false denies all): the profile's.
import { keys } from '../../store/keys.js';
import { cond } from '../../store/expressions.js';
import { checkAction, transact, updateAction } from '../../store/transactions.js';
import type { Finding, IntegrityCheck } from '../finding.js';

export const linksActive: IntegrityCheck = {
  name: 'links-active',
  derives: "contacts' isActive on their links, from their profiles",
  run(snapshot) {
    const findings: Finding[] = [];
    for (const links of snapshot.links.values()) {
      const profile = snapshot.profiles.get(links.contactId);
      if (!profile) continue;
      const copied = links.isActive ?? true;
      if (copied === profile.isActive) continue;
      const subject = keys.contactLinks(links.contactId);
      const source = keys.contactProfile(links.contactId);
      findings.push({
        check: 'links-active',
        kind: 'wrong-active',
        severity: 'disagreement',
        subject,
        sources: [source],
        message: `isActive ${copied} on the links, ${profile.isActive} on the profile (${profile.isActive ? 'every check denies an active contact' : 'an inactive contact is still granted'})`,
        repair: {
          action: `set isActive ${profile.isActive}`,
          run: (db) =>
            transact(db, [
              checkAction(source, { ConditionExpression: 'isActive = :a', ExpressionAttributeValues: { ':a': profile.isActive } }),
              updateAction(subject, { set: [[['isActive'], profile.isActive]], increment: [[['version'], 1]], condition: cond.versionIs(links.version) }),
            ]),
        },
      });
    }
    return findings;
  },
};
