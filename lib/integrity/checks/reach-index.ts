// The lookups' reach index (SPEC 5.6): one row per (subject, object) the truth grants — a contact's assigned members
// and their ancestors, a group's counted assignees and their ancestors, who also reach its entities, as do its Active
// contacts. The index is projected from the stream within seconds, so a change in flight shows as a finding that the
// re-read resolves. A missing row hides an accessible item from lookups (a disagreement: the object is projected
// again); a row the truth does not imply is never shown (lookups verify each row), so it is tolerated and removable.
import { keys, type ReachObject } from '../../store/keys.js';
import { ancestorsOf } from '../../store/members.js';
import { impliedReachRows, objectOfRow } from '../../store/reach.js';
import { keyString } from '../../store/reads.js';
import type { Key } from '../../store/keys.js';
import { countedAssignees } from '../../domain/groups.js';
import { reprojectObject } from '../../use-cases/reach-projection.js';
import type { Finding, IntegrityCheck } from '../finding.js';
import type { TableSnapshot } from '../snapshot.js';

const describe = (o: ReachObject) => (o.kind === 'contact' ? `contact ${o.contactId}` : o.kind === 'group' ? `group ${o.groupId}` : `${o.entityType} ${o.entityId}`);

/** The items an object's reachers are decided from: its truth item(s), and the members reaching it with their ancestors. */
function sourcesOf(snapshot: TableSnapshot, object: ReachObject): Key[] {
  const membersOf = (assigned: readonly number[]) =>
    [...new Set(assigned.flatMap((m) => { const member = snapshot.members.get(m); return [m, ...(member ? ancestorsOf(member) : [])]; }))].map(keys.member);
  const groupSources = (groupId: number) => {
    const group = snapshot.groups.get(groupId);
    return [keys.group(groupId), ...membersOf(group ? countedAssignees(group.assignees ?? {}) : [])];
  };
  switch (object.kind) {
    case 'contact': {
      const links = snapshot.links.get(object.contactId);
      return [keys.contactLinks(object.contactId), ...membersOf(Object.keys(links?.assignees ?? {}).map(Number))];
    }
    case 'group':
      return groupSources(object.groupId);
    case 'entity': {
      const entity = snapshot.entities.get(keyString(keys.entity(object.entityType, object.entityId)));
      return [keys.entity(object.entityType, object.entityId), ...(entity?.groupId != null ? groupSources(entity.groupId) : [])];
    }
  }
}

export const reachIndex: IntegrityCheck = {
  name: 'reach-index',
  derives: "the lookups' reach rows, from contacts' assigned members, groups' counted assignees and memberships, entity links and members' ancestors",
  run(snapshot) {
    const implied = impliedReachRows(snapshot.items, {
      ancestorsOf: (m) => {
        const member = snapshot.members.get(m);
        return member ? ancestorsOf(member) : undefined;
      },
      identityOf: (m) => {
        const member = snapshot.members.get(m);
        return member && !member.deleted ? member.identityId : undefined;
      },
    });
    const expected = new Map(implied.map((row) => [keyString(row), row]));
    const findings: Finding[] = [];
    for (const [key, row] of expected) {
      if (snapshot.reachRows.has(key)) continue;
      const object = objectOfRow(row);
      findings.push({
        check: 'reach-index',
        kind: 'missing-row',
        severity: 'disagreement',
        subject: { pk: row.pk, sk: row.sk },
        sources: sourcesOf(snapshot, object),
        message: `no reach row for ${describe(object)}, which ${row.pk} reaches (lookups would leave it out)`,
        repair: { action: `project ${describe(object)} again`, run: async (db) => void (await reprojectObject(db, object)) },
      });
    }
    for (const [key, row] of snapshot.reachRows) {
      if (expected.has(key)) continue;
      const object = objectOfRow(row);
      findings.push({
        check: 'reach-index',
        kind: 'stale-row',
        severity: 'tolerated',
        subject: { pk: row.pk, sk: row.sk },
        sources: sourcesOf(snapshot, object),
        message: `a reach row for ${describe(object)}, which ${row.pk} does not reach (lookups verify it and leave it out)`,
        // Judged again at repair time: the object is projected from the truth as it is then, and the row deleted only
        // if that truth does not imply it either (an earlier repair may have restored who reaches it).
        repair: { action: `project ${describe(object)} again, deleting the row unless it holds`, run: async (db) => void (await reprojectObject(db, object, [row])) },
      });
    }
    return findings;
  },
};
