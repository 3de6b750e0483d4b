// Name-index keys of a group (`gsi2pk`/`gsi2sk`, the groups-by-name-prefix search): derived from its name and id.
// Keys of the index retired by release 0.2 (`gsi1pk`/`gsi1sk`) are leftovers `npm run migrate` removes.
import { keys } from '../../store/keys.js';
import { cond } from '../../store/expressions.js';
import { updateAction, writeOne } from '../../store/transactions.js';
import type { Finding, IntegrityCheck } from '../finding.js';

export const groupNameIndex: IntegrityCheck = {
  name: 'group-name-index',
  derives: "a group's name-index keys gsi2pk/gsi2sk, from its name and id",
  run(snapshot) {
    const findings: Finding[] = [];
    for (const group of snapshot.groups.values()) {
      if (group.pending) continue;
      const subject = keys.group(group.groupId);
      const expected = group.groupName ? keys.groupNameIndex(group.groupName, group.groupId) : undefined;
      const retired = group as { gsi1pk?: string; gsi1sk?: string };
      if (group.gsi2pk !== expected?.gsi2pk || group.gsi2sk !== expected?.gsi2sk) {
        findings.push({
          check: 'group-name-index',
          kind: 'stale-index-key',
          severity: 'disagreement',
          subject,
          sources: [],
          message: `name-index keys ${group.gsi2pk ?? '-'} / ${group.gsi2sk ?? '-'}, but its name "${group.groupName ?? ''}" gives ${expected?.gsi2pk ?? '-'} / ${expected?.gsi2sk ?? '-'} (a name search ${expected ? 'misses it or finds it under another name' : 'finds a group without a name'})`,
          repair: {
            action: expected ? `set gsi2pk ${expected.gsi2pk}, gsi2sk ${expected.gsi2sk}` : 'remove gsi2pk, gsi2sk',
            run: (db) =>
              writeOne(
                db,
                updateAction(subject, {
                  ...(expected ? { set: [[['gsi2pk'], expected.gsi2pk], [['gsi2sk'], expected.gsi2sk]] as const } : { remove: [['gsi2pk'], ['gsi2sk']] }),
                  condition: cond.versionIs(group.version),
                }) as never,
              ),
          },
        });
      }
      if (retired.gsi1pk !== undefined || retired.gsi1sk !== undefined) {
        findings.push({
          check: 'group-name-index',
          kind: 'retired-index-key',
          severity: 'tolerated',
          subject,
          sources: [],
          message: 'keys of the name index retired by release 0.2 (gsi1pk/gsi1sk): npm run migrate removes them',
          repair: { action: 'remove gsi1pk, gsi1sk', run: (db) => writeOne(db, updateAction(subject, { remove: [['gsi1pk'], ['gsi1sk']], condition: cond.versionIs(group.version) }) as never) },
        });
      }
    }
    return findings;
  },
};
