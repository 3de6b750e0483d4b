// Reverse assignment rows `MEMBER#m/ASSIGNED#c` (contacts of a member): a superset of the contacts' assigned members.
// A missing row is a disagreement (the contact is missing from the member's contacts); a row with no assignment behind
// it is a tolerated leftover (readers verify), e.g. of a large assignment change that failed. An assignment of a
// member deleted (and cleaned up) since is a disagreement: MemberDeleted removes every assignment of the member.
import { keys } from '../../store/keys.js';
import { cond } from '../../store/expressions.js';
import { keyString } from '../../store/reads.js';
import { checkAction, deleteAction, putAction, transact } from '../../store/transactions.js';
import type { MemberAssignmentItem } from '../../store/items.js';
import { removeAssignment } from '../../use-cases/assignments.js';
import type { Finding, IntegrityCheck } from '../finding.js';

const check = 'reverse-assignments';

export const reverseAssignments: IntegrityCheck = {
  name: check,
  derives: "reverse assignment rows (a superset), from the contacts' assigned members",
  run(snapshot, { now }) {
    const findings: Finding[] = [];
    const expected = new Set<string>();
    for (const links of snapshot.links.values()) {
      const linksKey = keys.contactLinks(links.contactId);
      for (const memberIdText of Object.keys(links.assignees ?? {})) {
        const memberId = Number(memberIdText);
        const row = keys.memberAssignment(memberId, links.contactId);
        expected.add(keyString(row));
        const member = snapshot.members.get(memberId);
        if (member?.deleted && member.cleanupDone) {
          findings.push({
            check, kind: 'deleted-member-assigned', severity: 'disagreement', subject: linksKey, ref: `member ${memberId}`, sources: [keys.member(memberId)],
            message: `member ${memberId} is assigned, but it was deleted and its assignments were removed (an assignment raced the deletion)`,
            repair: { action: `unassign member ${memberId} from contact ${links.contactId}`, run: (db) => removeAssignment(db, links.contactId, memberId, new Date(now).toISOString()) },
          });
        }
        if (snapshot.assignmentRows.has(keyString(row))) continue;
        const item: MemberAssignmentItem = { ...row, type: 'MemberAssignment', memberId, contactId: links.contactId };
        findings.push({
          check, kind: 'missing-row', severity: 'disagreement', subject: row, sources: [linksKey],
          message: `contact ${links.contactId} lists member ${memberId} as assigned, but the member's contacts have no row for it`,
          repair: {
            action: `put the reverse row of member ${memberId} → contact ${links.contactId}`,
            run: (db) => transact(db, [putAction(item), checkAction(linksKey, cond.versionIs(links.version))]),
          },
        });
      }
    }
    for (const [key, row] of snapshot.assignmentRows) {
      if (expected.has(key)) continue;
      const links = snapshot.links.get(row.contactId);
      const subject = keys.memberAssignment(row.memberId, row.contactId);
      const linksKey = keys.contactLinks(row.contactId);
      findings.push({
        check, kind: 'leftover', severity: 'tolerated', subject, sources: [linksKey],
        message: `a reverse row of member ${row.memberId} → contact ${row.contactId}, which ${links ? 'does not list the member as assigned' : 'does not exist'} (a superset leftover; readers verify)`,
        repair: {
          action: `delete the reverse row of member ${row.memberId} → contact ${row.contactId}`,
          run: (db) => transact(db, [deleteAction(subject), checkAction(linksKey, links ? cond.versionIs(links.version) : cond.absent())]),
        },
      });
    }
    return findings;
  },
};
