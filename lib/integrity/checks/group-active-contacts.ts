// A group's `activeContactIds` (projected into the name index, where a search decides readability from it): the
// contacts of its Active memberships.
import { keys } from '../../store/keys.js';
import { cond } from '../../store/expressions.js';
import { updateAction, writeOne } from '../../store/transactions.js';
import { activeContactIdsOf } from '../../store/groups.js';
import type { Finding, IntegrityCheck } from '../finding.js';

const sameSet = (a: readonly number[], b: readonly number[]) => a.length === b.length && [...a].sort((x, y) => x - y).every((x, i) => x === [...b].sort((p, q) => p - q)[i]);

export const groupActiveContacts: IntegrityCheck = {
  name: 'group-active-contacts',
  derives: "a group's activeContactIds, from its Active memberships",
  run(snapshot) {
    const findings: Finding[] = [];
    for (const group of snapshot.groups.values()) {
      if (group.pending) continue;
      const expected = activeContactIdsOf({ contacts: group.contacts ?? [] });
      if (group.activeContactIds !== undefined && sameSet(group.activeContactIds, expected)) continue;
      const subject = keys.group(group.groupId);
      findings.push({
        check: 'group-active-contacts',
        kind: 'wrong-active-contacts',
        severity: 'disagreement',
        subject,
        sources: [],
        message: `activeContactIds [${group.activeContactIds?.join(', ') ?? 'none'}], but its Active memberships are [${expected.join(', ')}]`,
        // Conditioned on the version only (not bumped): a group writer recomputes the field from its own state anyway.
        repair: {
          action: `set activeContactIds [${expected.join(', ')}]`,
          run: (db) => writeOne(db, updateAction(subject, { set: [[['activeContactIds'], expected]], condition: cond.versionIs(group.version) }) as never),
        },
      });
    }
    return findings;
  },
};
