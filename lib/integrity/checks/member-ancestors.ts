// Member ancestor lists: each live member's `ancestors` is its chain of live ancestors by declared parents, nearest
// first. A wrong list decides hierarchy access wrongly, so the repair first stamps the members whose reach over it
// changes (their checks stop trusting copies of the wrong list), then writes the list from the truth.
import { keys } from '../../store/keys.js';
import { ancestorsOf, isLive, writeAncestry } from '../../store/members.js';
import { stampReach } from '../../use-cases/hierarchy.js';
import { ancestorsChanged } from '../../domain/member-hierarchy.js';
import type { Finding, IntegrityCheck } from '../finding.js';
import { isLocked, placements } from './hierarchy-truth.js';

const same = (a: readonly number[] | undefined, b: readonly number[]) => a !== undefined && a.length === b.length && a.every((x, i) => x === b[i]);

export const memberAncestors: IntegrityCheck = {
  name: 'member-ancestors',
  derives: "each live member's ancestor list, from the declared parents",
  run(snapshot) {
    const findings: Finding[] = [];
    for (const [memberId, placed] of placements(snapshot)) {
      const member = snapshot.members.get(memberId)!;
      if (!isLive(member) || isLocked(member) || same(member.ancestors, placed.ancestors)) continue;
      const current = ancestorsOf(member);
      findings.push({
        check: 'member-ancestors',
        kind: member.ancestors === undefined ? 'missing-list' : 'wrong-list',
        severity: 'disagreement',
        subject: keys.member(memberId),
        sources: placed.chain.map(keys.member),
        message: `ancestors [${member.ancestors?.join(', ') ?? 'none'}], but the declared parents give [${placed.ancestors.join(', ')}]`,
        repair: {
          action: `stamp members ${ancestorsChanged(current, placed.ancestors).join(', ') || '(none)'}, then set ancestors [${placed.ancestors.join(', ')}]`,
          run: async (db) => {
            // Later than every copy of the list being replaced (copies carry at most the member's logical time).
            await stampReach(db, ancestorsChanged(current, placed.ancestors), (member.hlc ?? 0) + 1);
            await writeAncestry(db, member, { ancestors: placed.ancestors });
          },
        },
      });
    }
    return findings;
  },
};
