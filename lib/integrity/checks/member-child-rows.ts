// Child rows `MEMBER#p/CHILD#c`: exactly one per live member, under its first live ancestor (or the unknown id it
// waits for). Reorganisations walk subtrees through these rows, so a missing or stray row is a disagreement.
import { keys } from '../../store/keys.js';
import { cond } from '../../store/expressions.js';
import { keyString } from '../../store/reads.js';
import { checkAction, deleteAction, putAction, transact } from '../../store/transactions.js';
import { childRow, isLive, revOf } from '../../store/members.js';
import type { Finding, IntegrityCheck } from '../finding.js';
import { isLocked, placements } from './hierarchy-truth.js';

export const memberChildRows: IntegrityCheck = {
  name: 'member-child-rows',
  derives: 'child rows MEMBER#p/CHILD#c, from the declared parents',
  run(snapshot) {
    const findings: Finding[] = [];
    const expected = new Set<string>();
    for (const [memberId, { rowParent, chain }] of placements(snapshot)) {
      const member = snapshot.members.get(memberId)!;
      if (rowParent === undefined || isLocked(member)) continue;
      const row = keys.memberChild(rowParent, memberId);
      expected.add(keyString(row));
      if (snapshot.childRows.has(keyString(row))) continue;
      findings.push({
        check: 'member-child-rows',
        kind: 'missing-row',
        severity: 'disagreement',
        subject: row,
        sources: [keys.member(memberId), ...chain.map(keys.member)],
        message: `member ${memberId} hangs under ${rowParent} by its declared parents, but has no child row there`,
        repair: {
          action: `put the child row of ${memberId} under ${rowParent}`,
          run: (db) => transact(db, [putAction(childRow(rowParent, memberId)), checkAction(keys.member(memberId), cond.revIs(revOf(member)))]),
        },
      });
    }
    for (const [key, row] of snapshot.childRows) {
      if (expected.has(key)) continue;
      const child = snapshot.members.get(row.childId);
      if (isLocked(child)) continue;
      const rowKey = keys.memberChild(row.memberId, row.childId);
      findings.push({
        check: 'member-child-rows',
        kind: 'stray-row',
        severity: 'disagreement',
        subject: rowKey,
        sources: [keys.member(row.childId), ...(placements(snapshot).get(row.childId)?.chain ?? []).map(keys.member)],
        message: !child
          ? `child row of member ${row.childId}, which does not exist`
          : !isLive(child)
            ? `child row of member ${row.childId}, which is deleted`
            : `child row of member ${row.childId} under ${row.memberId}, but its declared parents place it ${placements(snapshot).get(row.childId)?.rowParent === undefined ? 'at the top' : `under ${placements(snapshot).get(row.childId)!.rowParent}`}`,
        repair: {
          action: `delete the child row of ${row.childId} under ${row.memberId}`,
          run: (db) => transact(db, [deleteAction(rowKey), checkAction(keys.member(row.childId), child ? cond.revIs(revOf(child)) : cond.absent())]),
        },
      });
    }
    return findings;
  },
};
